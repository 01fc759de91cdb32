"""The `planwatch` console command: the project's manage.py."""

import os
import sys

# Commands that only run the pure engine on what they read: they touch no database, session
# or signed value, so they must work with no deployment settings at all.
ENGINE_ONLY = {"evaluate_series"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    if len(sys.argv) > 1 and sys.argv[1] in ENGINE_ONLY:
        os.environ.setdefault("SECRET_KEY", "planwatch-engine-only-signs-nothing")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
