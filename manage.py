#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybase.settings.dev")
    # Logs go to stderr here: a command's stdout is its output. The server logs to stdout.
    os.environ.setdefault("POLICYBASE_LOG_STREAM", "stderr")
    from django.core.management import execute_from_command_line

    from policybase.settings.environ import SettingError

    try:
        execute_from_command_line(sys.argv)
    except SettingError as exc:  # a missing SECRET_KEY, DATABASE_URL …: what to set, not a traceback
        sys.exit(str(exc))


if __name__ == "__main__":
    main()
