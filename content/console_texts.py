"""Every Chinese text of the web console (管理后台), by name; templates read them as `t.NAME`."""

from __future__ import annotations

SITE_NAME = "先锋学习助手 · 管理后台"

# navigation
NAV_MENU = "菜单 ☰"  # on a phone the links fold behind it, so a page starts with its content
NAV_DASHBOARD = "总览"
NAV_ORGS = "党组织"
NAV_MEMBERS = "党员"
NAV_REFLECTIONS = "心得审核"
NAV_ORDERS = "点单"
NAV_CAMPAIGNS = "活动"
NAV_MEETINGS = "三会一课"
NAV_QIANGGUO = "学习强国"
NAV_ASSESSMENT = "考核"
NAV_QUESTIONS = "问题箱"
NAV_BOOKS = "学习用书"
NAV_CHECKINS = "签到"
NAV_ACTIVITIES = "观影与宣讲"
NAV_HALL = "政治生活馆"
NAV_LECTURERS = "讲师"
NAV_TOPICS = "宣讲菜单"
NAV_APPLICATIONS = "讲师报名"
NAV_WAITING = "（{count}）"  # after a nav link: how many wait for a decision
NAV_MY_LECTURES = "我的宣讲"
NAV_BROADCASTS = "群发"
NAV_LIVE = "红色直播间"
NAV_TRAININGS = "培训班"
NAV_QUIZ = "答题"
NAV_ROBOTS = "群机器人"
NAV_MATERIALS = "学习材料"
NAV_PUSHES = "推送"
NAV_REPORTS = "报表"
NAV_ANALYSIS = "研判"
NAV_RECOGNITION = "宣传与评选"
NAV_AUDIT = "审计"
LOGOUT = "退出登录"
SIGNED_IN_AS = "当前登录：{name}"
ROLE_NAMES = {"admin": "管理员", "contact": "联络员", "lecturer": "红色讲师", "member": "党员"}

# login
LOGIN_TITLE = "登录管理后台"
LOGIN_WECOM = "企业微信扫码登录"
LOGIN_WECOM_HINT = "党委工作人员、联络员和红色讲师请用企业微信扫码登录。"
LOGIN_LOCAL = "本地管理员账号（企业微信不可用时）"
USERNAME = "用户名"
PASSWORD = "密码"
LOGIN_BUTTON = "登录"
LOGIN_FAILED = "用户名或密码不正确。"
LOGIN_LOCKED = "登录尝试过多，请 {minutes} 分钟后再试。"
LOGIN_EXPIRED = "登录已过期或无效，请重新登录。"
LOGIN_UNAVAILABLE = "暂时无法连接企业微信，请稍后再试，或使用本地管理员账号。"
LOGIN_NOT_MEMBER = "您不在党员名册中，无法登录管理后台。"
LOGIN_NO_ROLE = "管理后台仅对管理员、联络员和红色讲师开放。"
LOGIN_INACTIVE = "您的账号已停用或已离开，无法登录。"
SESSION_ENDED = "登录已超时，请重新登录。"
LOGGED_OUT = "您已退出登录。"

# errors
FORBIDDEN_TITLE = "无权访问"
FORBIDDEN = "您没有权限查看此页面。"
NOT_FOUND_TITLE = "未找到"
NOT_FOUND = "要找的记录不存在，或不在您的权限范围内。"
BAD_FORM_TITLE = "表单已失效"
BAD_FORM = "表单已失效，请返回刷新页面后重试。"
BAD_INPUT = "输入有误：{detail}"

# lists
PREV_PAGE = "上一页"
NEXT_PAGE = "下一页"
PAGE_OF = "第 {page} / {pages} 页，共 {total} 条"
EMPTY = "暂无记录。"
FILTER = "筛选"
SEARCH = "搜索"
ALL = "全部"
SINCE = "起始日期"
UNTIL = "截止日期"
DETAILS = "详情"
SAVE = "保存"
BACK = "返回"

# audit
AUDIT_TITLE = "审计日志"
AUDIT_AT = "时间"
AUDIT_ACTOR = "操作人"
ACTOR_LOCAL = "{name}（本地账号）"  # who did it: a local console account
ACTOR_CLI = "{name}（命令行）"  # who did it: an operator at the command line
AUDIT_ACTION = "操作"
AUDIT_TARGET = "对象"
AUDIT_DETAIL = "详情"

