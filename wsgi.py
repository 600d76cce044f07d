"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import sys

from bot.config import ConfigError
from pioneer import create_app

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"Pioneer cannot start: {error}")
