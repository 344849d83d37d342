import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_api_tokens'),
    ]

    operations = [
        migrations.CreateModel(
            name='SavedView',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('list_key', models.CharField(max_length=32, verbose_name='list')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('query', models.TextField(blank=True, verbose_name='query')),
                ('shared', models.BooleanField(default=False, verbose_name='shared with my team')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='saved_views', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
            ],
            options={
                'verbose_name': 'saved view',
                'verbose_name_plural': 'saved views',
                'ordering': ['list_key', 'name', 'id'],
                'constraints': [models.UniqueConstraint(fields=('owner', 'list_key', 'name'), name='unique_saved_view_name')],
            },
        ),
    ]