# organisations and members
ORGS_TITLE = "党组织"
ORG_NAME = "名称"
ORG_KIND = "类型"
ORG_PARENT = "上级组织"
ORG_MEMBERS = "党员人数"
ORG_KIND_NAMES = {"foreign": "外企", "private": "非公企业", "state": "国企", "other": "其他"}
MEMBERS_TITLE = "党员"
MEMBER_NAME = "姓名"
MEMBER_USERID = "企业微信账号"
MEMBER_ORG = "所在组织"
MEMBER_ROLES = "角色"
MEMBER_STATUS = "状态"
MEMBER_POSITION = "职务"
STATUS_NAMES = {"active": "正常", "disabled": "已停用", "left": "已离开"}
SEARCH_HINT = "姓名或账号"
ROLE_FILTER = "角色"
ORG_FILTER = "组织"
ROLES_TITLE = "角色"
GRANT = "授予"
REVOKE = "撤销"
GRANT_ROLE = "授予角色"
ROLE_ORG = "联络员所属组织"
ROLE_BATCH = "讲师批次"
ROLE_DONE = "已保存角色变更。"
ROLE_ORG_REQUIRED = "联络员须指定组织。"
IMPORT_TITLE = "导入名册"
IMPORT_HINT = ("上传 .xlsx 或 .csv 名册（列：姓名、企业微信账号、组织……）。"
               "先检查，确认无误后再导入。")
IMPORT_FILE = "名册文件"
IMPORT_CHECK = "仅检查"
IMPORT_APPLY = "导入"
IMPORT_PROBLEMS = "名册有问题，未导入任何内容："
IMPORT_DRY_RUN = "检查结果（尚未写入）："
IMPORT_DONE = "已导入："
IMPORT_NO_FILE = "请选择一个 .xlsx 或 .csv 文件。"
EXPORT_ROSTER = "导出名册 (.xlsx)"

# reflections
REFLECTIONS_TITLE = "心得审核"
REFLECTION_NUMBER = "编号"
REFLECTION_AUTHOR = "作者"
REFLECTION_SUBJECT = "主题"
REFLECTION_TEXT = "内容"
REFLECTION_STATUS = "状态"
REFLECTION_SUBMITTED = "提交时间"
REFLECTION_WORDS = "字数"
REFLECTION_COMMENT = "点评 / 退回理由"
REFLECTION_STATUS_NAMES = {"draft": "草稿", "submitted": "待审", "reviewed": "已点评",
                           "featured": "优秀", "returned": "已退回"}
VERDICT_FEATURE = "评为优秀"
VERDICT_PASS = "通过"
VERDICT_RETURN = "退回"
SELECT_ALL = "全选"
BULK_HINT = "勾选多篇后可批量处理；退回须填写理由。"
REVIEW_DONE = "已处理 {count} 篇。"
REVIEW_ERRORS = {
    "verdict": "请选择处理方式。",
    "reason_required": "退回须填写理由。",
    "own": "不能审核自己的心得。",
    "out_of_scope": "不在您负责的组织范围内。",
    "already_reviewed": "已被审核过。",
    "not_submitted": "尚未提交。",
}
REVIEW_NONE_CHOSEN = "请至少勾选一篇心得。"
EXPORT_REFLECTIONS = "导出心得台账"
EXPORT_DOCX = "Word (.docx)"
EXPORT_XLSX = "Excel (.xlsx)"
EXPORT_TITLE = "心得体会台账 {since} 至 {until}"
EXPORT_ORG_REQUIRED = "联络员导出须选择自己的组织。"
ANONYMOUS_HINT = "（作者未同意公开署名）"

# orders and lecturers
ORDERS_TITLE = "点单"
ORDER_NUMBER = "单号"
ORDER_TOPIC = "专题"
ORDER_ORG = "点单组织"
ORDER_CONTACT = "联络人"
ORDER_SLOTS = "候选时间"
ORDER_AUDIENCE = "预计人数"
ORDER_PLACE = "地点"
ORDER_NOTE = "备注"
ORDER_STATUS = "状态"
ORDER_CREATED = "点单时间"
ORDER_LECTURE = "宣讲安排"
ORDER_RATING = "评价"
ORDER_HISTORY = "处理记录"
ORDER_STATUS_NAMES = {"pending": "待受理", "dispatched": "已派单", "confirmed": "已确认",
                      "completed": "已完成", "rated": "已评价", "cancelled": "已取消",
                      "rejected": "已驳回"}
