import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0003_api_tokens'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Quota',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('metric', models.CharField(choices=[('value', 'Won value'), ('count', 'Deals won')], default='value', max_length=8, verbose_name='measured in')),
                ('target', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18, verbose_name='target for the year')),
                ('weights', models.JSONField(blank=True, default=list, verbose_name='weights')),
                ('monthly_targets', models.JSONField(default=list, verbose_name='monthly targets')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='quotas', to=settings.AUTH_USER_MODEL, verbose_name='rep')),
                ('set_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='quotas', to='core.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'quota',
                'verbose_name_plural': 'quotas',
                'ordering': ['-year', 'team__name', 'owner__username', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('owner__isnull', False), ('team__isnull', True)), models.Q(('owner__isnull', True), ('team__isnull', False)), _connector='OR'), name='quota_for_owner_or_team'), models.UniqueConstraint(condition=models.Q(('owner__isnull', False)), fields=('year', 'owner', 'metric'), name='unique_owner_quota'), models.UniqueConstraint(condition=models.Q(('team__isnull', False)), fields=('year', 'team', 'metric'), name='unique_team_quota')],
            },
        ),
    ]
