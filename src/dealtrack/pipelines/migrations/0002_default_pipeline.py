"""The default pipeline, with the stage set of the sales tracker template (评估中 … 丢单)."""

from django.db import migrations

# Copied from templates_catalog at the time of writing: migrations must not import app code.
STAGES = [
    ("Evaluating", 10, "open", 14, []),
    ("Qualified", 25, "open", 14, []),
    ("Building proposal", 50, "open", 21, ["value"]),
    ("Negotiating", 75, "open", 21, ["value", "expected_close_date"]),
    ("Won", 100, "won", None, []),
    ("Lost", 0, "lost", None, []),
]


def create_default_pipeline(apps, schema_editor):
    Pipeline = apps.get_model("pipelines", "Pipeline")
    Stage = apps.get_model("pipelines", "Stage")
    if Pipeline.objects.exists():
        return
    pipeline = Pipeline.objects.create(name="Sales pipeline", position=0, is_default=True)
    for position, (name, probability, kind, rotting, required) in enumerate(STAGES):
        Stage.objects.create(pipeline=pipeline, name=name, position=position, kind=kind,
                             probability=probability, rotting_days=rotting, required_fields=required)


class Migration(migrations.Migration):
    dependencies = [("pipelines", "0001_initial")]
    operations = [migrations.RunPython(create_default_pipeline, migrations.RunPython.noop)]
