"""Chinese texts of the console's 问题箱 pages (the queue, one question with its answer form,
publishing to the 问答库), by name; console templates read them as `qq.NAME`."""

from __future__ import annotations

TITLE = "问题箱"
HINT = ("党员在问答中找不到答案时转给党委的问题。答复后党员会在企业微信收到答复；"
        "答复可发布到问答库，供问答检索（保留答复人和日期）。")
HINT_CONTACT = "您负责的党组织的党员提出的问题。"

# filters
FILTERS = {"open": "待答复", "answered": "已答复", "published": "已发布", "all": "全部"}
FILTER_COUNT = "{name}（{count}）"
ORG_FILTER = "党组织"
ALL_ORGS = "全部"
SEARCH = "搜索"
FILTER = "筛选"

# the table
NUMBER = "编号"
MEMBER = "提问人"
ORG = "党组织"
QUESTION = "问题"
ASKED = "提问时间"
STATUS = "状态"
ANSWERED = "答复"
STATUS_NAMES = {"open": "待答复", "answered": "已答复"}
PUBLISHED_MARK = "已发布"
OVERDUE_MARK = "（超过{days}天）"
EMPTY = "没有符合条件的问题。"
ANSWERED_LINE = "{by} · {at}"

# one question
DETAIL_TITLE = "{number} · 问题"
ASKED_LINE = "{member}（{org}）· {at}"
NO_ORG = "无党组织"
MEMBER_LEFT = "（已离开，答复不会发送给本人）"
ANSWER_TITLE = "答复"
ANSWER_LABEL = "答复内容（最多{limit}字）"
ANSWER_BUTTON = "发送答复"
ANSWER_HINT = "发送后，党员会在企业微信收到这条答复。"
ANSWERED_BY = "答复人：{by} · {at}"
EDITED_AT = "（{at} 修改）"
EDIT_TITLE = "修改答复"
EDIT_HINT = "修改后，党员会收到更新后的答复；已发布的问答同时更新。"
EDIT_BUTTON = "保存修改"
PUBLISHED_LINE = "已发布到问答库 · {at}"
UNPUBLISHED_LINE = "未发布到问答库。"
PUBLISH_BUTTON = "发布到问答库"
UNPUBLISH_BUTTON = "从问答库撤下"
PUBLISH_HINT = "发布后，问答会检索到这条问答（显示答复人和日期），所有党员都可能看到。"
BACK = "返回问题箱"

# outcomes
ANSWER_SENT = "已答复 {number}，答复将发送给{member}。"
ANSWER_SENT_LEFT = "已答复 {number}（{member}已离开，未发送）。"
EDIT_SAVED = "已修改 {number} 的答复，已通知{member}。"
EDIT_SAVED_LEFT = "已修改 {number} 的答复（{member}已离开，未发送）。"
EDIT_SAME = "答复没有变化，未保存。"
PUBLISHED = "已把 {number} 发布到问答库。"
ALREADY_PUBLISHED = "{number} 已经在问答库中。"
UNPUBLISHED = "已把 {number} 从问答库撤下。"
NOT_PUBLISHED = "{number} 不在问答库中。"
FORM_USED = "这张表单已经提交过，结果如下。"
FORM_EXPIRED = "表单已过期，请刷新页面后重新填写。"
FORM_INVALID = "请修改标出的内容后再提交。"
OUT_OF_SCOPE = "这个问题不是您负责的党组织的党员提出的，您不能查看或答复。"
ERRORS = {
    "empty": "请填写答复内容。",
    "too_long": "答复太长了（{length}字），最多{limit}字。",
    "already_answered": "{number} 已由{by}于{at}答复，没有重复发送。如需更正，请用“修改答复”。",
    "not_answered": "{number} 还没有答复，请先答复。",
    "changed": "在您修改期间，{by}已修改了这条答复。请查看最新答复后再修改。",
}
