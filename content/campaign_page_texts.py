"""Chinese texts of the console's 活动 pages (campaigns such as 冬训: the list, the form, the
requirements, progress per organisation and per member, the reminder and closing), by name;
console templates read them as `ct.NAME`."""

from __future__ import annotations

# pages
LIST_TITLE = "活动"
LIST_HINT = "冬训、主题活动等学习活动：时间、对象、学习要求和完成进度。"
LIST_HINT_CONTACT = "您负责的党组织在各项学习活动中的完成进度（只读）。"
NEW_TITLE = "新建活动"
NEW_LINK = "新建活动"
EDIT_TITLE = "编辑活动"
EDIT_LINK = "编辑"
MEMBERS_TITLE = "{name} · 党员进度"
MEMBERS_LINK = "按党员查看"
DETAIL_LINK = "活动详情"

# fields
NAME = "名称"
NAME_HINT = "学习材料按这个名称关联到活动（材料的“活动”一栏）。"
NAME_FIXED = "已有学习材料、推送或群发按名称关联此活动时不能改名。"
KIND = "类型"
KIND_NAMES = {"winter_training": "冬训", "theme": "主题活动"}
STARTS_ON = "开始日期"
ENDS_ON = "结束日期"
PERIOD = "{start} 至 {end}"
AUDIENCE = "对象"
AUDIENCE_KINDS = {"all": "全体党员", "orgs": "党组织（含下级组织）", "tags": "标签",
                  "roles": "角色"}
AUDIENCE_CHOOSE_HINT = "选“党组织”“标签”或“角色”时，在下面勾选一项或多项。"
AUDIENCE_ORGS = "党组织"
AUDIENCE_TAGS = "标签"
AUDIENCE_ROLES = "角色"
ROLE_NAMES = {"contact": "联络员（书记）", "lecturer": "红色讲师", "admin": "管理员"}
NO_TAGS = "名册中还没有标签。"
UNKNOWN_VALUE = "（已不存在）"
AUDIENCE_SIZE = "{count} 人"
JOIN = "、"
STATE = "状态"
STATE_NAMES = {"upcoming": "未开始", "running": "进行中", "ended": "已结束"}
CREATED_BY = "创建人"
CREATE = "创建"
SAVE = "保存"
BACK = "返回"

# requirements
REQUIREMENTS = "学习要求"
NO_REQUIREMENTS = "还没有学习要求。"
ITEM_MATERIAL = "读完学习材料{title}"
ITEM_LECTURE = "参加宣讲：{title}"
ITEM_REFLECTIONS = "提交心得 {count} 篇（活动期间）"
ITEM_HOURS = "活动期间学时达到 {hours}"
REMOVE = "移除"
ADD_MATERIAL = "要求读完学习材料"
ADD_LECTURE = "要求参加宣讲"
ADD_REFLECTIONS = "要求提交心得（篇数）"
ADD_HOURS = "要求的学时（0 为不要求）"
ADD = "添加"
SET = "设定"
CHOOSE_MATERIAL = "选择一篇在用的学习材料"
CHOOSE_LECTURE = "选择活动期间的一场宣讲"
NO_LECTURES = "活动期间还没有宣讲。"
LECTURE_OPTION = "{at} {title}（{lecturer}）"
LECTURE_UNCONFIRMED = "（讲师未确认）"
ITEM_ADDED = "已添加学习要求：{text}。"
ITEM_REMOVED = "已移除学习要求：{text}。"
HOURS_SET = "要求的学时已设为 {hours}。"
HOURS_UNCHANGED = "学时要求没有变化。"

# progress
PROGRESS = "完成进度"
COUNTING_HINT = "读完材料不限时间；宣讲以签到为准；心得和学时只计活动期间。"
PROGRESS_HINT = COUNTING_HINT + "按主要所在党组织统计，完成率最低的在前。"
MEMBERS_HINT = COUNTING_HINT + "未开始的在前。"
CARD_MEMBERS = "应参加"
CARD_DONE = "已完成"
CARD_IN_PROGRESS = "进行中"
CARD_NOT_STARTED = "未开始"
CARD_RATE = "完成率"
ORG_HEADERS = ("党组织", "应参加人数", "已完成", "进行中", "未开始", "完成率%")
NO_ORG = "（无组织）"
TOTAL = "合计"
NOT_IN_AUDIENCE = "您负责的党组织不在这次活动的对象中。"
MEMBER_HEADERS = ("姓名", "党组织", "状态", "还差", "活动期间学时")
STATUS_NAMES = {"done": "已全部完成", "in_progress": "进行中", "not_started": "未开始"}
FILTER_ORG = "党组织"
FILTER_STATUS = "状态"
FILTER_ALL = "全部"
FILTER = "筛选"
MISSING_NONE = "—"
MISSING_REFLECTIONS = "心得 {have}/{need} 篇"
MISSING_HOURS = "学时 {hours}/{need}"
HOURS_OF = "{hours} / {need}"
EXPORT = "导出 .xlsx"