BOARD_MORE = "查看全部 {count} 条"
DISPATCH_TITLE = "派单"
DISPATCH_HINT = "选择一个时间和一位讲师；有冲突的讲师不可选。"
DISPATCH_FREE = "空闲"
DISPATCH_BUSY = "冲突：{topic} {start}"
DISPATCH_NO_LECTURERS = "该专题暂无可派的讲师。"
DISPATCH_PAST = "已过"
DISPATCH_BUTTON = "派单"
DISPATCH_DONE = "{number} 已派给 {lecturer}，待讲师接单。"
DISPATCH_CHOOSE = "请选择时间和讲师。"
DISPATCH_ERRORS = {
    "not_pending": "该点单已不是待受理状态。",
    "bad_slot": "没有这个候选时间。",
    "past": "该候选时间已过。",
    "not_lecturer": "该讲师不可派单。",
    "busy": "该讲师在这个时间有冲突。",
    "changed": "该点单刚被他人处理，请刷新。",
}
REJECT_TITLE = "驳回"
REJECT_REASON = "驳回理由"
REJECT_BUTTON = "驳回点单"
REJECT_DONE = "{number} 已驳回。"
REJECT_REASON_REQUIRED = "驳回须填写理由。"
LECTURERS_TITLE = "红色讲师"
LECTURER_NAME = "讲师"
LECTURER_BATCH = "批次"
LECTURER_SPECIALTIES = "专长"
FIG_LECTURES = "已讲场次"
FIG_AUDIENCE = "听众人次"
FIG_RATINGS = "评价数"
FIG_AVERAGE = "平均评分"
LECTURE_TIME = "时间"
LECTURE_ATTENDANCE = "到场人数"
MY_LECTURES_TITLE = "我的宣讲"
RATING_LINE = "{score} 分 {comment}"

# lecturer applications (讲师报名)
APPLICATIONS_TITLE = "讲师报名"
APPLICATIONS_HINT = ("通过：授予红色讲师角色（可改批次），并通知本人；"
                     "不通过：须填写理由，理由会发给本人。")
APPLICATIONS_LINK = "讲师报名审核"
APPLICATION_NUMBER = "编号"
APPLICANT = "报名人"
APPLICATION_ORG = "所在组织"
APPLICATION_SPECIALTIES = "擅长方向"
APPLICATION_TOPIC = "示范题目"
APPLICATION_EXPERIENCE = "宣讲经历"
APPLICATION_BATCH = "批次"
APPLICATION_SUBMITTED = "提交时间"
APPLICATION_STATUS = "状态"
APPLICATION_ACTIONS = "审核"
APPLICATION_STATUS_NAMES = {"pending": "待审核", "approved": "已通过", "declined": "未通过"}
APPLICATION_DECIDED = "{by} · {at}"
APPLICATION_INACTIVE = "（{status}）"
APPROVE_BATCH = "批次"
APPROVE_BUTTON = "通过"
DECLINE_REASON = "不通过理由（发给本人）"
DECLINE_BUTTON = "不通过"
APPLICATION_APPROVED = "已通过 {name} 的讲师报名（第{batch}批），已通知本人。"
APPLICATION_DECLINED = "{name} 的讲师报名未通过，理由已发给本人。"
APPLICATION_UNKNOWN = "没有编号为 {id} 的讲师报名。"
APPLICATION_ALREADY = "该报名已处理（{status}，{by} {at}），未作任何更改。"
APPLICATION_ERRORS = {
    "reason_required": "不通过须填写理由。",
    "reason_too_long": "理由请不超过 {limit} 字。",
    "bad_batch": "批次须为 1 到 {limit} 之间的整数。",
    "inactive": "该党员已停用或已离开，不能通过。",
}

# broadcasts
BROADCASTS_TITLE = "群发"
COMPOSE_TITLE = "新建群发"
COMPOSE_CONTENT = "内容"
COMPOSE_KIND = "形式"
COMPOSE_KINDS = {"text": "文本", "markdown": "Markdown", "material": "学习材料"}
COMPOSE_MATERIAL = "学习材料"
COMPOSE_AUDIENCE = "对象"
AUDIENCE_KINDS = {"all": "全体党员", "orgs": "党组织", "roles": "角色（书记/联络员/讲师）",
                  "tags": "标签", "campaign": "活动对象", "idle": "本月未参学党员"}
