"""The best hand-written SQL we know for the figures each report endpoint returns: the benchmark's baseline.

Plain SQL for SQLite and PostgreSQL (only date arithmetic differs), one statement per group of figures,
with the reader's visibility written as a WHERE clause. Results are fetched but not shaped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from dealtrack.core.expressions import fixed_offset_minutes
from dealtrack.core.models import User
from dealtrack.core.queries import managed_member_ids
from dealtrack.reports.filters import ReportFilters

ACTIVITY_KINDS = ("call", "email", "meeting", "visit", "note")


class HandWrittenSql:
    """`rollup` chooses how the created/won/lost figures are read: from the daily totals (deals_daytotal)
    or from the deals' covering indexes. The benchmark times both and keeps the faster as the baseline."""

    def __init__(self, filters: ReportFilters, user: User, *, rollup: bool = True) -> None:
        self.filters = filters
        self.user = user
        self.rollup = rollup
        self.pg = connection.vendor == "postgresql"
        self.minutes = fixed_offset_minutes(settings.TIME_ZONE)
        self.zone = settings.TIME_ZONE
        self.members = managed_member_ids(user)
        self.scope, self.scope_params = self.scope_on("d.owner_id", "d.id")
        self.scope_pair = (self.scope, self.scope_params)

    def scope_on(self, owner: str, deal: str | None) -> tuple[str, list[Any]]:
        """The reader's visibility on rows carrying a deal's owner and id (deals, stage visits, snapshots);
        with no deal column, only the people the reader may see."""
        if self.user.is_admin:
            return "1=1", []
        # The reader and their people as one literal list, which both planners estimate better than a
        # subquery and SQLite can use as a second index column.
        people = f"{owner} IN ({','.join(map(str, sorted({self.user.pk, *self.members})))})"
        if deal is None:
            return f"({people})", []
        collaborations = f"{deal} IN (SELECT c.deal_id FROM deals_dealcollaborator c WHERE c.user_id = %s)"
        return f"({people} OR {collaborations})", [self.user.pk]

    def visibility_parts(self, links: str = "", link_params: list[Any] | None = None) -> list[tuple[str, list[Any]]]:
        """The reader's visible deals as disjoint conditions (owners in scope; deals seen only as a
        collaborator), each of which can use the owner-first indexes that the ORed form cannot. `links`
        narrows the collaborator links on their copies of the deal's fields (c.deal_closed_at …) first."""
        if self.user.is_admin:
            return [("1=1", [])]
        owned, owned_params = self.owners_scope("d.owner_id")
        link_owned, link_owned_params = self.owners_scope("c.deal_owner_id")
        only_collaborating = (
            f"d.id IN (SELECT c.deal_id FROM deals_dealcollaborator c WHERE c.user_id = %s{links} "
            f"AND NOT {link_owned}) AND NOT {owned}"
        )
        params = [self.user.pk, *(link_params or []), *link_owned_params, *owned_params]
        return [(owned, owned_params), (only_collaborating, params)]

    def closed_parts(self, filters: ReportFilters) -> list[tuple[str, list[Any]]]:
        return self.visibility_parts(" AND c.deal_closed_at >= %s AND c.deal_closed_at < %s", self.bounds(filters))

    def created_parts(self, filters: ReportFilters) -> list[tuple[str, list[Any]]]:
        return self.visibility_parts(" AND c.deal_created_at >= %s AND c.deal_created_at < %s", self.bounds(filters))

    def owners_scope(self, owner: str) -> tuple[str, list[Any]]:
        """The people whose rows the reader sees as owner (self, managed teams'; admins all)."""
        return self.scope_on(owner, None) if not self.user.is_admin else ("1=1", [])

    def totals(self, filters: ReportFilters, group: str, dimension: str = "all") -> None:
        """Created, won and lost figures per `group` (a daytotal column, or "" for one row) from the daily
        totals; deals seen only as a collaborator are summed from the deals."""
        select_group = f"t.{group}, " if group else ""
        group_by = f" GROUP BY t.{group}" if group else ""
        owners, owner_params = self.owners_scope("t.owner_id")
        ops = connection.ops
        self.run(
            f"SELECT {select_group}SUM(t.created_count), SUM(t.created_value), SUM(t.created_won), "
            "SUM(t.created_lost), SUM(t.won_count), SUM(t.won_value), SUM(t.won_cycle_days), SUM(t.lost_count), "
            "SUM(t.lost_value) FROM deals_daytotal t WHERE t.dimension = %s AND t.day >= %s AND t.day <= %s "
            f"AND {owners}{group_by}",
            [
                dimension,
                ops.adapt_datefield_value(filters.start),
                ops.adapt_datefield_value(filters.end),
                *owner_params,
            ],
        )
        if self.user.is_admin:
            return
        deal_group = f"d.{group}, " if group and group != "day" else ""  # the summary sums the days anyway
        period = self.bounds(filters)
        closed_only, closed_params = self.closed_parts(filters)[1]
        self.run(
            f"SELECT {deal_group}d.status, COUNT(*), SUM(d.value_base), SUM({self.days('d.created_at', 'd.closed_at')}) "
            f"FROM deals_deal d WHERE d.status IN ('won', 'lost') AND d.closed_at >= %s AND d.closed_at < %s "
            f"AND {closed_only} GROUP BY {deal_group}d.status",
            [*period, *closed_params],
        )
        created_only, created_params = self.created_parts(filters)[1]
        self.run(
            f"SELECT {deal_group}d.status, COUNT(*), SUM(d.value_base) FROM deals_deal d "
            f"WHERE d.created_at >= %s AND d.created_at < %s AND {created_only} GROUP BY {deal_group}d.status",
            [*period, *created_params],
        )

    # -- dialect -------------------------------------------------------------------------------------
    def local_date(self, col: str) -> str:
        return f"(({col}) AT TIME ZONE '{self.zone}')::date" if self.pg else f"date({col}, '{self.minutes:+d} minutes')"

    def days(self, start: str, end: str) -> str:
        if self.pg:
            return f"({self.local_date(end)} - {self.local_date(start)})"
        shift = self.minutes * 60
        return f"(((unixepoch({end}) + {shift}) / 86400) - ((unixepoch({start}) + {shift}) / 86400))"

    def month(self, col: str) -> str:
        return (
            f"to_char(({col}) AT TIME ZONE '{self.zone}', 'YYYY-MM')"
            if self.pg
            else f"substr({self.local_date(col)}, 1, 7)"
        )

    def date_month(self, col: str) -> str:
        return f"to_char({col}, 'YYYY-MM')" if self.pg else f"substr({col}, 1, 7)"

    def hours(self, start: str, end: str) -> str:
        if self.pg:
            return f"(EXTRACT(EPOCH FROM ({end}) - ({start})) / 3600.0)"
        return f"((julianday({end}) - julianday({start})) * 24.0)"

    def bounds(self, filters: ReportFilters) -> list[Any]:
        ops = connection.ops
        return [ops.adapt_datetimefield_value(filters.start_at), ops.adapt_datetimefield_value(filters.end_before)]

    def run(self, sql: str, params: list[Any]) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # -- figures ---------------------------------------------------------------------------------------
    def _summary(self, filters: ReportFilters, group: str = "") -> None:
        select_group = f"{group}, " if group else ""
        period = self.bounds(filters)
        if self.rollup:
            self.totals(filters, group.removeprefix("d.") if group else "day")
        else:
            self._deal_totals(filters, group)
        for part, part_params in self.closed_parts(filters):  # the cycle lengths' histogram, for the median
            self.run(
                f"SELECT {select_group}{self.days('d.created_at', 'd.closed_at')} AS v, COUNT(*) FROM deals_deal d "
                f"WHERE d.status='won' AND d.closed_at >= %s AND d.closed_at < %s AND {part} "
                f"GROUP BY {select_group}v",
                [*period, *part_params],
            )
        self._pipeline_at_end(filters, group)

    def _deal_totals(self, filters: ReportFilters, group: str) -> None:
        select_group = f"{group}, " if group else ""
        group_by = f" GROUP BY {group}" if group else ""
        period = self.bounds(filters)
        self.run(  # counts and values per status; the cycle total comes from the histogram below
            f"SELECT {select_group}d.status, COUNT(*), SUM(d.value_base) FROM deals_deal d "
            f"WHERE d.status IN ('won','lost') AND d.closed_at >= %s AND d.closed_at < %s AND {self.scope} "
            f"GROUP BY {select_group}d.status",
            [*period, *self.scope_params],
        )
        self.run(
            f"SELECT {select_group}COUNT(*), SUM(d.value_base) FROM deals_deal d "
            f"WHERE d.created_at >= %s AND d.created_at < %s AND {self.scope}{group_by}",
            [*period, *self.scope_params],
        )

    def _pipeline_at_end(self, filters: ReportFilters, group: str) -> None:
        if filters.end >= timezone.localdate():
            self.open_pipeline("d.owner_id" if group else "")
        elif self.rollup:  # the owners' snapshot totals, and the rows of deals seen only as a collaborator
            day = connection.ops.adapt_datefield_value(filters.end + dt.timedelta(days=1))
            owners, owner_params = self.owners_scope("t.owner_id")
            select_owner, group_owner = ("t.owner_id, ", " GROUP BY t.owner_id") if group else ("", "")
            self.run(
                f"SELECT {select_owner}SUM(t.deal_count), SUM(t.value), SUM(t.weighted) FROM reports_snapshottotal t "
                f"WHERE t.day = %s AND {owners}{group_owner}",
                [day, *owner_params],
            )
            if self.user.is_admin:
                return
            collaborating, collaborating_params = self.collaboration_snapshots([day])
            select_owner, group_owner = ("p.owner_id, ", " GROUP BY p.owner_id") if group else ("", "")
            self.run(
                f"SELECT {select_owner}COUNT(*), SUM(p.value_base), SUM(p.value_base * p.probability) "
                f"FROM reports_pipelinesnapshot p WHERE p.day = %s AND {collaborating}{group_owner}",
                [day, *collaborating_params],
            )
        else:
            snapshot_group = group.replace("d.", "p.")
            select_snapshot = f"{snapshot_group}, " if group else ""
            for snapshot_scope, snapshot_params in self.snapshot_parts():
                self.run(
                    f"SELECT {select_snapshot}COUNT(*), SUM(p.value_base), SUM(p.value_base * p.probability) "
                    "FROM reports_pipelinesnapshot p "
                    f"WHERE p.day = %s AND {snapshot_scope}{' GROUP BY ' + snapshot_group if group else ''}",
                    [connection.ops.adapt_datefield_value(filters.end + dt.timedelta(days=1)), *snapshot_params],
                )

    def snapshot_parts(self) -> list[tuple[str, list[Any]]]:
        """Snapshot visibility in one ORed condition on PostgreSQL (a hashed subplan), in two parts on SQLite
        (the day/owner index for the owners in scope, the day/deal key for the collaborations)."""
        if self.pg or self.user.is_admin:
            return [self.scope_on("p.owner_id", "p.deal_id")]
        owned, owned_params = self.owners_scope("p.owner_id")
        collaborating = "p.deal_id IN (SELECT c.deal_id FROM deals_dealcollaborator c WHERE c.user_id = %s)"
        return [(owned, owned_params), (f"{collaborating} AND NOT {owned}", [self.user.pk, *owned_params])]

    def collaboration_snapshots(self, days: list[Any]) -> tuple[str, list[Any]]:
        """Snapshot rows of deals seen only as a collaborator, on links of deals still open when the earliest
        of these days' snapshots was taken (a deal closed before then is in none of them)."""
        owned, owned_params = self.owners_scope("p.owner_id")
        taken = self.run(
            f"SELECT MIN(taken_at) FROM reports_snapshotday WHERE day IN ({', '.join(['%s'] * len(days))})", days
        )[0][0]
        return (
            "p.deal_id IN (SELECT c.deal_id FROM deals_dealcollaborator c WHERE c.user_id = %s "
            f"AND (c.deal_closed_at IS NULL OR c.deal_closed_at >= %s)) AND NOT {owned}",
            [self.user.pk, taken, *owned_params],
        )

    def open_pipeline(self, group: str) -> None:
        """Open deals summed per stage (and group) on the covering index, the stage's probability applied after."""
        outer = "t.g, " if group else ""
        inner = f"{group} AS g, " if group else ""
        for part, part_params in self.visibility_parts(" AND c.deal_closed_at IS NULL"):
            self.run(
                f"SELECT {outer}SUM(t.c), SUM(t.v), SUM(COALESCE(t.plain, 0) * s.probability + COALESCE(t.own, 0)) "
                f"FROM (SELECT {inner}d.owner_id, d.stage_id, COUNT(*) c, SUM(d.value_base) v, "
                "SUM(CASE WHEN d.probability_override IS NULL THEN d.value_base END) plain, "
                "SUM(d.value_base * d.probability_override) own "
                # grouped in the covering index's order (status, owner, stage), so no sort is needed
                f"FROM deals_deal d WHERE d.status = 'open' AND {part} GROUP BY d.owner_id, d.stage_id"
                f") t JOIN pipelines_stage s ON s.id = t.stage_id{' GROUP BY t.g' if group else ''}",
                part_params,
            )

    def summary(self) -> None:
        self._summary(self.filters)
        self._summary(self.filters.previous())

    def by_owner(self) -> None:
        self._summary(self.filters, "d.owner_id")

    def funnel(self) -> None:
        period = self.bounds(self.filters)
        pipeline = (
            self.run("SELECT id FROM pipelines_pipeline WHERE is_default", [])[0][0]
            if self.pg
            else self.run("SELECT id FROM pipelines_pipeline WHERE is_default = 1", [])[0][0]
        )
        stages = [
            row[0]
            for row in self.run("SELECT id FROM pipelines_stage WHERE pipeline_id = %s AND kind = 'open'", [pipeline])
        ]
        in_stages = ", ".join(str(pk) for pk in stages)
        if self.rollup:  # the owners' daily stage totals, and the visits of deals seen only as a collaborator
            ops = connection.ops
            days = [ops.adapt_datefield_value(self.filters.start), ops.adapt_datefield_value(self.filters.end)]
            owners, owner_params = self.owners_scope("t.owner_id")
            self.run(
                "SELECT t.kind, t.stage_id, SUM(t.visits), SUM(t.moved_on), SUM(t.seconds) FROM deals_stagedaytotal t "
                f"WHERE t.kind IN ('entered', 'left') AND t.stage_id IN ({in_stages}) AND t.day >= %s AND t.day <= %s "
                f"AND (t.kind = 'left' OR t.previous_day IS NULL OR t.previous_day < %s) AND {owners} "
                "GROUP BY t.kind, t.stage_id",
                [*days, days[0], *owner_params],
            )
            if self.user.is_admin:
                return
            collaborating, collaborating_params = self.collaboration_visits()
            self.run(
                "SELECT v.stage_id, SUM(CASE WHEN v.entered_at >= %s AND v.entered_at < %s AND "
                "(v.previous_entry_at IS NULL OR v.previous_entry_at < %s) THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN v.entered_at >= %s AND v.entered_at < %s AND "
                "(v.previous_entry_at IS NULL OR v.previous_entry_at < %s) AND v.moved_on THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN v.left_at >= %s AND v.left_at < %s THEN v.seconds END), "
                "SUM(CASE WHEN v.left_at >= %s AND v.left_at < %s THEN 1 ELSE 0 END) FROM deals_stagevisit v "
                f"WHERE v.stage_id IN ({in_stages}) AND {collaborating} GROUP BY v.stage_id",
                [*period, period[0], *period, period[0], *period, *period, *collaborating_params],
            )
            return
        for visible, visible_params in self.visit_parts():
            self.run(
                "SELECT v.stage_id, COUNT(*), SUM(CASE WHEN v.moved_on THEN 1 ELSE 0 END) FROM deals_stagevisit v "
                f"WHERE v.stage_id IN ({in_stages}) AND v.entered_at >= %s AND v.entered_at < %s "
                f"AND (v.previous_entry_at IS NULL OR v.previous_entry_at < %s) AND {visible} GROUP BY v.stage_id",
                [*period, period[0], *visible_params],
            )
            self.run(
                "SELECT v.stage_id, SUM(v.seconds), COUNT(*) FROM deals_stagevisit v "
                f"WHERE v.stage_id IN ({in_stages}) AND v.left_at >= %s AND v.left_at < %s AND {visible} "
                "GROUP BY v.stage_id",
                [*period, *visible_params],
            )

    def visit_parts(self) -> list[tuple[str, list[Any]]]:
        """Visit visibility in one ORed condition on PostgreSQL, in two parts on SQLite: the owners in scope,
        and the visits of deals seen only as a collaborator that existed during the period."""
        if self.pg or self.user.is_admin:
            return [self.scope_on("v.owner_id", "v.deal_id")]
        return [self.owners_scope("v.owner_id"), self.collaboration_visits()]

    def collaboration_visits(self) -> tuple[str, list[Any]]:
        """The visits of deals seen only as a collaborator that existed during the period."""
        owned, owned_params = self.owners_scope("v.owner_id")
        link_owned, link_owned_params = self.owners_scope("c.deal_owner_id")
        start, end = self.bounds(self.filters)
        alive = (
            "v.deal_id IN (SELECT c.deal_id FROM deals_dealcollaborator c WHERE c.user_id = %s "
            "AND c.deal_created_at < %s AND (c.deal_closed_at IS NULL OR c.deal_closed_at >= %s) "
            f"AND NOT {link_owned}) AND NOT {owned}"
        )
        return alive, [self.user.pk, end, start, *link_owned_params, *owned_params]

    def _months(self) -> tuple[dt.date, dt.date, list[dt.date]]:
        first = self.filters.start.replace(day=1)
        last = self.filters.end
        firsts = []
        month = first
        while month <= last:
            firsts.append(month)
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return first, last, firsts

    def forecast(self) -> None:
        ops = connection.ops
        first, last, firsts = self._months()
        # parts on SQLite (owner-first indexes), one ORed read on PostgreSQL (a hashed subplan)
        open_parts = self.visibility_parts(" AND c.deal_closed_at IS NULL") if not self.pg else [self.scope_pair]
        for part, part_params in open_parts:
            self.run(
                f"SELECT {self.date_month('d.expected_close_date')} m, "
                "COALESCE(NULLIF(d.forecast_category_override, ''), d.forecast_category) c, SUM(d.value_base), "
                "SUM(d.value_base * COALESCE(d.probability_override, s.probability)), COUNT(*) "
                "FROM deals_deal d JOIN pipelines_stage s ON s.id = d.stage_id WHERE d.status = 'open' "
                f"AND d.expected_close_date >= %s AND d.expected_close_date <= %s AND {part} GROUP BY m, c",
                [ops.adapt_datefield_value(first), ops.adapt_datefield_value(last), *part_params],
            )
        for part, part_params in self.closed_parts(self.filters) if not self.pg else [self.scope_pair]:
            self.run(
                f"SELECT {self.month('d.closed_at')} m, SUM(d.value_base), COUNT(*) FROM deals_deal d "
                f"WHERE d.status = 'won' AND d.closed_at >= %s AND d.closed_at < %s AND {part} GROUP BY m",
                [*self.bounds(self.filters), *part_params],
            )
        today = timezone.localdate()
        started = [m for m in firsts if m <= today]
        if self.rollup and started:
            days = [ops.adapt_datefield_value(m) for m in started]
            owners, owner_params = self.owners_scope("t.owner_id")
            in_days = ", ".join(["%s"] * len(days))
            self.run(
                "SELECT t.day, t.forecast_category, SUM(t.value), SUM(t.weighted), SUM(t.deal_count) "
                f"FROM reports_snapshottotal t WHERE t.day IN ({in_days}) AND t.close_month = t.day AND {owners} "
                "GROUP BY t.day, t.forecast_category",
                [*days, *owner_params],
            )
            if self.user.is_admin:
                return
            collaborating, collaborating_params = self.collaboration_snapshots(days)
            for month in started:
                end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
                self.run(
                    "SELECT p.forecast_category, SUM(p.value_base), SUM(p.value_base * p.probability), COUNT(*) "
                    "FROM reports_pipelinesnapshot p WHERE p.day = %s "
                    f"AND p.expected_close_date >= %s AND p.expected_close_date <= %s AND {collaborating} "
                    "GROUP BY p.forecast_category",
                    [
                        ops.adapt_datefield_value(month),
                        ops.adapt_datefield_value(month),
                        ops.adapt_datefield_value(end),
                        *collaborating_params,
                    ],
                )
            return
        for month in started:
            end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            for snapshot_scope, snapshot_params in self.snapshot_parts():
                self.run(
                    "SELECT p.forecast_category, SUM(p.value_base), SUM(p.value_base * p.probability), COUNT(*) "
                    "FROM reports_pipelinesnapshot p WHERE p.day = %s "
                    f"AND p.expected_close_date >= %s AND p.expected_close_date <= %s AND {snapshot_scope} "
                    "GROUP BY p.forecast_category",
                    [
                        ops.adapt_datefield_value(month),
                        ops.adapt_datefield_value(month),
                        ops.adapt_datefield_value(end),
                        *snapshot_params,
                    ],
                )

    def team(self) -> None:
        period = self.bounds(self.filters)
        # the table's rows are the reader's people (self and managed teams), whose activities are all visible
        if self.rollup:  # the daily activity totals: per kind, and per previous touch day for first touches
            ops = connection.ops
            totals_people, totals_params = self.scope_on("t.user_id", None)
            sums = ", ".join(f"SUM(CASE WHEN t.kind = '{kind}' THEN t.count ELSE 0 END)" for kind in ACTIVITY_KINDS)
            self.run(
                f"SELECT t.user_id, {sums}, SUM(CASE WHEN t.dimension = 'kind' AND t.pipeline_id IS NOT NULL "
                "THEN t.count ELSE 0 END), SUM(CASE WHEN t.dimension = 'touch' AND (t.previous_day IS NULL OR "
                "t.previous_day < %s) THEN t.count ELSE 0 END) FROM activities_activitydaytotal t "
                f"WHERE t.dimension IN ('kind', 'touch') AND t.day >= %s AND t.day <= %s AND {totals_people} "
                "GROUP BY t.user_id",
                [
                    ops.adapt_datefield_value(self.filters.start),
                    ops.adapt_datefield_value(self.filters.start),
                    ops.adapt_datefield_value(self.filters.end),
                    *totals_params,
                ],
            )
        else:
            kinds = ", ".join(f"SUM(CASE WHEN a.kind = '{kind}' THEN 1 ELSE 0 END)" for kind in ACTIVITY_KINDS)
            people, people_params = self.scope_on("a.user_id", None)
            self.run(
                f"SELECT a.user_id, {kinds}, COUNT(a.deal_id), SUM(CASE WHEN a.deal_id IS NOT NULL AND "
                "(a.previous_touch_at IS NULL OR a.previous_touch_at < %s) THEN 1 ELSE 0 END) "
                f"FROM activities_activity a WHERE a.occurred_at >= %s AND a.occurred_at < %s AND {people} "
                "GROUP BY a.user_id",
                [period[0], *period, *people_params],
            )
        if self.rollup:
            self.totals(self.filters, "owner_id")
        else:
            self.run(
                "SELECT d.owner_id, SUM(CASE WHEN d.status='won' THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN d.status='lost' THEN 1 ELSE 0 END), SUM(CASE WHEN d.status='won' THEN d.value_base END) "
                "FROM deals_deal d WHERE d.status IN ('won','lost') AND d.closed_at >= %s AND d.closed_at < %s "
                f"AND {self.scope} GROUP BY d.owner_id",
                [*period, *self.scope_params],
            )
        self.run(
            f"SELECT d.owner_id, AVG({self.hours('d.created_at', 'd.first_response_at')}), COUNT(*), "
            "SUM(CASE WHEN d.first_response_at IS NULL THEN 1 ELSE 0 END) FROM deals_deal d "
            f"WHERE d.created_at >= %s AND d.created_at < %s AND {self.scope} GROUP BY d.owner_id",
            [*period, *self.scope_params],
        )
        visible, visible_params = self.scope_on("v.owner_id", "v.deal_id")
        self.run(
            "SELECT v.owner_id, COUNT(DISTINCT v.deal_id) FROM deals_stagevisit v "
            "WHERE v.stage_id IN (SELECT id FROM pipelines_stage WHERE kind = 'fridge') "
            f"AND v.entered_at >= %s AND v.entered_at < %s AND {visible} GROUP BY v.owner_id",
            [*period, *visible_params],
        )
        now = timezone.now()
        self.run(
            "SELECT d.owner_id, COUNT(*) FROM deals_deal d JOIN pipelines_stage s ON s.id = d.stage_id "
            "WHERE d.status = 'open' AND s.rotting_days IS NOT NULL AND d.stage_entered_at <= "
            + (
                "%s - (s.rotting_days + 1) * INTERVAL '1 day'"
                if self.pg
                else "datetime(%s, '-' || (s.rotting_days + 1) || ' days')"
            )
            + " AND (d.last_activity_at IS NULL OR d.last_activity_at <= "
            + (
                "%s - (s.rotting_days + 1) * INTERVAL '1 day'"
                if self.pg
                else "datetime(%s, '-' || (s.rotting_days + 1) || ' days')"
            )
            + f") AND {self.scope} GROUP BY d.owner_id",
            [connection.ops.adapt_datetimefield_value(now)] * 2 + self.scope_params,
        )

    def dashboard(self) -> None:
        self.summary()  # with the daily totals, its per-day read also gives the won value per month
        self.funnel()
        period = self.bounds(self.filters)
        self.open_pipeline("d.stage_id")
        if self.rollup:
            self.totals(self.filters, "lost_reason_id", "reason")
            self.totals(self.filters, "source_id", "source")
        else:
            self._dashboard_from_deals()
        per_part = [
            (
                "SELECT d.company_id, COUNT(*) AS c, SUM(d.value_base) AS v FROM deals_deal d WHERE d.status = 'won' "
                f"AND d.company_id IS NOT NULL AND d.closed_at >= %s AND d.closed_at < %s AND {part} GROUP BY d.company_id",
                [*period, *part_params],
            )
            for part, part_params in self.closed_parts(self.filters)
        ]
        self.run(
            f"SELECT t.company_id, SUM(t.c), SUM(t.v) AS v FROM ({' UNION ALL '.join(sql for sql, _p in per_part)}) t "
            "GROUP BY t.company_id ORDER BY v DESC LIMIT 10",
            [param for _sql, params in per_part for param in params],
        )

    def _dashboard_from_deals(self) -> None:
        period = self.bounds(self.filters)
        for filters in (self.filters, self.filters.previous()):
            self.run(
                f"SELECT {self.month('d.closed_at')} m, COUNT(*), SUM(d.value_base) FROM deals_deal d "
                f"WHERE d.status = 'won' AND d.closed_at >= %s AND d.closed_at < %s AND {self.scope} GROUP BY m",
                [*self.bounds(filters), *self.scope_params],
            )
        self.run(
            "SELECT d.lost_reason_id, COUNT(*), SUM(d.value_base) FROM deals_deal d WHERE d.status = 'lost' "
            f"AND d.closed_at >= %s AND d.closed_at < %s AND {self.scope} GROUP BY d.lost_reason_id",
            [*period, *self.scope_params],
        )
        self.run(
            "SELECT d.source_id, COUNT(*), SUM(d.value_base), SUM(CASE WHEN d.status='won' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN d.status='lost' THEN 1 ELSE 0 END) FROM deals_deal d "
            f"WHERE d.created_at >= %s AND d.created_at < %s AND {self.scope} GROUP BY d.source_id ORDER BY 2 DESC LIMIT 10",
            [*period, *self.scope_params],
        )
