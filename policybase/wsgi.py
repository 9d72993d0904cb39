"""WSGI entry point.

Start-up work is done here, once per process, not on a user's first request: the segmenter's
dictionary is loaded (with gunicorn ``--preload`` the workers share it), and everything loaded
so far is moved out of the garbage collector's view (``gc.freeze``), so its full collections —
70 ms each measured with the app and its dictionary loaded — no longer land on requests.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybase.settings.production")
application = get_wsgi_application()

from measures.tokenize import warm_up  # noqa: E402 - needs the settings configured above

warm_up()
gc.freeze()
