import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve in an unsafe production state (accounts/checks.py).
from grassroots.accounts.checks import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()
