"""Chinese texts of check-in (签到), 代签, 请假 and the lecturer's / contact's 签到码."""

from __future__ import annotations

CHECKIN_SUMMARY = "用签到码签到（签到 123456），也可点“我的—扫码签到”扫二维码"
PROXY_SUMMARY = "为没有手机的党员代签（代签 签到码 姓名 姓名…）"
LEAVE_SUMMARY = "宣讲或会议请假（请假 签到码 原因）"
CODE_SUMMARY = "查看宣讲、会议或活动的签到码（签到码 订单号/会议编号/活动编号）"

CHECKIN_USAGE = "请发送“签到 签到码”，例如“签到 482913”（签到码为6位数字）。"
PROXY_USAGE = "请发送“代签 签到码 姓名 姓名…”，例如“代签 482913 张三 李四”。"
LEAVE_USAGE = "请发送“请假 签到码 原因”，例如“请假 482913 出差在外地”。"
CODE_USAGE = "请发送“签到码 订单号”或“签到码 会议编号”，例如“签到码 DD-2026-0001”。"
SCAN_NOT_OURS = "这不是「先锋学习助手」的签到二维码。也可以发送“签到 签到码”签到。"

LECTURE_WHAT = "宣讲{title}"
MEETING_WHAT = "{kind}{title}"
ACTIVITY_WHAT = {  # by ActivityKind; {title} comes quoted once (content.titles.quoted)
    "screening": "教育片观看{title}",
    "training": "培训班{title}",
    "visit": "政治生活馆参访（{name}）",  # a visit's name is not a title: no 《》
    "lecture": "宣讲{title}",
}

CHECKED_IN = "签到成功！{what}\n签到时间：{time}"
CHECKED_IN_POINTS = "\n获得学时{hours:g}，积分{points}。"
ALREADY = "您已于{time}签到{what}，无需重复签到。"
LEAVE_RECORDED = "已为您登记请假：{what}\n原因：{reason}\n请假不计参学记录。"
LEAVE_ALREADY = "您已于{time}请假：{what}（原因：{reason}）。"
LEAVE_TOO_LONG = "请假原因请控制在{limit}字以内。"

ERRORS = {
    "unknown_code": "签到码“{code}”不存在，请核对后重新发送（签到码为6位数字）。",
    "not_open": "{what}的签到还未开始，将于{opens}开放签到（开始前{before}分钟）。",
    "closed": "{what}的签到已于{closes}结束（结束后{after}分钟截止），无法再签到。",
    "closed_early": "{what}的签到已于{closes}结束（书记/联络员或管理员已结束签到），无法再签到。",
    "not_confirmed": "{what}尚未经讲师确认接单，暂不能签到或请假。确认后会通知联系人。",
    "not_in_org": "{what}是{organization}的会议，您不是该党组织的党员，不能签到。",
    "not_in_org_activity": "{what}由{organization}组织，您不是该党组织的党员，不能签到。",
    "inactive": "{name}的账号已停用，不能签到。",
    "already_present": "您已于{time}签到{what}，不能再请假。",
    "cancelled": "{what}已取消，不能签到或请假。",
    "not_enrolled": "{name}未报名{what}，不能签到。如需参加，请联系党委报名。",
}

# 代签
PROXY_HEAD = "{what} 代签结果："
PROXY_DONE = "· {name}：代签成功"
PROXY_ALREADY = "· {name}：已于{time}签到"
PROXY_UNKNOWN = "· {token}：名册中没有这个人"
PROXY_AMBIGUOUS = "· {token}：有重名（{candidates}），请改用账号代签"
PROXY_NOT_YOURS = "· {name}：不是您所在党组织的党员，不能代签"
PROXY_REFUSED = "· {name}：{reason}"
PROXY_NOT_CONTACT = "只有党组织书记/联络员或管理员可以代签。"
PROXY_TOO_MANY = "一次最多代签{limit}人，请分几次发送。"

# 签到码 (lecturer, contact, admin)
CODE_UNKNOWN = (
    "没有找到“{reference}”。请发送订单号（如 DD-2026-0001）、会议编号（如 HY-2026-0003）"
    "或活动编号（如 HD-2026-0012）。"
)
CODE_NOT_YOURS = "{reference}不是您的宣讲或您党组织的会议、活动，不能查看签到码。"
CODE_NO_ACTIVITY_CODE = "{reference}还没有签到码，可在管理后台的签到页开启签到。"
CODE_NO_LECTURE = "{reference}还没有派单，暂无签到码。"
CODE_LISTED_MEETING = "{reference}是按参会名单登记的会议，没有签到码。"
CODE_SHOW = (
    "{what}\n签到码：{code}\n签到时间：{opens} 至 {closes}\n"
    "党员发送“签到 {code}”或用菜单“我的—扫码签到”扫描二维码即可签到；"
    "没有手机的党员可由书记/联络员发送“代签 {code} 姓名”。\n"
    "已签到{present}人，请假{leave}人。"
)
CODE_NOT_CONFIRMED = "\n注意：讲师尚未确认接单，确认前不能签到。"
CODE_QR_COMING = "\n签到二维码图片稍后发送，可打印张贴。"
CODE_QR_CAPTION = "{what} 签到二维码（签到码 {code}）"