AUDIENCE_VALUE = "组织 / 角色 / 标签 / 活动"
AUDIENCE_COUNT = "将发送给 {count} 人"
AUDIENCE_COUNT_LIVE = "对象人数"
COMPOSE_AT = "定时发送（北京时间，可空）"
PREVIEW_BUTTON = "预览"
PREVIEW_TITLE = "确认群发"
CONFIRM_SEND = "确认发送"
CONFIRM_SCHEDULE = "确认定时发送"
SENT_NOW = "{number} 正在发送，共 {count} 人。"
SCHEDULED = "{number} 已定时于 {at} 发送，共 {count} 人。"
HISTORY_TITLE = "群发记录"
BROADCAST_NUMBER = "编号"
BROADCAST_STATUS = "状态"
BROADCAST_SIZE = "人数"
BROADCAST_SENT = "送达"
BROADCAST_INVALID = "无效"
BROADCAST_FAILED = "失败"
BROADCAST_AT = "发送时间"
BROADCAST_SENDER = "发送人"
BROADCAST_STATUS_NAMES = {"scheduled": "定时", "sending": "发送中", "sent": "已发送",
                          "failed": "失败", "cancelled": "已取消", "recalled": "已撤回"}
RECALL_BUTTON = "撤回"
CANCEL_BUTTON = "取消定时"
RECALLED = "{number} 已撤回 {count} 条消息。"
RECALL_REFUSED = {"not_sent": "尚未发送完成，不能撤回。", "too_late": "已超过 24 小时，不能撤回。"}
CANCELLED = "{number} 已取消。"
CANCEL_REFUSED = "只有定时中的群发可以取消。"
BAD_TIME = "时间格式应为 2026-12-05 15:00，且不早于现在。"
UNKNOWN_VALUE = "找不到：{value}"
CONTACT_AUDIENCE_ONLY = "联络员只能群发给本人负责的党组织，请选择“党组织”并填写组织名称。"

# materials and pushes
MATERIALS_TITLE = "学习材料"
MATERIAL_TITLE = "标题"
MATERIAL_KIND = "类别"
MATERIAL_PUBLISHED = "发布日期"
FIG_DELIVERED = "送达人数"
FIG_OPENED = "阅读人数"
FIG_COMPLETED = "读完人数"
PUSHES_TITLE = "推送计划"
PUSH_WHAT = "内容"
PUSH_AUDIENCE = "对象"
PUSH_REPEAT = "频率"
PUSH_NEXT = "下次推送"
PUSH_STATUS = "状态"
PUSH_REPEATS = {"once": "一次", "daily": "每天", "weekly": "每周"}
PUSH_STATUS_NAMES = {"active": "进行中", "paused": "已暂停", "done": "已完成",
                     "cancelled": "已取消"}
PUSH_CANCEL = "取消推送"
PUSH_CANCELLED = "推送 {id} 已取消。"
PUSH_CANCEL_REFUSED = "该推送已不在进行中。"
PUSH_PAUSE = "暂停"
PUSH_PAUSED = "推送 {id} 已暂停，恢复前不会发送。"
PUSH_PAUSE_REFUSED = "只有进行中的推送可以暂停。"
PUSH_RESUME = "恢复"
PUSH_RESUMED = "推送 {id} 已恢复，下次推送 {at}。"
PUSH_RESUME_REFUSED = "只有已暂停的推送可以恢复。"
PUSH_RESUME_PASSED = "推送 {id} 的时间已在暂停期间过去，无法恢复；如仍需推送，请新建。"
PUSH_NEW = "新建推送"
PUSH_SERIES = "系列：{title}"
PUSH_CHOOSE_WHAT = "学习材料或系列"
PUSH_GROUP_MATERIALS = "学习材料（推送一次或按频率重复推送）"
PUSH_GROUP_SERIES = "系列（每次推送下一篇）"
PUSH_MSGTYPE = "消息形式"
PUSH_MSGTYPES = {"news": "图文消息", "textcard": "文本卡片"}
PUSH_AUDIENCE_HINT = "全体党员、本月未参学党员无需填写；多个用“、”分开"
PUSH_FIRST_AT = "推送时间（北京时间）"
PUSH_WEEKDAYS = "每周哪几天"
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
PUSH_PREVIEW = "预览"
PUSH_PREVIEW_TITLE = "党员收到的消息"
PUSH_PREVIEW_COVER = "封面图：{url}"
PUSH_PREVIEW_FIRST = "首次推送 {at}，{repeat}"
PUSH_CREATE = "创建推送"
PUSH_CREATED = "推送 {id} 已创建：首次 {at}，当前对象 {count} 人。"
PUSH_FORM_USED = "这张表单已经提交过，没有重复创建推送。"
PUSH_NEED_WHAT = "请选择要推送的学习材料或系列。"
PUSH_BAD_AUDIENCE = "请选择推送对象。"
PUSH_NEED_VALUE = {"orgs": "请填写党组织名称，多个用“、”分开。",
                   "tags": "请填写标签名称，多个用“、”分开。",
                   "roles": "请填写角色：书记 或 讲师。", "campaign": "请填写冬训名称。"}
