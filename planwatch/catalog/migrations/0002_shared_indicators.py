"""Targets know their own plan area; statistics both plans monitor become one indicator.

农村自来水普及率 (C6-01 → W7-01) and 九年义务教育巩固率 (W2-01 → C3-02) were defined twice, one
series per plan, and could show two values for one statistic. The merge keeps collected data
(see planwatch.catalog.merging for how conflicting values are handled).
"""

import django.db.models.deletion
from django.db import migrations, models

from planwatch.catalog.merging import merge_indicator

SHARED = (("W7-01", "C6-01"), ("C3-02", "W2-01"))


def fill_target_area(apps, schema_editor):
    Target = apps.get_model("catalog", "Target")
    for target in Target.objects.select_related("objective", "measure"):
        target.area_id = (target.objective or target.measure).area_id
        target.save(update_fields=["area"])


def merge_shared(apps, schema_editor):
    for kept, gone in SHARED:
        merge_indicator(apps, kept, gone)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("collection", "0002_alter_datavalue_source_alter_importbatch_channel_and_more"),
        ("exchange", "0001_initial"),
        ("monitoring", "0002_unit_year_index"),
        ("audit", "0002_alter_auditentry_channel"),
    ]

    operations = [
        migrations.AddField(
            model_name="target",
            name="area",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="targets",
                to="catalog.area",
                verbose_name="area",
            ),
        ),
        migrations.RunPython(fill_target_area, migrations.RunPython.noop),
        migrations.RunPython(merge_shared, migrations.RunPython.noop),
    ]
