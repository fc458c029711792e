"""The platform as a WSGI application (gunicorn, mod_wsgi …).

Unless ``SMARTSPEC_WARM=0``, the areas' evidence is computed as the application loads
(:func:`~smartspec.platform.core.services.warm_evidence`): with gunicorn's ``--preload`` once,
before the workers fork and share it; else once in each worker, before its first request."""

import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartspec.platform.settings")
application = get_wsgi_application()

if os.environ.get("SMARTSPEC_WARM", "1") != "0":
    from smartspec.platform.core.services import (
        warm_evidence,  # after the application: it imports models
    )

    warm_evidence()
    connections.close_all()  # forked workers open their own
