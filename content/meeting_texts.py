"""Chinese texts of 三会一课 records: 记录会议, 会议记录 and the quarterly reminder."""

from __future__ import annotations

KIND_NAMES = {
    "assembly": "支部党员大会",
    "committee": "支委会",
    "group": "党小组会",
    "lesson": "党课",
    "theme_day": "主题党日",
}
FREQUENCY_NAMES = {"quarter": "每季度至少1次", "month": "每月至少1次"}

RECORD_SUMMARY = "记录本党组织的三会一课（会议类型、时间、主题、参会人员）"
LIST_SUMMARY = "查看本党组织本季度的三会一课记录"

ASK_ORGANIZATION = "您是多个党组织的书记/联络员，请回复序号或名称选择要记录会议的党组织：\n{lines}"
ASK_KIND = (
    "记录{organization}的会议。请回复会议类型序号：\n"
    "1. 支部党员大会\n2. 支委会\n3. 党小组会\n4. 党课\n5. 主题党日\n"
    "（随时发送“取消”退出）"
)
BAD_KIND = "请回复1到5之间的序号，例如“2”表示支委会。"
ASK_TIME = (
    "会议类型：{kind}。\n请发送会议时间，例如“{example}”“昨天上午9点”“{stamp}”。"
)
BAD_TIME = "没有看懂“{text}”这个时间，请换个写法，例如“{example}”或“{stamp}”。"
TIME_TOO_OLD = "{time}距今已超过{days}天，无法补录，请核对时间。"
TIME_TOO_FAR = "{time}距今超过{days}天，请在会议前{days}天内登记。"
ASK_TOPIC = "会议时间：{time}（请核对）。\n请发送会议主题，例如“学习党的二十届四中全会精神”。"
BAD_TOPIC = "会议主题请控制在1到{limit}字之间。"
ASK_ATTENDEES = (
    "会议主题：{topic}。\n参会人员怎么登记？\n"
    "· 回复“签到”：生成签到码，党员开会时自己签到；\n"
    "· 或直接发送参会党员姓名，用空格或顿号隔开，例如“张三 李四 王五”。"
)
CHECKIN_CLOSED = (
    "这次会议的签到时间已过（结束后{after}分钟截止），不能再用签到，请直接发送参会党员姓名。"
)
NAMES_EMPTY = "请发送参会党员姓名，或回复“签到”。"
NAMES_TOO_MANY = "一次最多登记{limit}人。"
NAMES_NONE_FOUND = (
    "名单中的人都没有在{organization}找到：\n{problems}\n请核对后重新发送姓名（也可用账号）。"
)
PROBLEM_UNKNOWN = "· {token}：本党组织没有这个人"
PROBLEM_AMBIGUOUS = "· {token}：有重名（{candidates}），请改用账号"
CONFIRM = (
    "请核对会议记录：\n党组织：{organization}\n类型：{kind}\n时间：{time}\n主题：{topic}\n"
    "参会：{attendees}\n{problems}回复“确认”保存；要修改参会人员请重新发送名单或回复“签到”；发送“取消”放弃。"
)
CONFIRM_CHECKIN = "开会时由党员签到（保存后生成签到码）"
CONFIRM_NAMES = "{count}人（{names}）"
CONFIRM_PROBLEMS = "以下姓名未登记，保存时将略过：\n{problems}\n"
SAVED = "已保存会议记录 {number}：{kind}{topic}，{time}。"
SAVED_NAMES = "\n已登记{count}人参会，每人计入参学记录。"
SAVED_CHECKIN = (
    "\n签到码：{code}，签到时间 {opens} 至 {closes}。\n"
    "请转告参会党员发送“签到 {code}”；发送“签到码 {number}”可再次查看。"
)
NOT_CONTACT = "只有党组织书记/联络员可以记录会议。"

CHOOSE_KIND = "请选择会议类型。"
NOT_IN_ORG = "{names}不是{organization}的党员，不能登记为参会人员。"
NEED_PLACE = "请填写会议地点。"
BAD_PLACE = "会议地点请控制在{limit}字以内。"
BAD_NOTES = "会议记录请控制在{limit}字以内。"
NEED_REASON = "请填写{name}的请假原因。"
BAD_REASON = "原因请控制在{limit}字以内。"
NO_ATTENDEES = "请至少选择一名出席的党员。"
BAD_STATUS = "请为{name}选择出席、请假或缺席。"
LOCKED = "这条会议记录已于{until}锁定（会后或登记后{days}天内可修改），现在只能查看。"
TOO_MANY_PHOTOS = "每次会议最多保存{limit}张照片。"

# MeetingError reasons -> the answer the contact gets.
ERRORS = {
    "bad_time": BAD_TIME,
    "time_too_old": TIME_TOO_OLD,
    "time_too_far": TIME_TOO_FAR,
    "bad_topic": BAD_TOPIC,
    "names_too_many": NAMES_TOO_MANY,
    "not_contact": NOT_CONTACT,
    "bad_kind": BAD_KIND,
    "choose_kind": CHOOSE_KIND,
    "not_in_org": NOT_IN_ORG,
    "need_place": NEED_PLACE,
    "bad_place": BAD_PLACE,
    "bad_notes": BAD_NOTES,
    "need_reason": NEED_REASON,
    "bad_reason": BAD_REASON,
    "no_attendees": NO_ATTENDEES,
    "bad_status": BAD_STATUS,
    "locked": LOCKED,
    "too_many_photos": TOO_MANY_PHOTOS,
}

LIST_HEAD = "{organization} {quarter}的三会一课："
LIST_LINE = "{number} {kind} {time}{topic} 参会{present}人{leave}"
LIST_LEAVE = "，请假{count}人"
LIST_NONE = "{organization} {quarter}还没有会议记录。发送“记录会议”登记。"
LIST_MISSING = "本季度尚需召开：{missing}"
LIST_COMPLETE = "本季度要求的会议都已召开。"
MISSING_ITEM = "{kind}（已开{held}次，应开{required}次）"
QUARTER = "{year}年第{quarter}季度"

REMINDER = (
    "【三会一课提醒】{quarter}即将过去，以下党组织还有要求的会议没有登记：\n{lines}\n"
    "开完会后发送“记录会议”登记，党员可凭签到码签到。要求：{rules}。"
)
REMINDER_LINE = "{organization}：{missing}"
