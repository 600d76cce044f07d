"""Chinese texts of 培训班 (trainings): 我的培训 in chat, the enrolment notice, and the console's
培训班 pages (the list, one training with its enrolments and sessions); console templates read
them as `tt.NAME`."""

from __future__ import annotations

KIND_NAMES = {  # by TrainingKind
    "workers": "党务工作者培训班",
    "activists": "入党积极分子培训班",
    "lecturers": "红色讲师培训班",
}
KIND_SHORT = {"workers": "党务工作者", "activists": "入党积极分子", "lecturers": "红色讲师"}

# -- chat: 我的培训 ---------------------------------------------------------------------------
MINE_SUMMARY = "查看我报名的培训班、下一场时间地点和已得学时"
MINE_WORDS = ("我的培训", "我的培训班")
MINE_EMPTY = "您还没有报名培训班。党委举办培训班时，会通知报名的党员。"
MINE_HEADER = "您报名的培训班（{count}个）："
MINE_LINE = "【{kind}】{title}（{starts}至{ends}）"
MINE_NEXT = "  下一场：{title}，{time}，{place}；签到时发送“签到 签到码”"
MINE_NO_NEXT = "  已没有待举办的场次"
MINE_ATTENDED = "  已参加{attended}/{sessions}场，已记{hours}学时"
MINE_MORE = "另有{more}个较早的培训班未列出。"
NO_PLACE = "地点待定"
DATE = "{month}月{day}日"

# Sent to a member when an admin enrols them.
ENROL_NOTICE = ("您已报名{kind}{title}（{starts}至{ends}，{place}），共{planned}场，"
                "每场{hours}学时。每场开始时发送“签到 签到码”签到，签到后记入学时。"
                "发送“我的培训”查看场次。")

# -- console: the list ----------------------------------------------------------------------
TITLE = "培训班"
HINT = ("党委举办的党务工作者、入党积极分子和红色讲师培训班：报名名单、各场次签到和学时。"
        "党员签到后自动记入学时；年度的班次、人次和人数见报表。")
YEAR = "年度"
KIND = "类别"
ALL_KINDS = "全部"
FILTER = "筛选"
NAME = "名称"
DATES = "起止日期"
PLACE = "地点"
PLANNED = "计划场次"
HOURS = "每场学时"
ENROLLED = "报名人数"
SESSIONS = "已排场次"
CHECKINS = "签到人次"
ATTENDEES = "参训人数"
EMPTY = "这一年还没有培训班。"
DATES_LINE = "{starts} 至 {ends}"

# -- console: new training ------------------------------------------------------------------
NEW_TITLE = "新建培训班"
NEW_HINT = "建好后在培训班页面报名党员、安排场次；每场的签到码在场次旁。"
STARTS_ON = "开始日期"
ENDS_ON = "结束日期"
CREATE = "新建"
CREATED = "已新建培训班{title}。"

# -- console: one training ------------------------------------------------------------------
DETAIL_TITLE = "{kind} · {title}"
SUMMARY_LINE = "{dates} · {place} · 计划{planned}场，每场{hours}学时"
LECTURER_NOTE = ("红色讲师培训班：参加过本班至少一场的党员，计入年度报告的“红色讲师培训”人数。")
ENROLMENTS = "报名名单"
MEMBER = "姓名"
ORG = "党组织"
ATTENDED = "签到场次"
CREDITED = "已记学时"
NO_ENROLMENTS = "还没有报名的党员。"
PRESENT_MARK = "✓"
LEAVE_MARK = "假"
ABSENT_MARK = "·"
REMOVE = "取消报名"
ENROL_TITLE = "报名党员"
ENROL_LABEL = "姓名或企业微信账号（每行或用逗号、空格分隔，一次最多{limit}人）"
ENROL_HINT = "同名的党员请填企业微信账号。有任何名字找不到或重名，本次不写入，请改正后再提交。"
ENROL_BUTTON = "报名"
SESSIONS_TITLE = "场次"
SESSION = "场次"
SESSION_TIME = "时间"
SESSION_CODE = "签到码"
SESSION_COUNT = "签到人数"
SESSION_CHECKIN = "签到管理"
SESSION_CANCELLED = "（已取消）"
NO_SESSIONS = "还没有安排场次。"
ADD_SESSION = "安排场次"
SESSION_TITLE_LABEL = "场次名称（可不填，默认“第N场”）"
SESSION_STARTS = "开始时间"
SESSION_ENDS = "结束时间"
SESSION_PLACE = "地点（可不填，默认培训班地点）"
SESSION_BUTTON = "添加场次"
SESSION_DEFAULT = "第{number}场"
SESSION_HINT = "报名的党员在场次开始前后发送“签到 签到码”签到；代签、请假在签到管理页。"
BACK = "返回培训班列表"

# -- console: outcomes ----------------------------------------------------------------------
ENROLLED_DONE = "已报名{count}人，已通知本人。"
ENROLLED_ALREADY = "{names}已经报名，未重复报名。"
UNENROLLED = "已取消{name}的报名。"
SESSION_ADDED = "已添加{title}（{time}），签到码 {code}。"
FORM_USED = "这张表单已经提交过，结果如下。"
FORM_EXPIRED = "表单已过期，请刷新页面后重新填写。"
FORM_INVALID = "请修改标出的内容后再提交。"
NAMES_REFUSED = "以下名字无法报名，本次没有写入任何报名，请改正后重新提交："
NAME_UNKNOWN = "{name}：名册中没有这个人"
NAME_AMBIGUOUS = "{name}：有重名（{candidates}），请填企业微信账号"
NAME_INACTIVE = "{name}：已离开或已停用"

ERRORS = {
    "kind": "请选择培训班类别。",
    "title_empty": "请填写名称。",
    "title_long": "名称太长了（{length}字），最多{limit}字。",
    "place_long": "地点太长了（{length}字），最多{limit}字。",
    "planned": "计划场次须为1到{limit}之间的整数。",
    "hours": "每场学时须大于0，且不超过{limit}学时。",
    "dates": "请填写开始和结束日期（如 2026-05-10）。",
    "dates_order": "结束日期不能早于开始日期。",
    "names_empty": "请填写要报名的党员姓名或企业微信账号。",
    "names_many": "一次最多报名{limit}人，这次有{count}人。",
    "not_enrolled": "{name}没有报名本培训班。",
    "attended": "{name}已在本培训班签到或请假，不能取消报名。",
    "session_time": "请填写场次的开始和结束时间（如 2026-05-10 09:00）。",
    "session_order": "结束时间须晚于开始时间。",
    "session_outside": "场次日期须在培训班起止日期（{starts}至{ends}）之内。",
}
