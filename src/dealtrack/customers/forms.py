"""Company and contact forms: they parse input; `customers.services` validates and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.form_fields import add_custom_fields, custom_values
from dealtrack.customers.choices import CompanySize
from dealtrack.customers.models import Company, Contact


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    size = forms.ChoiceField(label=_("Size"), choices=[("", "—"), *CompanySize.choices], required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args: Any, company: Company | None = None, **kwargs: Any) -> None:
        if company is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(company, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        add_custom_fields(self, CustomFieldEntity.COMPANY, company.custom if company else None)

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data.get(name) or "" for name in self.base_fields}
        if self.custom_definitions:
            values["custom"] = custom_values(self)
        return values


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=50, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    wechat = forms.CharField(label=_("WeChat id"), max_length=100, required=False)

    def __init__(self, *args: Any, contact: Contact | None = None, **kwargs: Any) -> None:
        if contact is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(contact, name) for name in self.base_fields if name != "company_name"}
            kwargs["initial"]["company_name"] = contact.company.name if contact.company else ""
        super().__init__(*args, **kwargs)
        add_custom_fields(self, CustomFieldEntity.CONTACT, contact.custom if contact else None)

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data.get(name) or "" for name in self.base_fields if name != "company_name"}
        if self.custom_definitions:
            values["custom"] = custom_values(self)
        return values
