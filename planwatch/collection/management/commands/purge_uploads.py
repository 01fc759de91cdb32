from django.core.management.base import BaseCommand

from planwatch.collection.retention import purge_uploads


class Command(BaseCommand):
    help = "删除超过保留期的上传文件、被拒绝的上传文件和遗留的临时文件"

    def handle(self, *args, **options):
        self.stdout.write(f"已删除 {purge_uploads()} 个文件")
