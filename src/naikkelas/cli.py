"""The `naikkelas` command: the project's manage.py.

`naikkelas import businesses FILE` reads better than `import_businesses`, so a two-word command is
joined into the management command that does the work (each app ships its own `import_<kind>`).
"""

import os
import sys

TWO_WORD_COMMANDS = {"import", "export"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    if len(argv) > 2 and argv[1] in TWO_WORD_COMMANDS and not argv[2].startswith("-"):
        argv[1:3] = [f"{argv[1]}_{argv[2]}"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
