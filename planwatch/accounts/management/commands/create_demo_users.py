from django.core.management.base import BaseCommand

from planwatch.accounts.demo import DEMO_USERS, create_demo_users


class Command(BaseCommand):
    help = "Create one demo user per role (demo set-up only) and print their passwords."

    def handle(self, *args, **options):
        create_demo_users()
        self.stdout.write("示例账号（仅用于演示）/ demo accounts (demo only):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<12} {spec.password:<16} {spec.label}")
