import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('deals', '0004_forecast_category_override'),
        ('pipelines', '0002_default_pipeline'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SnapshotDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True, verbose_name='day')),
                ('taken_at', models.DateTimeField(verbose_name='taken at')),
                ('deal_count', models.PositiveIntegerField(default=0, verbose_name='open deals')),
            ],
            options={
                'verbose_name': 'snapshot day',
                'verbose_name_plural': 'snapshot days',
                'ordering': ['-day'],
            },
        ),
        migrations.CreateModel(
            name='PipelineSnapshot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('value_base', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('probability', models.PositiveSmallIntegerField(default=0)),
                ('expected_close_date', models.DateField(blank=True, null=True)),
                ('forecast_category', models.CharField(choices=[('pipeline', 'Pipeline'), ('best_case', 'Best case'), ('commit', 'Commit'), ('closed', 'Closed'), ('omitted', 'Omitted')], max_length=10)),
                ('deal_type', models.CharField(choices=[('new', 'New business'), ('renewal', 'Renewal'), ('expansion', 'Expansion')], default='new', max_length=10)),
                ('deal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='deals.deal')),
                ('owner', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('pipeline', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pipelines.pipeline')),
                ('stage', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pipelines.stage')),
            ],
            options={
                'verbose_name': 'pipeline snapshot',
                'verbose_name_plural': 'pipeline snapshots',
                'ordering': ['day', 'deal_id'],
                'indexes': [models.Index(fields=['day', 'owner', 'value_base', 'probability', 'expected_close_date', 'forecast_category'], name='snapshot_day_owner'), models.Index(fields=['day', 'expected_close_date'], name='snapshot_day_close')],
                'constraints': [models.UniqueConstraint(fields=('day', 'deal'), name='unique_snapshot_day_deal')],
            },
        ),
    ]