PUSH_UNKNOWN_WHAT = "找不到这份学习材料或系列（可能已停用），请重新选择。"
PUSH_SERIES_EMPTY = "这个系列没有可推送的材料。"
PUSH_BAD_MSGTYPE = "请选择消息形式。"
PUSH_NEED_TIME = "请选择推送时间。"
PUSH_BAD_REPEAT = "请选择频率。"
PUSH_NEED_WEEKDAYS = "每周推送请至少选择一天。"
PUSH_REFUSED = "未能创建推送：{reason}"
PUSH_DETAIL = "推送 {id}"
PUSH_CREATED_BY = "创建人"
PUSH_OCCURRENCES = "每次推送"
PUSH_DUE = "推送时间"
PUSH_NOTE = "说明"
PUSH_NOTES = {"series finished": "系列已推送完", "audience empty at send time": "推送时对象为空"}
PUSH_TOTAL = "合计"
CHART_PUSH = "人次"
CHART_PUSH_FIGURES = "送达、阅读、读完（人次）"

# dashboard and reports
DASHBOARD_TITLE = "总览"
CARD_MEMBERS = "党员"
CARD_ORGS = "党组织"
CARD_PENDING_REFLECTIONS = "待审心得"
CARD_PENDING_ORDERS = "待派点单"
CARD_LECTURES_MONTH = "本月宣讲"
CARD_QUESTIONS_MONTH = "本月提问"
CARD_QUESTIONS_IN_TIME = "{days}天内答复（本月）"
CARD_QUESTIONS_IN_TIME_VALUE = "{in_time}/{due}（{percent}%）"
CARD_QUESTIONS_NONE_DUE = "—"
CARD_QUESTIONS_WAITING = "待答复问题"
CARD_QUESTIONS_WAITING_VALUE = "{waiting}（超过{days}天 {overdue}）"
CHART_RATE_MONTHS = "参学率（按月）"
CHART_RATE_ORGS = "参学率（按组织，本年）"
CHART_RATE_KINDS = "参学率（按企业类型，本年）"
CHART_READS = "材料阅读人数"
CHART_CAMPAIGNS = "活动进度"
CHART_RATE = "参学率 %"
CHART_READERS = "阅读人数"
CHART_DONE = "完成率 %"
REPORTS_TITLE = "报表"
REPORTS_RULES_LINK = "积分与学时规则（每类参学的积分、学时和每日上限）"
REPORT_ANNUAL = "年度参学报告"
REPORT_YEAR = "年度"
REPORT_DOWNLOAD = "下载"
REPORT_MISSING = "年度报告功能尚未就绪。"
REPORT_CAMPAIGNS = "活动进度报表"
CAMPAIGN_PERIOD = "{start} 至 {end}"
CAMPAIGN_SHEET = "活动进度"
CAMPAIGN_HEADERS = ("党组织", "应参加人数", "已完成", "进行中", "未开始", "完成率%")
CAMPAIGN_TOTAL = "合计"
CAMPAIGN_FILE = "活动进度-{name}.xlsx"
CAMPAIGN_PAGE = "活动详情"
NO_ORG = "（无组织）"

