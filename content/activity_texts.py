"""Chinese texts of activities: 教育片观看 (an organisation's screening of a film from the
library) and 党委组织的宣讲 (a lecture the committee runs itself) — the chat's 组织观影, the
audience's notice, and the console's 观影与宣讲 pages (read there as `at.NAME`)."""

from __future__ import annotations

KIND_NAMES = {  # by ActivityKind
    "screening": "教育片观看",
    "lecture": "党委宣讲",
    "training": "培训班",
    "visit": "政治生活馆参访",
}
LISTED_KINDS = {"": "全部", "screening": "教育片观看", "lecture": "党委宣讲"}
NUMBER = "HD-{year}-{id:04d}"

ERRORS = {
    "no_film": "请选择片库中的教育片。",
    "not_film": "“{title}”不是片库中的教育片，请从教育片中选择。",
    "film_retired": "教育片“{title}”已下架，请选择其他影片。",
    "no_organization": "请选择党组织。",
    "unknown_organization": "没有找到这个党组织（{value}）。",
    "not_yours": "您不是{organization}的书记/联络员，不能为其组织观影。",
    "bad_time": "请填写开始时间，例如 2026-12-05 14:30。",
    "bad_end": "结束时间要晚于开始时间。",
    "too_long": "活动时长不能超过{hours}小时。",
    "too_past": "开始时间不能早于一天前（{limit}之前的活动请联系党委补录）。",
    "too_far": "开始时间不能晚于一年后。",
    "no_title": "请填写宣讲题目。",
    "title_too_long": "宣讲题目请控制在{limit}字以内。",
    "no_speaker": "请填写主讲人。",
    "speaker_too_long": "主讲人请控制在{limit}字以内。",
    "place_too_long": "地点请控制在{limit}字以内。",
    "notes_too_long": "备注请控制在{limit}字以内。",
    "no_audience": "请至少选择一个参加的党组织。",
    "unknown_speaker": "名册中没有这位主讲人（{value}），名册外的主讲人只填姓名即可。",
    "already_cancelled": "这项活动已于{time}取消。",
    "cancel_checked_in": "已有{count}人签到，不能取消；如活动未举行，请先核对签到记录。",
    "bad_guests": "名册外参加人数请填写0到{limit}之间的整数。",
    "cancelled_edit": "活动已取消，不能再修改。",
}

# -- chat: 组织观影 ----------------------------------------------------------------------------
SCREENING_SUMMARY = "组织本党组织观看教育片（选片、时间、地点），生成签到码"
NOT_CONTACT = "只有党组织书记/联络员可以组织观影。党委管理员请在管理后台登记。"
NO_FILMS = "片库中还没有教育片，请联系党委在学习材料中添加教育片。"
ASK_ORGANIZATION = "您负责多个党组织，请回复序号或名称选择为哪个党组织组织观影：\n{lines}"
ASK_FILM = "为{organization}组织观看教育片。请回复序号选择影片：\n{choices}\n发送“取消”结束。"
FILM_CHOICE = "{index}. {title}（{minutes}分钟）"
BAD_FILM = "请回复1到{count}之间的序号选择影片。"
ASK_TIME = "观看{film}。请发送开始时间，例如“明天下午2点”或“{example}”。"
BAD_TIME = "没有看懂这个时间，请换个说法，例如“12月5日14:30”。"
ASK_PLACE = "开始时间：{time}。请发送观影地点，例如“三楼会议室”。"
CONFIRM = ("请确认：\n党组织：{organization}\n影片：{film}\n时间：{starts} 至 {ends}\n"
           "地点：{place}\n回复“确认”保存并生成签到码，发送“取消”放弃。")
CONFIRM_AGAIN = "请回复“确认”保存，或发送“取消”放弃。"
SAVED = ("已登记{organization}观看教育片{film}（{number}）。\n时间：{starts}\n地点：{place}\n"
         "签到码：{code}\n签到时间：{opens} 至 {closes}\n"
         "观影时请党员发送“签到 {code}”或用“我的—扫码签到”扫描二维码；"
         "本党组织以外的党员不能签到。\n签到二维码图片稍后发送，可投屏或打印张贴。")

