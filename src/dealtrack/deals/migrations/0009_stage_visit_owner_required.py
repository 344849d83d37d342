# Written by hand: the second half of 0008, in a transaction of its own.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deals', '0008_stage_visit_owner'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='stagevisit',
            name='owner',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='stagevisit',
            index=models.Index(fields=['stage', 'entered_at', 'previous_entry_at', 'moved_on', 'owner', 'deal'], name='visit_entered'),
        ),
        migrations.AddIndex(
            model_name='stagevisit',
            index=models.Index(fields=['stage', 'left_at', 'seconds', 'owner', 'deal'], name='visit_left'),
        ),
    ]
