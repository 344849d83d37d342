# Written by hand: the visit's owner is filled by deriving every visit again from the event log. The
# column is made required and indexed in 0009: PostgreSQL refuses to alter a table in the transaction
# that inserted rows into it (the foreign-key checks are still pending).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def derive_visits(apps, schema_editor):
    from dealtrack.deals.stage_visits import rebuild_all_stage_visits

    rebuild_all_stage_visits(schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('deals', '0007_stage_visits_first_response'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name='stagevisit', name='visit_entered'),
        migrations.RemoveIndex(model_name='stagevisit', name='visit_left'),
        migrations.AddField(
            model_name='stagevisit',
            name='owner',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(derive_visits, migrations.RunPython.noop, elidable=True),
    ]
