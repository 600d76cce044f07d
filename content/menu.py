"""The app menu shown under the chat, pushed to WeCom with `flask --app wsgi wecom push-menu`.

Click keys are the command names of handlers, so a menu click and a typed keyword reach the
same handler (and the same role check). WeCom allows 3 buttons with up to 5 entries each;
我的信息 (whoami) gave its place under 我的 to 每日答题 and is typed.
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
                {"type": "click", "name": "写心得", "key": "write_reflection"},
                {"type": "click", "name": "我的学习", "key": "my_study"},
                {"type": "click", "name": "冬训进度", "key": "campaign_progress"},
            ],
        },
        {
            "name": "宣讲",
            "sub_button": [
                {"type": "click", "name": "点单", "key": "order_lecture"},
                {"type": "click", "name": "我的点单", "key": "my_orders"},
                {"type": "click", "name": "讲师报名", "key": "lecturer_apply"},
            ],
        },
        {
            "name": "我的",
            "sub_button": [
                {"type": "scancode_waitmsg", "name": "扫码签到", "key": "scan_checkin"},
                {"type": "click", "name": "我的心得", "key": "my_reflections"},
                {"type": "click", "name": "我的积分", "key": "my_points"},
                {"type": "click", "name": "每日答题", "key": "daily_quiz"},
                {"type": "click", "name": "使用帮助", "key": "help"},
            ],
        },
    ]
}
