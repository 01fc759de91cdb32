from django.core.management.base import BaseCommand

from planwatch.collection.demo import load_demo


class Command(BaseCommand):
    help = "Load the synthetic demo data (示例数据) for 2020–2025; loads once, then does nothing."

    def handle(self, *args, **options):
        outcome = load_demo()
        if outcome["loaded"]:
            self.stdout.write(
                f"示例数据已加载：{outcome['values']} 个数值（2020–2025年，合成数据）"
            )
        else:
            self.stdout.write(f"示例数据已存在（{outcome['values']} 个数值），未重复加载")
