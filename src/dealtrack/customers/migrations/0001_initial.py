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
            name='Company',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('external_id', models.CharField(blank=True, db_index=True, max_length=100, verbose_name='external id')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('normalised_name', models.CharField(db_index=True, editable=False, max_length=200)),
                ('industry', models.CharField(blank=True, max_length=100, verbose_name='industry')),
                ('size', models.CharField(blank=True, choices=[('1-10', '1–10 employees'), ('11-50', '11–50 employees'), ('51-200', '51–200 employees'), ('201-1000', '201–1,000 employees'), ('1000+', 'Over 1,000 employees')], max_length=16, verbose_name='size')),
                ('region', models.CharField(blank=True, max_length=100, verbose_name='region')),
                ('website', models.CharField(blank=True, max_length=200, verbose_name='website')),
                ('phone', models.CharField(blank=True, max_length=50, verbose_name='phone')),
                ('address', models.CharField(blank=True, max_length=300, verbose_name='address')),
                ('custom', models.JSONField(blank=True, default=dict, verbose_name='custom fields')),
                ('version', models.PositiveIntegerField(default=1)),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='companies', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='subsidiaries', to='customers.company', verbose_name='parent company')),
            ],
            options={
                'verbose_name': 'company',
                'verbose_name_plural': 'companies',
                'ordering': ['name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Contact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('external_id', models.CharField(blank=True, db_index=True, max_length=100, verbose_name='external id')),
                ('name', models.CharField(max_length=150, verbose_name='name')),
                ('title', models.CharField(blank=True, max_length=100, verbose_name='title')),
                ('phone', models.CharField(blank=True, max_length=50, verbose_name='phone')),
                ('mobile', models.CharField(blank=True, max_length=50, verbose_name='mobile')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('wechat', models.CharField(blank=True, max_length=100, verbose_name='WeChat id')),
                ('custom', models.JSONField(blank=True, default=dict, verbose_name='custom fields')),
                ('version', models.PositiveIntegerField(default=1)),
                ('company', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='contacts', to='customers.company', verbose_name='company')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='contacts', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
            ],
            options={
                'verbose_name': 'contact',
                'verbose_name_plural': 'contacts',
                'ordering': ['name', 'id'],
            },
        ),
    ]
