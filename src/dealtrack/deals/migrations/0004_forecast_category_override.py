from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deals', '0003_board_column_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='deal',
            name='forecast_category_override',
            field=models.CharField(blank=True, choices=[('pipeline', 'Pipeline'), ('best_case', 'Best case'), ('commit', 'Commit'), ('closed', 'Closed'), ('omitted', 'Omitted')], max_length=10, verbose_name="manager's forecast category"),
        ),
    ]
