"""Chinese texts of the console's 签到 pages (the list, one check-in with its QR code, live
list, 代签, 请假, opening and closing it, and the projector page), by name; console templates
read them as `kt.NAME`."""

from __future__ import annotations

# the list
LIST_TITLE = "签到"
LIST_HINT = ("宣讲、三会一课（含主题党日）和活动（教育片观看、培训班、政治生活馆参访、党委宣讲）"
             "的签到：开启签到、投屏或打印二维码、实时签到名单、代签、请假登记和结束签到。")
LIST_HINT_CONTACT = ("您负责的党组织的会议和活动签到（三会一课、主题党日、教育片观看等）："
                     "二维码、实时名单、代签和请假。")
WHEN_NAMES = {"current": "近期", "all": "全部"}
KIND_FILTER = {"": "全部", "lecture": "宣讲", "meeting": "会议", "activity": "活动"}
WHAT = "签到对象"
ORG = "党组织"
TIME = "时间"
STATE = "签到状态"
COUNTS = "已签到 / 请假"
COUNT_PAIR = "{present} / {leave}"
NEW_MEETING_HINT = ("会议在“三会一课”中登记（或由书记/联络员在企业微信中发送“记录会议”）；"
                    "按名单登记、还没有签到码的会议，可在签到页开启签到。")
OPEN_PAGE = "签到页"

STATE_NAMES = {
    "cancelled": "已取消",
    "no_code": "未开启",
    "unconfirmed": "讲师未确认",
    "upcoming": "未到签到时间",
    "open": "签到中",
    "closed": "已结束签到",
    "ended": "签到时间已过",
}

# one check-in
LECTURE = "宣讲"
LECTURER = "讲师"
PLACE = "地点"
ORDER = "订单"
MEETING_NUMBER = "会议编号"
WINDOW = "签到时间：{opens} 至 {closes}"
CLOSED_AT = "已于{time}结束签到"
CODE = "签到码"
QR_CONTENT = "二维码内容"
QR_ALT = "签到二维码（签到码 {code}）"
HOW_TO = "党员在「先锋学习助手」点“我的—扫码签到”扫描二维码，或发送“签到 {code}”。"
SCREEN_LINK = "投屏显示"
PNG_LINK = "下载二维码（PNG）"
PDF_LINK = "打印版（PDF）"
ACTIVITY_NUMBER = "活动编号"
ACTIVITY_KIND = "活动类型"
ACTIVITY_KINDS = {"screening": "教育片观看", "training": "培训班", "visit": "政治生活馆参访",
                  "lecture": "党委宣讲"}
SPEAKER = "主讲人"
COMMITTEE = "党委"
BACK_ACTIVITY = "返回活动页"
BACK_TRAINING = "返回培训班"
BACK_VISITS = "返回参访预约"
NO_CODE_HINT_ACTIVITY = "这项活动还没有签到码；开启签到后生成签到码和二维码。"
CANCELLED_HINT = "这项活动已取消，不能签到或请假。"
NO_CODE_HINT = "这次会议按参会名单登记，还没有签到码；开启签到后生成签到码和二维码。"
UNCONFIRMED_HINT = "讲师尚未确认接单，确认前党员不能签到或请假。"
OPEN = "开启签到"
REOPEN = "重新开启签到"
OPEN_HINT = "生成签到码后，在签到时间内党员可扫码或发送签到码签到。"
REOPEN_HINT = "重新开启后，在签到时间内党员可再次签到。"
CLOSE = "结束签到"
CLOSE_HINT = "结束后不再接受扫码和签到码签到，也不能再代签或请假；已有的记录保留。"
OPENED = "已开启签到，签到码 {code}。"
REOPENED = "已重新开启签到。"
CLOSED = "已结束签到（{time}）。"
BACK = "返回签到列表"
BACK_DETAIL = "返回签到页"

# the live list
LIVE = "签到名单"
LIVE_HINT = "名单每 {seconds} 秒自动刷新。"
CARD_EXPECTED = "应到"
CARD_PRESENT = "已签到"
CARD_LEAVE = "请假"
NAME = "姓名"
MEMBER_ORG = "党组织"
CHECKED_AT = "时间"
STATUS = "情况"
BY = "代签 / 登记"
REASON = "请假原因"
STATUS_NAMES = {"present": "已签到", "leave": "请假"}
PROXY_BY = "{name}代签"
LEAVE_BY = "{name}登记"
NO_ROWS = "还没有人签到。"

# 代签
PROXY_TITLE = "代签"
PROXY_HINT = "为没有手机的党员签到，记录为您代签（计入参学记录）。"
ROSTER = "名册中未签到的党员"
ROSTER_EMPTY = "名册中的党员都已签到。"
NAMES = "其他姓名或账号（空格或逗号分隔）"
PROXY_SUBMIT = "代签"
PROXY_DONE = "已代签 {count} 人：{names}。"
PROXY_ALREADY = "{names}已签到，无需代签。"
PROXY_REFUSED = "{name}：{reason}"

# 请假
LEAVE_TITLE = "请假登记"
LEAVE_HINT = "党员请假不计参学记录；已签到的党员不能再请假。"
LEAVE_WHO = "党员姓名或账号"
LEAVE_REASON = "请假原因"
LEAVE_SUBMIT = "登记请假"
LEAVE_DONE = "已为{name}登记请假（{reason}）。"
LEAVE_ALREADY = "{name}已于{time}请假（{reason}）。"

JOIN = "、"
FORM_INVALID = "有 {count} 处需要修改，请看各栏下的提示。"

ERRORS = {
    "none_chosen": "请勾选或填写要代签的党员。",
    "too_many": "一次最多代签{limit}人，请分几次提交。",
    "unknown": "名册中没有“{token}”",
    "ambiguous": "“{token}”有重名（{candidates}），请改用账号",
    "outside": "{name}不是{organization}的党员",
    "inactive": "{name}的账号已停用",
    "who_missing": "请填写请假党员的姓名或账号。",
    "who_many": "一次登记一位党员的请假。",
    "reason_missing": "请填写请假原因。",
    "reason_too_long": "请假原因请控制在{limit}字以内。",
    "leave_present": "{name}已于{time}签到，不能再请假。",
    "form_expired": "表单已过期，请刷新页面后重试。",
    "unconfirmed": "讲师尚未确认接单，确认后才能开启签到。",
    "cancelled": "活动已取消，不能开启签到。",
    "already_open": "签到已经开启。",
    "open_ended": "签到时间已过（{closes}截止），不能再开启。",
    "no_code": "这次会议还没有开启签到。",
    "already_closed": "签到已于{time}结束。",
    "close_ended": "签到时间已过（{closes}已自动截止），无需结束。",
}

# history
HISTORY = "操作记录"
ACTIONS = {"checkin.open": "开启签到", "checkin.close": "结束签到", "checkin.proxy": "代签",
           "checkin.leave": "登记请假"}

# the projector page
SCREEN_TITLE = "{what} · 签到"
SCREEN_COUNT = "已签到 {present} 人 · 请假 {leave} 人"
SCREEN_LATEST = "最新签到"
