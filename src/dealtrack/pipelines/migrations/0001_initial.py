import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Pipeline',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('is_default', models.BooleanField(default=False, verbose_name='default')),
                ('is_archived', models.BooleanField(default=False, verbose_name='archived')),
            ],
            options={
                'verbose_name': 'pipeline',
                'verbose_name_plural': 'pipelines',
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Stage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('kind', models.CharField(choices=[('open', 'Open'), ('won', 'Won'), ('lost', 'Lost'), ('fridge', 'Fridge')], default='open', max_length=8, verbose_name='kind')),
                ('probability', models.PositiveSmallIntegerField(default=10, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='win probability (%)')),
                ('rotting_days', models.PositiveIntegerField(blank=True, null=True, verbose_name='rotting after (days)')),
                ('required_fields', models.JSONField(blank=True, default=list, verbose_name='required fields')),
                ('checklist', models.JSONField(blank=True, default=list, verbose_name='checklist')),
                ('pipeline', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stages', to='pipelines.pipeline', verbose_name='pipeline')),
            ],
            options={
                'verbose_name': 'stage',
                'verbose_name_plural': 'stages',
                'ordering': ['pipeline_id', 'position', 'id'],
                'constraints': [models.UniqueConstraint(fields=('pipeline', 'name'), name='unique_stage_name_per_pipeline')],
            },
        ),
    ]
