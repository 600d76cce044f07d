"""The app menu shown under the chat, pushed to WeCom with `flask --app wsgi wecom push-menu`.

Click keys are the command names of handlers, so a menu click and a typed keyword reach the
same handler.
"""

from __future__ import annotations

from typing import Any

MENU: dict[str, Any] = {
    "button": [
        {"type": "click", "name": "使用帮助", "key": "help"},
    ]
}
