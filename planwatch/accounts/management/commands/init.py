from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Everything a new empty database needs: migrate, the cache table, then load the org "
        "units, the departments and the catalog. Safe to run again at any time."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        # The database cache's table (settings.CACHE_KIND); nothing to do for the file cache.
        call_command("createcachetable", verbosity=max(verbosity - 1, 0))
        call_command("load_org_units", verbosity=verbosity, stdout=self.stdout)
        call_command("load_departments", verbosity=verbosity, stdout=self.stdout)
        call_command("load_catalog", verbosity=verbosity, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("planwatch 初始化完成"))
