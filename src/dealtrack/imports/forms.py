from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.fields import field_choices


class UploadForm(forms.Form):
    entity = forms.ChoiceField(label=_("Import as"), choices=ImportEntity.choices)
    file = forms.FileField(label=_("File (CSV, XLSX, XLS or ODS)"))


class MappingForm(forms.Form):
    """One select per column of the file ({header: field}, empty = skip), plus the run's options."""

    pipeline = forms.CharField(label=_("Pipeline (deals)"), required=False, max_length=100)
    create_missing = forms.BooleanField(
        label=_("Create missing owners, companies, contacts, products, pipeline and stages"), required=False
    )
    valid_rows_only = forms.BooleanField(
        label=_("Import the valid rows and give me the rejected ones (default: all or nothing)"), required=False
    )
    preset_name = forms.CharField(label=_("Save this mapping as"), required=False, max_length=100)

    def __init__(self, *args: Any, entity: str, headers: list[str], mapping: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— do not import —")), *field_choices(entity)]
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapping.get(header, "")
            )

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data.get(f"column_{i}", "") for i, header in enumerate(self.headers)}

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{i}"] for i in range(len(self.headers))]
