"""Chinese texts of 学习用书发放: the receipt card and its reminder, the contacts' chat
commands (确认收书, 发放人数), and the console's 学习用书 pages (templates read them as
`bk.NAME`)."""

from __future__ import annotations

DATE = "{month}月{day}日"

# -- the card sent to an organisation's contacts (and the reminder) -------------------------
CARD_SOURCE = "学习用书发放"
CARD_TITLE = "学习用书已寄出，请确认收到"
CARD_REMIND_TITLE = "提醒：请确认收到学习用书"
CARD_DESC = "{org}：{book} {copies}册"
CARD_SUB = ("{org}：党委于{date}寄出{book}{copies}册。收到后请点击“确认收到”，"
            "再发送“发放人数 {number} 人数”报告发到党员手中的人数。")
CARD_REMIND_SUB = ("{org}：党委于{date}寄出{book}{copies}册，已过{days}天仍未确认。"
                   "收到后请点击“确认收到”；如未收到，请联系党委。")
CARD_FIELDS = (("书名", "{book}"), ("册数", "{copies}册"), ("寄出日期", "{date}"))
CARD_BUTTON = "确认收到"

# -- chat: 确认收书 ------------------------------------------------------------------------
CONFIRM_WORDS = ("确认收书", "收到学习用书")
CONFIRM_SUMMARY = "确认收到党委寄来的学习用书（确认收书 编号）"
NONE_PENDING = "您负责的党组织没有待确认的学习用书。"
PENDING_HEAD = "待确认收到的学习用书（{count}项）："
PENDING_LINE = "编号{number} {org}：{book} {copies}册（{date}寄出，已{days}天）"
PENDING_HINT = "收到后请发送“确认收书 编号”，如“确认收书 {number}”；也可点击卡片上的“确认收到”。"
CONFIRMED = "已确认{org}收到{book}{copies}册，谢谢！"
ASK_GIVEN = ("请回复已发到党员手中的人数（数字，最多{limit}人，即本组织在册党员数）；"
             "暂不报告请回复“跳过”，以后可发送“发放人数 {number} 人数”。")
ALREADY_CONFIRMED = "{org}的{book}已于{at}由{by}确认收到，无需重复确认。"
NOT_YOURS = "编号{number}的学习用书不是寄给您负责的党组织的，您不能确认。"
UNKNOWN = "没有找到编号为“{number}”的学习用书发放记录。发送“确认收书”查看待确认的。"
UNKNOWN_CARD = "这张卡片已失效。发送“确认收书”查看待确认的学习用书。"

# -- chat: 发放人数 ------------------------------------------------------------------------
GIVEN_WORDS = ("发放人数",)
GIVEN_SUMMARY = "报告学习用书发到党员手中的人数（发放人数 编号 人数）"
GIVEN_SAVED = "已记录：{org}的{book}已发给{count}名党员。"
GIVEN_CHANGED = "已更正：{org}的{book}发放人数由{before}人改为{count}人。"
GIVEN_SAME = "{org}的{book}发放人数已是{count}人，没有变化。"
GIVEN_SKIPPED = "好的，以后可发送“发放人数 {number} 人数”报告。"
GIVEN_NONE = "您负责的党组织还没有已确认收到的学习用书。收到后请先发送“确认收书”。"
GIVEN_CHOOSE_HEAD = "请指明是哪一项学习用书，发送“发放人数 编号 人数”，如“发放人数 {number} 30”："
GIVEN_CHOOSE_LINE = "编号{number} {org}：{book} {copies}册，{given}"
GIVEN_SHOWN = "已报告发给{count}人"
GIVEN_NOT_YET = "未报告发放人数"
GIVEN_USAGE = "请发送“发放人数 编号 人数”，如“发放人数 {number} 30”。"
GIVEN_NOT_CONFIRMED = "编号{number}的{book}还没有确认收到，请先发送“确认收书 {number}”。"
GIVEN_ERRORS = {
    "not_number": "“{typed}”不是人数，请回复一个数字，如 30。",
    "negative": "人数不能是负数，请回复0或更大的数字。",
    "too_many": "{org}在册党员只有{limit}人，发放人数不能超过{limit}人。请核对后重新回复。",
}
SKIP_WORDS = ("跳过", "暂不", "以后再说")

# -- console ------------------------------------------------------------------------------
TITLE = "学习用书"
HINT = ("党委下发的学习用书：登记书目和库存册数，发放到各党组织（一次可发给全部、某类企业或选定的"
        "党组织）。联络员在企业微信点“确认收到”或在这里确认，并报告发到党员手中的人数；"
        "寄出后{days}天仍未确认的会自动提醒联络员。全年合计见报表。")
