"""Products, matched by name (loosely: “GTXPro” is “GTX Pro”)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dealtrack.deals.models import Product
from dealtrack.deals.services import save_product
from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.importers.base import Importer, Progress, Row
from dealtrack.imports.values import amount, name_key


class ProductImporter(Importer):
    entity = ImportEntity.PRODUCTS

    def plan(self, progress: Progress) -> None:
        existing = {name_key(p.name): p for p in Product.objects.all()}
        self.planned: list[tuple[Row, Product | None, dict[str, Any]]] = []
        seen: dict[str, int] = {}
        for row in self.rows():
            key = name_key(row["name"])
            if not row["name"]:
                self.error(row, "name", _("This field is required."))
                continue
            if key in seen:
                self.error(row, "name", _("Repeats the product of row %(row)d.") % {"row": seen[key]})
                continue
            seen[key] = row.number
            price = self.read(row, "price", amount)
            product = existing.get(key)
            values = {
                "name": product.name if product else row["name"],
                "code": row["code"] if row.has("code") else (product.code if product else ""),
                "series": row["series"] if row.has("series") else (product.series if product else ""),
                "price": price if price is not None else (product.price if product else 0),
                "currency": row["currency"] or (product.currency if product else "CNY"),
            }
            self.planned.append((row, product, values))
        progress(len(self.table))

    def write(self, progress: Progress) -> None:
        for row, product, values in self.planned:
            if row.number not in self.bad_rows:
                self.saving(row, lambda p=product, v=values: self._save(p, v))
        progress(len(self.planned))

    def _save(self, product: Product | None, values: dict[str, Any]) -> str:
        if product is None:
            save_product(product=None, **values)
            return "created"
        current = {"name": product.name, "code": product.code, "series": product.series, "price": product.price,
                   "currency": product.currency}  # fmt: skip
        if all(current[k] == v or str(current[k]) == str(v) for k, v in values.items()):
            return "unchanged"
        save_product(product=product, **values)
        return "updated"
