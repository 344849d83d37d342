"""Forms of the deal pages. They parse input only; `deals.services` decides what is valid and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.form_fields import CUSTOM_PREFIX, add_custom_fields, custom_form_field, custom_values
from dealtrack.core.models import CustomFieldDefinition, User
from dealtrack.customers.models import Contact
from dealtrack.deals.choices import DealType, ForecastCategory, LeadGrade, Priority
from dealtrack.deals.models import Deal, LostReason, Source
from dealtrack.pipelines.models import Pipeline, Stage

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class DealFieldsForm(forms.Form):
    """The key fields of a deal, as on the deal page; `company_name` links or creates the company."""

    name = forms.CharField(label=_("Deal name"), max_length=200)
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False)
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=16, decimal_places=2, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False, initial="CNY")
    expected_close_date = forms.DateField(label=_("Expected close date"), required=False, widget=DATE_INPUT)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    source = forms.ModelChoiceField(label=_("Source"), queryset=Source.objects.filter(is_active=True), required=False)
    lead_grade = forms.ChoiceField(label=_("Lead grade"), choices=_blank(LeadGrade.choices), required=False)
    deal_type = forms.ChoiceField(label=_("Type"), choices=DealType.choices, initial=DealType.NEW)
    forecast_category = forms.ChoiceField(
        label=_("Forecast category"), choices=ForecastCategory.choices, initial=ForecastCategory.PIPELINE
    )
    probability_override = forms.IntegerField(
        label=_("Probability override (%)"), min_value=0, max_value=100, required=False
    )
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate tags with commas."), max_length=500)

    def __init__(self, *args: Any, deal: Deal | None = None, **kwargs: Any) -> None:
        if deal is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(deal)
        super().__init__(*args, **kwargs)
        add_custom_fields(self, CustomFieldEntity.DEAL, deal.custom if deal else None)

    def changes(self) -> dict[str, Any]:
        """The cleaned values as `update_deal` changes (company resolved by the view)."""
        data = self.cleaned_data
        changes = {
            name: data.get(name)
            for name in (
                "name",
                "value",
                "expected_close_date",
                "priority",
                "source",
                "lead_grade",
                "deal_type",
                "forecast_category",
                "probability_override",
                "next_step",
            )
            if name in self.fields
        }
        changes["currency"] = (data.get("currency") or "CNY").upper()
        changes["tags"] = [t.strip() for t in (data.get("tags") or "").replace("，", ",").split(",") if t.strip()]
        if getattr(self, "custom_definitions", None):
            changes["custom"] = custom_values(self)
        return changes


def initial_for(deal: Deal) -> dict[str, Any]:
    return {
        "name": deal.name,
        "company_name": deal.company.name if deal.company else "",
        "value": deal.value,
        "currency": deal.currency,
        "expected_close_date": deal.expected_close_date,
        "priority": deal.priority,
        "source": deal.source_id,
        "lead_grade": deal.lead_grade,
        "deal_type": deal.deal_type,
        "forecast_category": deal.forecast_category,
        "probability_override": deal.probability_override,
        "next_step": deal.next_step,
        "tags": ", ".join(t.name for t in deal.tags.all()),
    }


class DealCreateForm(DealFieldsForm):
    """A new deal: the key fields plus where it starts and who owns it."""

    pipeline = forms.ModelChoiceField(label=_("Pipeline"), queryset=Pipeline.objects.filter(is_archived=False))
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.filter(kind__in=["open", "fridge"]))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.filter(is_active=True))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("forecast_category", "probability_override"):
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        stage, pipeline = data.get("stage"), data.get("pipeline")
        if stage and pipeline and stage.pipeline_id != pipeline.pk:
            self.add_error("stage", _("This stage belongs to another pipeline."))
        return data


class LostForm(forms.Form):
    lost_reason = forms.ModelChoiceField(
        label=_("Why was it lost?"), queryset=LostReason.objects.filter(is_active=True), empty_label="—"
    )
    lost_note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RequiredFieldsForm(forms.Form):
    """Asks for the fields a stage requires that the deal leaves empty (names as in `missing_required_fields`)."""

    def __init__(self, *args: Any, missing: list[str], deal: Deal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing = missing
        definitions = {d.key: d for d in CustomFieldDefinition.objects.filter(entity=CustomFieldEntity.DEAL)}
        template = DealFieldsForm(deal=deal)
        for name in missing:
            if name.startswith("custom."):
                definition = definitions.get(name.removeprefix("custom."))
                if definition is not None:
                    self.fields[CUSTOM_PREFIX + definition.key] = custom_form_field(definition, required=True)
            elif name == "company":
                self.fields["company_name"] = forms.CharField(label=_("Company"), max_length=200)
            elif name == "primary_contact":
                contacts = deal.company.contacts.all() if deal.company_id else Contact.objects.none()
                self.fields[name] = forms.ModelChoiceField(label=_("Primary contact"), queryset=contacts)
            elif name in template.fields:
                field = template.fields[name]
                field.required = True
                self.fields[name] = field

    def values(self) -> dict[str, Any]:
        """Values for `move_deal_to_stage(values=...)` (company_name resolved by the view)."""
        values: dict[str, Any] = {}
        custom: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith(CUSTOM_PREFIX):
                custom[name.removeprefix(CUSTOM_PREFIX)] = value if not hasattr(value, "pk") else value.pk
            elif name != "company_name":
                values[name] = value
        if custom:
            values["custom"] = {
                k: (str(v) if v is not None and not isinstance(v, bool | list) else v) for k, v in custom.items()
            }
        return values