# the lecture menu (宣讲菜单)
TOPICS_TITLE = "宣讲菜单"
TOPICS_HINT = ("党组织点单时看到的专题。在这里新建或修改的专题，运行 topics sync 同步 "
               "content/topics.yaml 时会保留（除非加 --force）；"
               "在这里新建的专题不会因为不在文件中而下架。")
TOPICS_NEW = "新建专题"
TOPICS_FILTERS = {"": "全部", "active": "在用", "retired": "已下架"}
TOPIC_NEW_TITLE = "新建专题"
TOPIC_EDIT_TITLE = "编辑专题"
TOPIC_SLUG = "标识（slug）"
TOPIC_SLUG_HINT = "小写英文字母、数字和 -，如 red-boat；建好后不能修改。"
TOPIC_TITLE = "标题"
TOPIC_CATEGORY = "类别"
TOPIC_CATEGORY_HINT = "如 理论、党史、党纪、企业党建、先进典型"
TOPIC_MINUTES = "时长（分钟）"
TOPIC_MODES = "宣讲方式"
TOPIC_MODE_NAMES = {"offline": "线下", "live": "线上直播"}
TOPIC_SUMMARY = "简介（选填，点单时“详情”显示）"
TOPIC_LECTURERS = "讲师"
TOPIC_LECTURERS_HINT = "只列出有红色讲师身份的在册党员。"
TOPIC_NO_LECTURERS = "名册中还没有红色讲师，请先在党员页授予讲师身份。"
TOPIC_LECTURER_GONE = "（已不可派）"
TOPIC_STATE = "状态"
TOPIC_STATE_NAMES = {True: "在用", False: "已下架"}
TOPIC_ORIGIN = "来源"
TOPIC_ORIGIN_CONSOLE = "后台新建"
TOPIC_ORIGIN_EDITED = "文件导入，后台已修改"
TOPIC_ORIGIN_FILE = "文件导入"
TOPIC_ORDERS = "点单数"
TOPIC_CREATE = "创建"
TOPIC_RETIRE = "下架"
TOPIC_RESTORE = "恢复上架"
TOPIC_RETIRE_HINT = "下架后不再出现在点单菜单中，已有点单不受影响。"
TOPIC_HISTORY = "修改记录"
TOPIC_ACTIONS = {"topic.create": "新建", "topic.edit": "修改", "topic.retire": "下架",
                 "topic.restore": "恢复上架", "topic.sync_forced": "文件强制覆盖"}
TOPIC_FORM_INVALID = "有 {count} 处需要修改，未保存。"
TOPIC_CREATED = "专题{title}已创建，已出现在点单菜单中。"
TOPIC_SAVED = "专题{title}已保存。"
TOPIC_UNCHANGED = "没有修改。"
TOPIC_RETIRED = "专题{title}已下架。"
TOPIC_RESTORED = "专题{title}已恢复上架。"
TOPIC_ALREADY = "专题状态已是“{state}”。"
TOPIC_RESTORE_REFUSED = "专题{title}不能恢复：{reasons}请先编辑后再恢复。"
TOPIC_FIELD_NAMES = {"slug": "标识", "title": "标题", "category": "类别", "minutes": "时长",
                     "modes": "宣讲方式", "summary": "简介", "lecturers": "讲师"}
TOPIC_FIELD_PROBLEM = "{field}：{message}"
TOPIC_ERRORS = {
    "missing": "必填。",
    "empty": "必填。",
    "too_long": "不能超过 {limit} 个字。",
    "slug": "只能由小写英文字母、数字和 - 组成，最多 100 个字符。",
    "slug_taken": "该标识已被专题{title}使用。",
    "minutes": "请填写 {low}–{high} 之间的整数。",
    "modes": "请至少选择一种宣讲方式。",
    "modes.missing": "请至少选择一种宣讲方式。",
    "mode_twice": "同一种方式选了两次。",
    "lecturers": "请至少选择一位讲师。",
    "lecturers.missing": "请至少选择一位讲师。",
    "lecturer_twice": "同一位讲师选了两次。",
    "not_in_roster": "{userid} 不在党员名册中。",
    "inactive": "{name}（{userid}）已停用或已离开。",
    "not_lecturer": "{name}（{userid}）没有红色讲师身份。",
    "invalid": "填写有误。",
}
