"""Companies (客户) and their contacts (联系人)."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealtrack.core.models import TimeStamped
from dealtrack.customers.choices import CompanySize

_LEGAL_SUFFIXES = re.compile(
    r"(有限责任公司|股份有限公司|有限公司|集团|公司|co\.?,? ?ltd\.?|inc\.?|llc|ltd\.?|corp\.?|corporation|gmbh)$"
)


def normalise_company_name(name: str) -> str:
    """The key companies are de-duplicated on: width-folded, lower-case, no spaces or legal suffix."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[\s\.,·()（）]+", "", text)
    stripped = _LEGAL_SUFFIXES.sub("", text)
    return stripped or text


class Company(TimeStamped):
    """A customer organisation; has contacts and deals, and may belong to a parent company."""

    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    normalised_name = models.CharField(max_length=200, db_index=True, editable=False)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    size = models.CharField(_("size"), max_length=16, choices=CompanySize.choices, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subsidiaries",
    )
    website = models.CharField(_("website"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="companies",
    )
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name


class Contact(TimeStamped):
    """A person at a company the team talks to."""

    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=150)
    company = models.ForeignKey(
        Company, verbose_name=_("company"), null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    wechat = models.CharField(_("WeChat id"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name
