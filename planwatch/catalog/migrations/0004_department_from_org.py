# The table already exists (renamed by org 0002): only the model's state is created here.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_merge_pooled_years_and_shared_indicators"),
        ("org", "0002_department_table_moves_to_catalog"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Department",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        ("short_name", models.CharField(max_length=40, verbose_name="short name")),
                        (
                            "name_en",
                            models.CharField(blank=True, max_length=150, verbose_name="English name"),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                        ("sort", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "department",
                        "verbose_name_plural": "departments",
                        "ordering": ["sort", "code"],
                    },
                ),
            ],
        ),
    ]
