"""The app menu shown under the chat, pushed to WeCom with `flask --app wsgi wecom push-menu`.

Click keys are the command names of handlers, so a menu click and a typed keyword reach the
same handler.
"""

from __future__ import annotations

from typing import Any

MENU: dict[str, Any] = {
    "button": [
        {
            "name": "学习",
            "sub_button": [
                {"type": "click", "name": "今日学习", "key": "study"},
                {"type": "click", "name": "学习专题", "key": "series"},
                {"type": "click", "name": "我的学习", "key": "my_study"},
            ],
        },
        {
            "name": "我的",
            "sub_button": [
                {"type": "click", "name": "我的信息", "key": "whoami"},
                {"type": "click", "name": "使用帮助", "key": "help"},
            ],
        },
    ]
}
