"""Chinese texts of the tracked-reading pages (/r/...): the material page, 读完了 and notices."""

from __future__ import annotations

from content.study_texts import KIND_NAMES

__all__ = ["KIND_NAMES"]

SITE_NAME = "先锋学习助手"

MINUTES = "约{minutes}分钟"
SOURCE_LINK = "查看原文"
DONE_HINT = "读完后请点击下方按钮，记录本次学习。"
DONE_BUTTON = "读完了"
NO_BODY = "这篇材料暂无正文。"

# Reading time: the page counts the time it is open in front (its heartbeats).
READ_RULE = "本篇阅读满{needed}分钟后点击“读完了”即记入学时；页面在前台时才计时。"
READ_PROGRESS = "已阅读{read}分钟，还需约{left}分钟"
READ_ENOUGH = "已达到阅读时长，可以点击“读完了”。"
NEEDS_SCRIPT = "阅读计时需要在企业微信中打开本页（浏览器须允许脚本）。"
NOT_YET_TITLE = "还没有读完"
NOT_YET_MESSAGE = "本篇需阅读满{needed}分钟才能记为读完，您已阅读{read}分钟，还需约{left}分钟。"
NOT_YET_HINT = "请返回继续阅读，页面停留在前台时才计时。"
BACK_TO_READING = "返回继续阅读"

DONE_TITLE = "已记录"
DONE_MESSAGE = "已记录，学习时长 {minutes} 分钟"
DONE_CREDIT = "本次记入{hours}学时、{points}积分（每日上限见对话中的“积分规则”）。"
DONE_HINT_AFTER = "可以关闭本页，回到企业微信继续学习。"
WRITE_REFLECTION_HINT = "写心得体会：回到「先锋学习助手」对话，发送“写心得 {material_id}”。"

# Notices: (title, detail). Titles are what the page says first; details say what to do.
LINK_INVALID = ("链接无效", "这个链接无法识别，可能被修改过。请从企业微信中的学习消息重新打开。")
LINK_EXPIRED = ("链接已过期", "请在企业微信中给「先锋学习助手」发送“学习”，获取最新的学习链接。")
NOT_YOURS = ("此链接是发给其他同志的", "学习记录按人统计，请打开发给您本人的学习消息。")
MEMBERS_ONLY = (
    "仅限本单位成员",
    "学习材料仅向本党委名册中的党员开放。如有疑问，请联系所在党组织的书记或联络员。",
)
MEMBER_INACTIVE = ("账号已停用", "您的账号已停用，暂时无法学习。如有疑问请联系党委管理员。")
LOGIN_EXPIRED = ("登录已失效，请从消息中重新打开", "请回到企业微信，重新点击学习消息中的链接。")
LOGIN_UNAVAILABLE = ("暂时无法确认您的身份", "企业微信暂时没有响应，请稍后从消息中重新打开。")
NOT_FOUND = ("材料不存在", "这篇学习材料已下架或不存在。发送“学习”看看最新的材料。")
BAD_FORM = ("提交无效", "请从消息中重新打开这篇材料，再点击“读完了”。")
FORM_EXPIRED = (
    "页面已过期，请从消息中重新打开", "这个页面打开太久了，请重新打开后再点击“读完了”。",
)
