import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('customers', '0001_initial'),
        ('pipelines', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LostReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'lost reason',
                'verbose_name_plural': 'lost reasons',
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Product',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('code', models.CharField(blank=True, max_length=50, verbose_name='code')),
                ('name', models.CharField(max_length=150, unique=True, verbose_name='name')),
                ('series', models.CharField(blank=True, max_length=100, verbose_name='series')),
                ('price', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=16, verbose_name='list price')),
                ('currency', models.CharField(default='CNY', max_length=3, verbose_name='currency')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'product',
                'verbose_name_plural': 'products',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'source',
                'verbose_name_plural': 'sources',
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Tag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, unique=True, verbose_name='name')),
                ('color', models.CharField(default='#64748b', max_length=7, verbose_name='colour')),
            ],
            options={
                'verbose_name': 'tag',
                'verbose_name_plural': 'tags',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Deal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('external_id', models.CharField(blank=True, db_index=True, max_length=100, verbose_name='external id')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('status', models.CharField(choices=[('open', 'Open'), ('won', 'Won'), ('lost', 'Lost')], default='open', max_length=8, verbose_name='status')),
                ('value', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=16, verbose_name='value')),
                ('currency', models.CharField(default='CNY', max_length=3, verbose_name='currency')),
                ('value_base', models.DecimalField(decimal_places=2, default=Decimal('0'), editable=False, max_digits=18, verbose_name='value (CNY)')),
                ('expected_close_date', models.DateField(blank=True, null=True, verbose_name='expected close date')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                ('priority', models.CharField(choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High'), ('urgent', 'Urgent')], default='normal', max_length=8, verbose_name='priority')),
                ('lead_grade', models.CharField(blank=True, choices=[('high', 'High potential'), ('mid', 'Medium potential'), ('low', 'Low potential')], max_length=8, verbose_name='lead grade')),
                ('deal_type', models.CharField(choices=[('new', 'New business'), ('renewal', 'Renewal'), ('expansion', 'Expansion')], default='new', max_length=10, verbose_name='type')),
                ('next_step', models.CharField(blank=True, max_length=300, verbose_name='next step')),
                ('probability_override', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='probability override (%)')),
                ('lost_note', models.TextField(blank=True, verbose_name='lost note')),
                ('custom', models.JSONField(blank=True, default=dict, verbose_name='custom fields')),
                ('health', models.CharField(choices=[('green', 'On track'), ('yellow', 'Needs attention'), ('red', 'At risk')], default='green', max_length=8, verbose_name='health')),
                ('forecast_category', models.CharField(choices=[('pipeline', 'Pipeline'), ('best_case', 'Best case'), ('commit', 'Commit'), ('closed', 'Closed'), ('omitted', 'Omitted')], default='pipeline', max_length=10, verbose_name='forecast category')),
                ('stage_entered_at', models.DateTimeField(blank=True, null=True, verbose_name='in stage since')),
                ('last_activity_at', models.DateTimeField(blank=True, null=True, verbose_name='last activity')),
                ('version', models.PositiveIntegerField(default=1)),
                ('company', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deals', to='customers.company', verbose_name='company')),
                ('contacts', models.ManyToManyField(blank=True, related_name='deals', to='customers.contact', verbose_name='contacts')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='owned_deals', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                ('pipeline', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deals', to='pipelines.pipeline', verbose_name='pipeline')),
                ('primary_contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='primary_deals', to='customers.contact', verbose_name='primary contact')),
                ('stage', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deals', to='pipelines.stage', verbose_name='stage')),
            ],
            options={
                'verbose_name': 'deal',
                'verbose_name_plural': 'deals',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='DealCollaborator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(blank=True, max_length=100, verbose_name='role on the deal')),
                ('added_at', models.DateTimeField(auto_now_add=True)),
                ('deal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='collaborator_links', to='deals.deal')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['added_at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='deal',
            name='collaborators',
            field=models.ManyToManyField(blank=True, related_name='collaborated_deals', through='deals.DealCollaborator', to=settings.AUTH_USER_MODEL, verbose_name='deal team'),
        ),
        migrations.CreateModel(
            name='DealEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type', models.CharField(choices=[('created', 'Created'), ('field_changed', 'Field changed'), ('stage_changed', 'Stage changed'), ('won', 'Won'), ('lost', 'Lost'), ('reopened', 'Reopened'), ('owner_changed', 'Owner changed'), ('activity_logged', 'Activity logged'), ('task_done', 'Task done'), ('collaborator_added', 'Collaborator added'), ('collaborator_removed', 'Collaborator removed')], max_length=24)),
                ('occurred_at', models.DateTimeField(db_index=True)),
                ('parameters', models.JSONField(blank=True, default=dict)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('deal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='deals.deal')),
                ('from_stage', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pipelines.stage')),
                ('to_stage', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pipelines.stage')),
            ],
            options={
                'verbose_name': 'deal event',
                'verbose_name_plural': 'deal events',
                'ordering': ['occurred_at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='deal',
            name='lost_reason',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deals', to='deals.lostreason', verbose_name='lost reason'),
        ),
        migrations.CreateModel(
            name='DealLineItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.DecimalField(decimal_places=2, default=Decimal('1'), max_digits=12, verbose_name='quantity')),
                ('unit_price', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='unit price')),
                ('discount_percent', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=5, verbose_name='discount (%)')),
                ('deal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='line_items', to='deals.deal')),
                ('product', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='line_items', to='deals.product', verbose_name='product')),
            ],
            options={
                'verbose_name': 'line item',
                'verbose_name_plural': 'line items',
                'ordering': ['id'],
            },
        ),
        migrations.AddField(
            model_name='deal',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deals', to='deals.source', verbose_name='source'),
        ),
        migrations.AddField(
            model_name='deal',
            name='tags',
            field=models.ManyToManyField(blank=True, related_name='deals', to='deals.tag', verbose_name='tags'),
        ),
        migrations.AddIndex(
            model_name='dealcollaborator',
            index=models.Index(fields=['user', 'deal'], name='collaborator_user'),
        ),
        migrations.AddConstraint(
            model_name='dealcollaborator',
            constraint=models.UniqueConstraint(fields=('deal', 'user'), name='unique_deal_collaborator'),
        ),
        migrations.AddIndex(
            model_name='dealevent',
            index=models.Index(fields=['deal', 'occurred_at'], name='event_deal_time'),
        ),
        migrations.AddIndex(
            model_name='dealevent',
            index=models.Index(fields=['type', 'occurred_at'], name='event_type_time'),
        ),
        migrations.AddIndex(
            model_name='dealevent',
            index=models.Index(fields=['to_stage', 'occurred_at'], name='event_to_stage'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['pipeline', 'stage', 'status'], name='deal_board'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['owner', 'status'], name='deal_owner_status'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['status', 'closed_at'], name='deal_closed'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['created_at'], name='deal_created'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['expected_close_date'], name='deal_expected_close'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['-value_base'], name='deal_value'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['updated_at'], name='deal_updated'),
        ),
    ]