HINT_CONTACT = "党委寄给您负责的党组织的学习用书。收到后请点“确认收到”，并填写发到党员手中的人数。"
YEAR = "年度"
YEAR_OPTION = "{year}年"
FILTER = "筛选"
STATUS_FILTERS = {"all": "全部", "unconfirmed": "未确认", "confirmed": "已确认"}
FILTER_COUNT = "{name}（{count}）"

BOOKS_TITLE = "书目"
BOOK_TITLE = "书名"
PUBLISHER = "出版社"
COPIES = "库存册数"
GIVEN_COPIES = "已发册数"
ORGS = "党组织"
CONFIRMED_ORGS = "已确认"
MEMBERS_GIVEN = "发到党员"
NOTES = "备注"
NO_BOOKS = "本年度还没有学习用书。"
NEW_TITLE = "登记学习用书"
NEW_BUTTON = "登记"

DISTRIBUTIONS_TITLE = "发放记录"
ORG = "党组织"
SENT_ON = "寄出日期"
DAYS = "已寄出"
DAYS_VALUE = "{days}天"
STATUS = "状态"
REMINDERS = "提醒次数"
STATUS_CONFIRMED = "已确认"
STATUS_UNCONFIRMED = "未确认"
OVERDUE_MARK = "（超过{days}天）"
CONFIRMED_LINE = "{by} · {at}"
GIVEN_VALUE = "{count}人"
GIVEN_EMPTY = "未报告"
NO_DISTRIBUTIONS = "没有符合条件的发放记录。"
CONFIRM_BUTTON = "确认收到"
GIVEN_LABEL = "发到党员人数（最多{limit}人）"
GIVEN_BUTTON = "保存人数"
ACTIONS = "操作"

DETAIL_TITLE = "{book} · 学习用书"
DETAIL_LINE = "出版社：{publisher} · 库存{copies}册 · 已发{given}册 · 剩余{left}册"
DETAIL_CREATED = "{by}登记于{at}"
DISTRIBUTE_TITLE = "发放到党组织"
DISTRIBUTE_HINT = ("每个党组织只发放一次；已发放的党组织不再列出。"
                   "寄出后，各党组织联络员会在企业微信收到确认卡片。")
TARGET = "发放对象"
TARGETS = {"all": "全部未发放的党组织", "kind": "某类企业的党组织", "list": "选定的党组织"}
KIND_LABEL = "企业类型"
KIND_NAMES = {"foreign": "外企", "private": "民企", "state": "国企", "other": "其他"}
LIST_LABEL = "选定的党组织（可多选）"
COPIES_EACH = "每个党组织册数"
DISTRIBUTE_BUTTON = "寄出并通知联络员"
BACK = "返回学习用书"

# outcomes in the console
CREATED = "已登记{book}，库存{copies}册。"
DISTRIBUTED = "已向{orgs}个党组织寄出{book}共{copies}册，已通知{contacts}名联络员。"
WITHOUT_CONTACT = "以下党组织没有联络员，未发送通知：{names}。"
CONFIRMED_CONSOLE = "已确认{org}收到{book}。"
GIVEN_SAVED_CONSOLE = "已记录{org}的{book}发给{count}名党员。"
FORM_USED = "这张表单已经提交过，结果如下。"
FORM_EXPIRED = "表单已过期，请刷新页面后重新填写。"
FORM_INVALID = "请修改标出的内容后再提交。"
OUT_OF_SCOPE = "这条发放记录不是您负责的党组织的，您不能确认或修改。"
ERRORS = {
    "title_empty": "请填写书名。",
    "title_too_long": "书名太长了（{length}字），最多{limit}字。",
    "publisher_too_long": "出版社名称太长了（{length}字），最多{limit}字。",
    "notes_too_long": "备注太长了（{length}字），最多{limit}字。",
    "not_number": "“{typed}”不是整数，请填写数字。",
    "negative": "册数不能是负数。",
    "too_big": "数字太大了，最多{limit}。",
    "copies_each_zero": "每个党组织至少发1册。",
    "no_organizations": "没有可发放的党组织（选定的为空，或都已发放过）。",
    "unknown_organization": "有选定的党组织不存在或已停用，请刷新页面后重新选择。",
    "unknown_kind": "请选择企业类型。",
    "already_given": "以下党组织已发放过这本书，没有重复发放：{names}。",
    "over_stock": "库存不够：要发{wanted}册，剩余只有{left}册。",
    "raced": "刚才有人同时发放了这本书，没有重复发放。请刷新页面后查看。",
    "sent_on_bad": "请填写寄出日期，如 2026-03-05。",
    "sent_in_future": "寄出日期不能晚于今天（{today}）。",
    "already_confirmed": "{org}已于{at}由{by}确认收到，没有重复确认。",
    "not_confirmed": "{org}还没有确认收到，请先确认收到再填写人数。",
    "too_many": "{org}在册党员只有{limit}人，发放人数不能超过{limit}人。",
}
