"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import sys

from bot import create_app
from bot.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"Pioneer cannot start: {error}")
