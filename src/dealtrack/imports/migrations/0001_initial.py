import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('entity', models.CharField(choices=[('deals', 'Deals'), ('companies', 'Companies'), ('contacts', 'Contacts'), ('activities', 'Activities'), ('products', 'Products'), ('users', 'Users and teams')], max_length=12, verbose_name='import as')),
                ('status', models.CharField(choices=[('uploaded', 'Uploaded'), ('validating', 'Validating'), ('validated', 'Checked'), ('running', 'Importing'), ('done', 'Imported'), ('failed', 'Not imported')], default='uploaded', max_length=12, verbose_name='status')),
                ('original_name', models.CharField(max_length=255, verbose_name='file')),
                ('stored_path', models.CharField(max_length=500)),
                ('file_size', models.PositiveBigIntegerField(default=0, verbose_name='size')),
                ('mapping', models.JSONField(blank=True, default=dict, verbose_name='mapping')),
                ('options', models.JSONField(blank=True, default=dict, verbose_name='options')),
                ('total_rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                ('processed_rows', models.PositiveIntegerField(default=0)),
                ('created_count', models.PositiveIntegerField(default=0, verbose_name='created')),
                ('updated_count', models.PositiveIntegerField(default=0, verbose_name='updated')),
                ('unchanged_count', models.PositiveIntegerField(default=0, verbose_name='unchanged')),
                ('rejected_count', models.PositiveIntegerField(default=0, verbose_name='rejected')),
                ('errors', models.JSONField(blank=True, default=list)),
                ('notes', models.JSONField(blank=True, default=list)),
                ('message', models.TextField(blank=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='import_jobs', to=settings.AUTH_USER_MODEL, verbose_name='by')),
            ],
            options={
                'verbose_name': 'import',
                'verbose_name_plural': 'imports',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='MappingPreset',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('entity', models.CharField(choices=[('deals', 'Deals'), ('companies', 'Companies'), ('contacts', 'Contacts'), ('activities', 'Activities'), ('products', 'Products'), ('users', 'Users and teams')], max_length=12, verbose_name='import as')),
                ('mapping', models.JSONField(default=dict, verbose_name='mapping')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'mapping preset',
                'verbose_name_plural': 'mapping presets',
                'ordering': ['entity', 'name'],
                'constraints': [models.UniqueConstraint(fields=('entity', 'name'), name='unique_mapping_preset')],
            },
        ),
    ]
