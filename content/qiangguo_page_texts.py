"""Chinese texts of the console's 学习强国 pages (the week per organisation, an organisation's
members, the reminder), by name; console templates read them as `qt.NAME`."""

from __future__ import annotations

TITLE = "学习强国"
HINT = ("党员每周在企业微信报送学习强国积分（或截图），按自然周（周一至周日）统计；"
        "同一周多次报送只记最后一次。")
HINT_CONTACT = "您负责的党组织本周的学习强国报送情况。"
ORG_TITLE = "{org} · 学习强国"

# choosing the week
WEEK_LABEL = "周（选该周任意一天）"
WEEK_BUTTON = "查看"
WEEK_PREV = "上一周"
WEEK_NEXT = "下一周"
WEEK_THIS = "本周"
WEEK_HEADING = "{label}（{start} 至 {end}）"
WEEK_IS_THIS = "本周"
WEEK_ERRORS = {
    "bad_date": "请按 2026-11-23 这样的格式填写日期。",
    "future": "这一周还没有到，已显示本周。",
}

# figures
TOTAL = "已报送"
TOTAL_VALUE = "{reported}/{members} 人"
RATE = "报送率"
ORGS_SILENT = "未报送的党组织"
SILENT_LINE = "未报送的党组织（{count} 个）：{names}"
SILENT_NONE = "每个党组织都有党员报送了。"
JOIN = "、"
ORG = "党组织"
REPORTED = "已报送"
MEMBERS = "在册党员"
MISSING = "未报送"
ORG_SILENT_MARK = "（无人报送）"
NO_ORGS = "暂无在册党员。"

# an organisation's members
REPORTED_TITLE = "已报送（{count} 人）"
MISSING_TITLE = "未报送（{count} 人）"
MEMBER = "党员"
SCORE = "积分"
SCREENSHOT = "截图"
HAS_SCREENSHOT = "有截图"
SCREENSHOT_OF = "{name}的学习强国截图"
SCREENSHOT_PENDING = "有截图（正在从企业微信下载，或已过期未能下载）"
NO_SCORE = "未报分数"
NONE_MISSING = "全部已报送。"
NONE_REPORTED = "还没有人报送。"
BACK = "返回各党组织"

# the reminder
REMIND_TITLE = "提醒未报送的党员"
REMIND_HINT = ("向本周尚未报送、也未被提醒过的全部在册党员发送一次提醒（每人每周最多一次；"
               "每周{weekday} {hour}:00 的自动提醒不会重复提醒）。"
               "夜间 {quiet_start}–{quiet_end} 不发送。")
REMIND_WAITING = "现在可提醒 {count} 人。"
REMIND_BUTTON = "发送提醒"
REMINDED = "已提醒 {count} 人，消息正在发送。"
REMINDED_NOBODY = "没有需要提醒的党员：本周未报送的党员都已提醒过（或都已报送）。"
REMIND_QUIET = "现在是夜间免打扰时段（{start}–{end}），未发送提醒，请稍后再试。"
REMIND_THIS_WEEK_ONLY = "提醒只针对本周。"
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
