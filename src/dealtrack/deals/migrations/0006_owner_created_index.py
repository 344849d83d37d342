from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0001_initial'),
        ('deals', '0005_report_indexes'),
        ('pipelines', '0002_default_pipeline'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['owner', 'created_at', 'id'], name='deal_owner_created'),
        ),
    ]
