"""WSGI entry point; start-up work (dictionary, ``gc.freeze``) is in ``policybase.startup``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybase.settings.production")
application = get_wsgi_application()

from policybase.startup import prepare_process  # noqa: E402 - needs the settings configured above

prepare_process()
