"""Currencies deals are commonly valued in. Rates are starting points an admin keeps current."""

from decimal import Decimal

from django.db import migrations

CURRENCIES = [
    ("CNY", "人民币", "1"),
    ("USD", "US Dollar", "7.10"),
    ("EUR", "Euro", "7.70"),
    ("HKD", "港币", "0.91"),
    ("TWD", "新台币", "0.22"),
    ("JPY", "日元", "0.047"),
]


def create_currencies(apps, schema_editor):
    Currency = apps.get_model("core", "Currency")
    for code, name, rate in CURRENCIES:
        Currency.objects.get_or_create(code=code, defaults={"name": name, "rate_to_base": Decimal(rate)})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_currencies, migrations.RunPython.noop)]
