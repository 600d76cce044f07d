"""Chinese texts of the console's 讲师 pages (the pool, adding and removing lecturers, a
lecturer's page) and of the 讲师报名 rounds, by name; console templates read them as
`lt.NAME`."""

from __future__ import annotations

from content.lecture_texts import HELD_RULE

# the pool
POOL_HINT = ("红色讲师库：批次、专长和宣讲情况。点姓名查看讲师的专题、宣讲记录、时长和评价。"
             + HELD_RULE)
ADD_TITLE = "添加讲师"
ADD_HINT = "先按姓名或企业微信账号搜索党员，再在结果中填写批次和专长后“设为讲师”。"
SEARCH_LABEL = "姓名或账号"
SEARCH_BUTTON = "搜索党员"
SEARCH_EMPTY = "没有找到可设为讲师的党员（已是讲师、已离开或已停用的不列出）。"
SEARCH_MORE = "只列出前 {count} 位，请输入更完整的姓名或账号。"
CANDIDATE_ORG = "所在组织"
BATCH = "批次"
BATCH_HINT = "1–{limit}，可空"
SPECIALTIES = "专长"
SPECIALTIES_HINT = "如：党史、理论"
GRANT_BUTTON = "设为讲师"
REVOKE_BUTTON = "撤销讲师"
REVOKE_HINT = "撤销后不再能被派单；已列在宣讲菜单专题中的，请到宣讲菜单调整。"
ACTIONS = "操作"

# results
GRANTED = "已将 {name} 设为红色讲师{batch}。"
GRANTED_BATCH = "（第{batch}批）"
UPDATED = "已更新 {name} 的讲师信息{batch}。"
UNCHANGED = "{name} 已是红色讲师，信息没有变化，未作更改。"
REVOKED = "已撤销 {name} 的红色讲师角色。"
REVOKED_TOPICS = "已撤销 {name} 的红色讲师角色；其仍列在 {count} 个专题的讲师中，请到宣讲菜单调整。"
NOT_LECTURER = "{name} 不是红色讲师，未作更改。"
FORM_INVALID = "有 {count} 处需要修改，未作任何更改。"

# problems beside the fields
ERRORS = {
    "userid_required": "请先搜索并选择一位党员。",
    "unknown_member": "名册中没有账号为 {userid} 的党员。",
    "inactive": "{name} 已离开或已停用，不能设为讲师。",
    "bad_batch": "批次须为 1 到 {limit} 之间的整数。",
    "specialties_too_long": "专长请不超过 {limit} 字。",
}

# a lecturer's page
PAGE_HINT = HELD_RULE + "听众（签到人次）和评价按已宣讲的宣讲计算；时长为这些宣讲的计划时长之和。"
FIG_HOURS = "宣讲时长（小时）"
INFO_BATCH = "批次：{batch}"
INFO_NO_BATCH = "批次：未填"
INFO_SPECIALTIES = "专长：{specialties}"
INFO_NO_SPECIALTIES = "专长：未填"
INFO_SINCE = "成为讲师：{date}"
EDIT_TITLE = "修改批次和专长"
EDIT_HINT = "留空的项不改。"
TOPICS_TITLE = "可讲专题"
TOPICS_EMPTY = "宣讲菜单中还没有该讲师的专题。"
TOPIC_RETIRED = "（已下架）"
LECTURES_TITLE = "宣讲记录"
RATINGS_TITLE = "评价"
RATINGS_EMPTY = "还没有评价。"
RATING_SCORE = "{score} 分"

# rounds of applications (讲师报名)
ROUND_TITLE = "报名轮次"
ROUND_OPEN_NOW = "正在报名：{name}（第{batch}批），{opened} 由 {by} 开放，已收到 {count} 份报名。"
ROUND_NONE_OPEN = "当前没有开放的讲师报名：党员发送“讲师报名”时会被告知暂未开放。"
ROUND_OPEN_HINT = ("开放后，党员在企业微信发送“讲师报名”即可报名本批（不会自动通知党员，"
                   "可用群发告知）。同一时间只能开放一轮。")
ROUND_NAME = "名称"
ROUND_BATCH = "批次"
ROUND_OPEN_BUTTON = "开放报名"
ROUND_CLOSE_BUTTON = "结束报名"
ROUND_CLOSE_HINT = "结束后党员不能再报名；已收到的报名仍可审核。"
ROUND_OPENED = "已开放“{name}”（第{batch}批），党员现在可以报名。"
ROUND_CLOSED = "已结束“{name}”，共收到 {count} 份报名。"
ROUND_ALREADY_CLOSED = "“{name}”已经结束，未作更改。"
ROUND_FORM_USED = "这张表单已经提交过，未重复开放。"
ROUND_FORM_EXPIRED = "表单已失效，请重新填写后提交。"
ROUND_HISTORY = "以往轮次"
ROUND_PERIOD = "{opened} 至 {closed}"
ROUND_APPLICATIONS = "{count} 份报名"
ROUND_ERRORS = {
    "name_required": "请填写名称，如“第三批红色讲师报名”。",
    "name_too_long": "名称请不超过 {limit} 字。",
    "bad_batch": "批次须为 1 到 {limit} 之间的整数。",
    "open": "“{name}”正在报名，请先结束它再开放新的一轮。",
}
