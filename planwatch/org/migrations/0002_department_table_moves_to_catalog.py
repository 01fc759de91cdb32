# The member departments move to the catalog (the plans name them; the catalog must stand on
# nothing above it). The table is renamed in place so that every row and every reference stays;
# the model's state moves in catalog 0004 and leaves org in org 0003.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
    ]

    operations = [
        # In the state too: the references altered in between (and unapplied in reverse) must
        # point at the table that exists at that moment.
        migrations.AlterModelTable(name="department", table="catalog_department"),
    ]
