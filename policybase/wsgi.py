"""WSGI entry point; start-up work (dictionary, ``gc.freeze``) is in ``policybase.startup``."""

import os

from django.core.wsgi import get_wsgi_application

from policybase.settings.environ import SettingError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybase.settings.production")
try:
    application = get_wsgi_application()
except SettingError as exc:  # one line saying what to set, instead of a traceback in the server's log
    raise SystemExit(str(exc)) from None

# Imported here: it needs the settings configured above.
from policybase.startup import prepare_process

# Under gunicorn each worker starts its applier after the fork (gunicorn.conf.py); runserver starts it here.
prepare_process(search_applier=os.environ.get("POLICYBASE_SEARCH_APPLIER") != "post_fork")