# the workbook (two sheets: per organisation, per member)
SHEET_ORGS = "活动进度"
SHEET_MEMBERS = "党员进度"
SHEET_MEMBER_HEADERS = ("姓名", "账号", "党组织", "状态")
SHEET_HOURS = ("活动期间学时", "要求学时")
CELL_DONE = "已完成"
CELL_OPEN = "未完成"
CELL_COUNT = "{have}/{need}"

# reminders and closing
NUDGE = "提醒未完成的党员"
NUDGE_HINT = ("给还没有完成全部要求的党员发一条企业微信提醒；同一活动每人每周最多一次，"
              "免打扰时段不发。")
NUDGED = "已提醒 {nudged} 人（未完成 {behind} 人，其余本周已提醒过）。"
NUDGED_NONE = "没有需要提醒的党员：未完成 {behind} 人，本周都已提醒过。"
NUDGED_NOBODY = "所有党员都已完成全部要求，无需提醒。"
NUDGE_NOT_RUNNING = "活动不在进行中，不能发提醒。"
NUDGE_QUIET = "现在是免打扰时段（{start}–{end}），请稍后再发。"
CLOSE = "结束活动"
CLOSE_HINT = "结束日期改为今天：今天仍计入，明天起活动不再进行。以后可以通过编辑重新延长。"
CLOSED = "活动「{name}」已结束（最后一天：{day}）。"
CLOSE_ALREADY = "活动「{name}」已于 {day} 结束，无需再结束。"

# outcome of the form
FORM_INVALID = "有 {count} 处需要修改，未保存。"
FORM_USED = "这张表单已经提交过，已打开当时创建的活动。"
FORM_EXPIRED = "表单已失效，请刷新页面后重试。"
CREATED = "活动「{name}」已创建。下一步：添加学习要求。"
SAVED = "活动「{name}」已保存。"
UNCHANGED = "没有修改。"
HISTORY = "修改记录"
ACTIONS = {"campaign.add": "新建", "campaign.edit": "修改", "campaign.close": "结束",
           "campaign.require": "添加要求", "campaign.unrequire": "移除要求",
           "campaign.hours": "设定学时", "campaign.nudge": "提醒未完成的党员"}

# each problem, beside its field
ERRORS = {
    "missing": "必填。",
    "starts_on.missing": "请选择开始日期。",
    "ends_on.missing": "请选择结束日期。",
    "date": "请按“年-月-日”填写日期。",
    "name_length": "请填写 1–{limit} 个字的名称。",
    "name_taken": "已有同名的活动。",
    "name_in_use": ("已有 {materials} 篇学习材料、{pushes} 个推送、{broadcasts} 个待发群发按名称"
                    "关联此活动，不能改名。"),
    "kind": "请选择活动类型。",
    "ends_before": "结束日期不能早于开始日期。",
    "lecture_outside_period": "要求参加的宣讲“{title}”在 {day}，不在新的时间内；请先移除这项要求。",
    "audience_campaign": "活动对象不能是另一个活动。",
    "audience_kind": "请选择活动对象：全体党员、党组织、标签或角色。",
    "audience_empty": "请至少勾选一项。",
    "audience_unknown_org": "党组织“{value}”不存在。",
    "audience_unknown_role": "没有这个角色：{values}。",
    "audience_unknown_tag": "标签 {values} 不在名册中。",
    "audience_tag": "标签填写有误。",
    "unknown_material": "请选择一篇学习材料。",
    "material_retired": "{title}已停用。",
    "material_twice": "已经要求读完{title}。",
    "unknown_lecture": "请选择一场宣讲。",
    "lecture_unconfirmed": "这场宣讲的讲师还没有确认接单。",
    "lecture_outside": "这场宣讲在 {day}，不在活动时间内。",
    "lecture_twice": "已经要求参加这场宣讲。",
    "reflections_min": "请填写不小于 1 的整数。",
    "reflections_twice": "已经要求提交心得；要改篇数，请先移除原来的要求。",
    "hours_range": "请填写 0–{limit} 之间的数。",
    "whole": "请填写整数。",
    "number": "请填写数字。",
    "one_item": "请选择一项学习要求。",
    "not_started": "活动 {starts} 才开始，无需结束；如需调整请修改日期。",
    "invalid": "填写有误。",
}
