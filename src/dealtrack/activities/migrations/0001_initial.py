import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('customers', '0001_initial'),
        ('deals', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Activity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('kind', models.CharField(choices=[('call', 'Call'), ('email', 'E-mail'), ('meeting', 'Meeting'), ('visit', 'Visit'), ('note', 'Note')], max_length=10, verbose_name='type')),
                ('subject', models.CharField(blank=True, max_length=200, verbose_name='subject')),
                ('outcome', models.TextField(blank=True, verbose_name='outcome')),
                ('occurred_at', models.DateTimeField(verbose_name='when')),
                ('duration_minutes', models.PositiveIntegerField(blank=True, null=True, verbose_name='duration (minutes)')),
                ('company', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='customers.company', verbose_name='company')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='activities', to='customers.contact', verbose_name='contact')),
                ('deal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='deals.deal', verbose_name='deal')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to=settings.AUTH_USER_MODEL, verbose_name='by')),
            ],
            options={
                'verbose_name': 'activity',
                'verbose_name_plural': 'activities',
                'ordering': ['-occurred_at', '-id'],
                'indexes': [models.Index(fields=['deal', 'occurred_at'], name='activity_deal_time'), models.Index(fields=['user', 'occurred_at'], name='activity_user_time'), models.Index(fields=['company', 'occurred_at'], name='activity_company_time')],
            },
        ),
    ]
