"""Every user-facing Chinese text, in one place. Handlers refer to these by name."""

from __future__ import annotations

from datetime import datetime, timedelta

import clock

EXAMPLE_DAYS_AHEAD = 3  # a typed-time example names a day this far ahead, never a past one


def local_time(moment: datetime) -> str:
    """A UTC time as members read it, on the committee's clock: e.g. 11月22日 14:05."""
    local = clock.local(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def local_day_time(moment: datetime) -> str:
    """A start time as contacts read it, with its weekday: 12月5日（周五）15:00."""
    local = clock.local(moment)
    weekday = "一二三四五六日"[local.weekday()]
    return f"{local.month}月{local.day}日（周{weekday}）{local:%H:%M}"


def example_time(now: datetime, days: int = EXAMPLE_DAYS_AHEAD) -> str:
    """A time to show as an example in a prompt, typed as members type it: 12月10日下午3点
    (`days` after today on the committee's clock, so the example is never a day gone by)."""
    day = clock.today(now) + timedelta(days=days)
    return f"{day.month}月{day.day}日下午3点"


def example_stamp(now: datetime, days: int = EXAMPLE_DAYS_AHEAD) -> str:
    """The same example time written as digits: 2026-12-10 15:00."""
    return f"{clock.today(now) + timedelta(days=days):%Y-%m-%d} 15:00"


def kept_for(seconds: int) -> str:
    """How long something is kept, as members read it: 30分钟, 24小时."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds // 3600}小时"
    return f"{max(1, seconds // 60)}分钟"

APP_NAME = "先锋学习助手"

WELCOME = (
    "{name}同志，您好！欢迎使用「先锋学习助手」。\n"
    "在这里可以学习材料、写心得体会、预约宣讲、查看参学记录。\n"
    "发送“帮助”或点击下方菜单查看全部功能。"
)

HELP = (
    "「先锋学习助手」可以为您做这些事：\n"
    "{commands}\n"
    "任何时候发送“取消”可退出当前操作，发送“菜单”回到这里。"
)

HELP_LINE = "· {keyword}：{summary}"

FALLBACK = "没有听懂“{text}”。发送“帮助”查看我能做什么。"
FALLBACK_NON_TEXT = "已收到。目前我只能处理文字消息，发送“帮助”查看我能做什么。"
FALLBACK_IMAGE = ("已收到图片，但不知道它是做什么用的：学习强国积分截图请先发送“强国积分”再发截图；"
                  "手写心得的照片请先发送“写心得”再发照片。")
FALLBACK_SUGGEST = "没有听懂“{text}”。您是不是想发送“{keyword}”？发送“帮助”查看我能做什么。"
# A greeting typed on its own (compared without case, spaces and the punctuation around it).
GREETING_WORDS = (
    "你好", "您好", "你们好", "大家好", "哈喽", "嗨", "hi", "hello", "hey", "在吗", "在么",
    "在不在", "在嘛", "早", "早安", "早上好", "上午好", "中午好", "下午好", "晚上好", "你好啊",
    "你好呀", "您好啊", "您好呀", "助手你好", "助手您好",
)
GREETING_TRIM = " \t\n!！。.，,~～?？、"
GREETING = (
    "{name}同志，您好！我是「先锋学习助手」。\n"
    "发送“帮助”查看我能做什么；想问党建方面的问题，也可以直接发给我。"
)

NOT_IN_ROSTER = (
    "您好，您还不在本党委的党员名册中，暂时无法使用「先锋学习助手」。"
    "如有疑问，请联系所在党组织的书记或联络员。"
)
MEMBER_INACTIVE = "您的账号已停用，暂时无法使用「先锋学习助手」。如有疑问请联系党委管理员。"

CANCELLED = "已取消。发送“菜单”查看其他功能。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。发送“菜单”查看功能。"
CONVERSATION_EXPIRED = "上一次的操作已超过30分钟没有回复，已自动结束。"
CONVERSATION_EXPIRED_HINT = CONVERSATION_EXPIRED + "发送“菜单”重新开始。"
CONVERSATION_LOST = "当前操作已无法继续，已自动结束。发送“菜单”重新开始。"

CANCEL_WORDS = ("取消", "退出", "cancel", "quit")

# A command in the middle of a conversation (bot/router.py, ActiveConversation): the flows'
# names as members read them, by flow name, and the question whether to leave.
FLOW_NAMES = {
    "lecture_order": "点单",
    "reflection": "写心得",
    "series": "选专题",
    "review": "审核心得",
    "rating": "评单",
    "lecturer_application": "讲师报名",
    "dispatch": "派单",
    "decline": "拒单",
    "broadcast": "群发",
    "meeting": "记录会议",
    "qiangguo": "报强国积分",
    "quiz": "答题",
    "answer_offer": "转交问题",
    "hall_booking": "预约参观",
    "book_given": "报告发书人数",
    "screening": "组织观影",
}
FLOW_NAME_DEFAULT = "当前操作"
LEAVE_ASK = (
    "您正在「{flow}」，还没有完成。要先离开「{flow}」，去“{command}”吗？\n"
    "回复“是”离开（已填的内容保留{kept}，发送“继续”可回来接着做）；回复“否”接着{flow}。"
)
LEAVE_AGAIN = (
    "请回复“是”离开「{flow}」去“{command}”，或回复“否”接着{flow}。"
    "发送“取消”结束「{flow}」。"
)
LEFT_KEPT = "已离开「{flow}」，已填的内容保留{kept}，发送“继续”可回来接着做。"
LEFT = "已结束「{flow}」，之前填的内容没有保留。"  # left, and a new conversation took its place
RESUMED = "好的，接着{flow}：\n{prompt}"
RESUMED_NO_PROMPT = "好的，接着{flow}。请回答上一个问题，发送“取消”结束。"
STILL_IN = "您仍在「{flow}」中，请接着回答；发送“取消”结束。"
LEAVE_YES_WORDS = ("是", "是的", "好", "好的", "离开", "确认", "确定", "yes", "y")
LEAVE_NO_WORDS = ("否", "不", "不是", "不用", "不离开", "返回", "no", "n")
RESUME_WORDS = ("继续",)  # also answers the leave question "no"

HELP_SUMMARY = "查看本帮助"

NO_PERMISSION = "抱歉，这项功能只对{role}开放。"
ROLE_NAMES = {
    "member": "党员",
    "contact": "党组织书记/联络员",
    "lecturer": "红色讲师",
    "admin": "管理员",
}

WHOAMI = "{name}（{userid}）\n所在党组织：{orgs}\n身份：{roles}"
WHOAMI_NO_ORG = "暂未分配"
WHOAMI_MAIN = "（主）"
WHOAMI_SUMMARY = "查看我的党组织和身份"

REFUSED_NONE = "最近没有未登记人员给机器人发消息。"
REFUSED_HEAD = "最近给机器人发消息、但不在党员名册中的人员（{count}人）："
REFUSED_LINE = "· {userid}：{days}天发过消息，首次 {first}，最近一天 {last}"
REFUSED_SUMMARY = "查看未登记人员（可据此补录名册）"

NOTHING_TO_CONFIRM = "当前没有需要确认的内容。发送“帮助”查看我能做什么。"
