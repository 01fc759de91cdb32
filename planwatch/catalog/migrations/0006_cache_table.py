# The database cache's table, in every migrated database (a restore, a benchmark's fresh
# database and `planwatch init` alike): createcachetable does nothing for the file cache.
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_responsibilities_name_catalog_departments"),
    ]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