# -- the audience's notice of a committee lecture ---------------------------------------------
LECTURE_NOTICE = ("【党委宣讲通知】{title}\n主讲人：{speaker}\n时间：{starts}\n地点：{place}\n"
                  "签到码：{code}（党员到场后发送“签到 {code}”或扫码签到）\n"
                  "请组织{organization}的党员参加。")
LECTURE_CHANGED = ("【党委宣讲变更】{title}\n主讲人：{speaker}\n时间：{starts}\n地点：{place}\n"
                   "签到码：{code}")
PLACE_LATER = "另行通知"
LECTURE_CANCELLED = "【党委宣讲取消】原定{starts}的宣讲{title}已取消。"

# -- console -------------------------------------------------------------------------------
LIST_TITLE = "教育片观看与党委宣讲"
LIST_HINT = ("教育片观看（党组织组织观看片库中的教育片）和党委组织的宣讲（邀请专家，不是点单），"
             "签到码签到或按名单代签；年度数字见“报表”。")
LIST_HINT_CONTACT = "本党组织的教育片观看，以及本党组织参加的党委宣讲。"
KIND = "类型"
YEAR = "年份"
FILTER = "筛选"
NEW_SCREENING = "登记教育片观看"
NEW_LECTURE = "登记党委宣讲"
TITLE = "活动"
ORG = "党组织"
TIME = "时间"
PLACE = "地点"
FILM = "影片"
SPEAKER = "主讲人"
SPEAKER_MEMBER = "主讲人账号（名册内的可填，选填）"
AUDIENCE = "参加的党组织"
COUNTS = "签到 / 请假 / 名册外"
COUNT_TRIPLE = "{present} / {leave} / {guests}"
STATE = "状态"
CANCELLED = "已取消"
ACTIVE = "正常"
NONE = "没有符合条件的活动。"
COMMITTEE = "党委"
NUMBER_LABEL = "活动编号"

# one activity
CHECKIN_PAGE = "签到管理（二维码、代签、请假、结束签到）"
CHECKIN_CODE = "签到码"
EXPECTED = "应到"
PRESENT = "已签到"
LEAVE = "请假"
GUESTS = "名册外参加人数"
GUESTS_HINT = "不在名册中的参加人员（如群众、外单位人员），只计人数。"
GUESTS_SAVE = "保存人数"
GUESTS_SAVED = "名册外参加人数已改为{guests}人。"
CHECKINS = "签到记录"
NO_CHECKINS = "还没有人签到。"
CHECKED_AT = "签到时间"
NAME = "姓名"
STATUS = "情况"
STATUS_NAMES = {"present": "已签到", "leave": "请假"}
EDIT = "修改"
EDIT_SAVE = "保存修改"
SAVED_CONSOLE = "已保存。"
NOTHING_CHANGED = "没有修改。"
CANCEL = "取消活动"
CANCEL_HINT = "取消后不能再签到或请假；已有人签到的活动不能取消。"
CANCEL_DONE = "活动已取消。"
CREATED = "已登记{what}，签到码 {code}。"
NOTICE_SENT = "已通知{count}位参加党组织的书记/联络员。"
CREATE = "保存并生成签到码"
STARTS = "开始时间"
ENDS = "结束时间（不填：影片片长或90分钟）"
NOTES = "备注"
CHOOSE = "请选择"
BACK = "返回活动列表"
FORM_INVALID = "有 {count} 处需要修改，请看各栏下的提示。"
FORM_EXPIRED = "表单已过期，请刷新页面后重试。"
FORM_USED = "这张表单已经提交过了。"
HISTORY = "操作记录"
ACTIONS = {"activity.create": "登记", "activity.edit": "修改", "activity.cancel": "取消",
           "activity.guests": "名册外人数"}
