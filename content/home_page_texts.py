"""Chinese texts of the contact's home page (the console's front page for a contact: their
organisations, this month's participation, this quarter's meetings, open check-ins and the
reflections waiting for review), by name; the template reads them as `ht.NAME`."""

from __future__ import annotations

TITLE = "我负责的党组织"
HINT = "以下只含您负责的党组织。参学率按本月计算，三会一课按本季度（{quarter}）计算。"
NO_ORGS = "您还没有负责的党组织，请联系党委管理员。"

ORG = "党组织"
MEMBERS = "在册党员"
MEMBERS_LINK = "{count} 人"
RATE = "本月参学率"
RATE_VALUE = "{percent}%（{participating}/{members}）"
RATE_NONE = "—"
MEETINGS = "本季度三会一课"
MEETING_ITEM = "{kind} {held}/{required}"
MEETINGS_NONE = "未设要求"
QIANGGUO_LINK = "学习强国"

CHECKINS_TITLE = "正在签到"
CHECKINS_EMPTY = "现在没有正在进行的签到。"
CHECKIN_WHAT = "内容"
CHECKIN_ORG = "党组织"
CHECKIN_WINDOW = "签到时间"
CHECKIN_WINDOW_VALUE = "{opens} 至 {closes}"
CHECKIN_CODE = "签到码"
CHECKIN_PRESENT = "已签到"
CHECKIN_LEAVE = "请假"

REFLECTIONS_TITLE = "待审核的心得"
REFLECTIONS_COUNT = "共 {count} 篇待审核。"
REFLECTIONS_EMPTY = "没有待审核的心得。"
REFLECTIONS_ALL = "去审核"
REFLECTION_LINE = "{number} · {author} · {subject}"
