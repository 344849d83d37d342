"""Lost reasons and lead sources every team starts with (msgids, shown translated)."""

from django.db import migrations

LOST_REASONS = ["Price too high", "Chose a competitor", "No budget", "No decision", "Requirements not met",
                "Lost contact"]
SOURCES = ["Referral", "Website", "Trade show", "Cold call", "Partner", "Existing customer", "Advertising"]


def create_defaults(apps, schema_editor):
    LostReason = apps.get_model("deals", "LostReason")
    Source = apps.get_model("deals", "Source")
    for position, name in enumerate(LOST_REASONS):
        LostReason.objects.get_or_create(name=name, defaults={"position": position})
    for position, name in enumerate(SOURCES):
        Source.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
