from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0001_initial'),
        ('deals', '0004_forecast_category_override'),
        ('pipelines', '0002_default_pipeline'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['status', 'closed_at', 'owner', 'value_base', 'created_at'], name='deal_report_closed'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['created_at', 'owner', 'value_base', 'status'], name='deal_report_created'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['status', 'stage', 'stage_entered_at', 'last_activity_at', 'owner'], name='deal_report_stalled'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['status', 'expected_close_date', 'owner', 'stage', 'value_base', 'probability_override', 'forecast_category', 'forecast_category_override'], name='deal_report_open'),
        ),
        migrations.AddIndex(
            model_name='dealevent',
            index=models.Index(fields=['to_stage', 'occurred_at', 'type', 'deal'], name='event_report_entries'),
        ),
        migrations.AddIndex(
            model_name='dealevent',
            index=models.Index(fields=['deal', 'occurred_at', 'type', 'to_stage'], name='event_report_moves'),
        ),
    ]
