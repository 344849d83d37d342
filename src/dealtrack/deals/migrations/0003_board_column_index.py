from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0001_initial'),
        ('deals', '0002_default_reasons_and_sources'),
        ('pipelines', '0002_default_pipeline'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['stage', '-value_base'], name='deal_stage_value'),
        ),
    ]
