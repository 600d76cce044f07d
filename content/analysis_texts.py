"""Chinese texts of 研判: the console's analysis pages (a: the form, the progress, the result),
the watch list and its review queue, and the 研判报告 (.docx), by name; console templates read
them as `a.NAME`."""

from __future__ import annotations

# periods and scopes
MONTH_LABEL = "{year}年{number}月"
QUARTER_LABEL = "{year}年第{number}季度"
QUARTER_NAMES = ("一", "二", "三", "四")
YEAR_LABEL = "{year}年"
UNIT_NAMES = {"month": "月度", "quarter": "季度", "year": "年度"}
KIND_NAMES = {"foreign": "外资企业", "private": "民营企业", "state": "国有企业", "other": "其他"}
ALL_ORGS = "全部党组织"
MORE_ORGS = "{names}等{count}个党组织"
LIST_SEPARATOR = "、"
SCOPE_NAMES = {"all": "全部党组织", "org_kind": "按企业类型", "orgs": "指定党组织"}
SOURCE_NAMES = {"reflection": "心得", "question": "提问"}
TREND_NAMES = {"up": "上升", "down": "下降", "new": "新出现", "flat": "持平"}
STATUS_NAMES = {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "失败"}
STAGE_NAMES = {"": "等待开始", "load": "读取文本", "count": "切词统计", "previous": "统计上期",
               "themes": "提取话题", "lists": "汇总清单", "watch": "关注词比对", "done": "完成"}

# the analysis page
TITLE = "研判"
HINT = ("按月度、季度或年度，分析党员提交的心得和向党委提出的问题：主要话题及其与上期相比的升降、"
        "按企业类型的分布，问答库答不上的问题，答题易错题，推送后少有人读完的材料，"
        "长期无活动的党组织和本期未触达的党员。生成在后台进行，页面会显示进度。")
NEW = "新建研判"
FIELD_UNIT = "期间"
FIELD_YEAR = "年份"
FIELD_NUMBER = "月份或季度"
NUMBER_HINT = "月度填 1–12，季度填 1–4，年度不用填"
FIELD_SCOPE = "范围"
FIELD_KINDS = "企业类型"
FIELD_ORGS = "党组织（可多选）"
FIELD_IDLE = "无活动周数"
IDLE_HINT = "连续这么多周没有任何参学记录的党组织列入清单"
START = "开始研判"
PAST = "历次研判"
COL_PERIOD = "期间"
COL_SCOPE = "范围"
COL_STATUS = "状态"
COL_BY = "发起人"
COL_AT = "发起时间"
NONE_YET = "还没有研判。"
WATCH_LINKS = "关注词与待审核"
STARTED = "研判已开始生成（{period}，{scope}）。"
FORM_USED = "这张表单已经提交过了。"
FORM_EXPIRED = "表单已过期，请重新填写。"
ERRORS = {
    "period": "请选择正确的期间：月份为 1–12，季度为 1–4，年份为 2000–2100。",
    "scope": "请选择范围：按企业类型时至少选一种类型，指定党组织时至少选一个党组织。",
    "idle": "无活动周数请填 1–52 之间的整数。",
}

# one analysis
DETAIL_TITLE = "研判：{period}"
PROGRESS = "生成进度"
PROGRESS_NOTE = "页面每 3 秒自动刷新。"
FAILED = "生成失败：{error}。可以重新发起一次研判。"
STALE = "这次研判超过 15 分钟仍未完成，后台任务可能已中断。请重新发起一次研判。"
DOWNLOAD = "下载研判报告（Word）"
BACK = "返回研判"
SUMMARY = "概况"
FIG_TEXTS = "本期文本"
FIG_REFLECTIONS = "心得"
FIG_QUESTIONS = "提问"
FIG_PREVIOUS = "上期文本（{label}）"
FIG_SCOPE = "范围"
FIG_SECONDS = "用时 {seconds} 秒"
THEMES = "主要话题"
THEMES_HINT = ("按 TF-IDF 排序：提及该词的文本占比 × 词的区分度（常用词权重低）。"
               "占比 = 提及该词的文本数 / 本期文本数（每篇只计一次）。")
COL_RANK = "序号"
COL_WORD = "话题词"
COL_TEXTS = "文本数"
COL_SHARE = "占比(%)"
COL_PREVIOUS = "上期占比(%)"
COL_CHANGE = "变化(百分点)"
COL_TREND = "趋势"
COL_QUOTES = "原话摘录"
QUOTE = "“{text}”"
FALLEN = "较上期明显减少的话题"
PHRASES = "高频短语"
COL_PHRASE = "短语"
QUESTION_THEMES = "提问中的话题"
KINDS = "按企业类型"
KIND_HEAD = "{name}（{count} 篇）"
UNANSWERED = "问答库答不上的问题"
UNANSWERED_SUMMARY = ("本期转给党委的问题 {total} 个（问答库找不到答案），"
                      "已答复 {answered} 个，待答复 {open} 个。")
COL_NUMBER = "编号"
COL_DAY = "日期"
COL_QUESTION = "问题"
MISSED = "答题易错题"
MISSED_HINT = "本期作答至少 {min} 人次的题目，按答错比例排序。"
COL_ANSWERED = "作答人次"
COL_WRONG = "答错人次"
COL_WRONG_SHARE = "答错率(%)"
COL_ANSWER = "正确答案"
MATERIALS = "推送后读完率低的学习材料"
MATERIALS_HINT = "本期推送送达至少 {min} 人的材料，按读完人数 / 送达人数排序。"
COL_TITLE = "材料"
COL_DELIVERED = "送达人数"
COL_COMPLETED = "读完人数"
COL_COMPLETED_SHARE = "读完率(%)"
IDLE = "连续 {weeks} 周无活动的党组织"
IDLE_SUMMARY = "范围内 {total} 个党组织中有 {count} 个。"
COL_ORG = "党组织"
COL_KIND = "企业类型"
COL_LAST = "最后活动"
COL_WEEKS = "已无活动(周)"
NEVER = "从无记录"
UNREACHED = "本期未触达的党员"
UNREACHED_SUMMARY = ("在册党员 {members} 人中，{total} 人本期既没有收到推送，"
                     "也没有任何参学记录。")
COL_COUNT = "人数"
COL_NAME = "姓名"
NAMES_SHOWN = "名单（前 {count} 人）"
WATCH = "关注词"
WATCH_SUMMARY = "本次比对新增待审核 {new} 条，目前待审核共 {open} 条。"
WATCH_LINK = "前往待审核队列"
EMPTY = "无"
CHART_SHARE = "占比(%)"
CHART_TEXTS = "文本数"
CHART_WRONG = "答错率(%)"
CHART_COMPLETED = "读完率(%)"
CHART_THEMES = "主要话题占比"
CHART_KINDS = "各企业类型文本数"
CHART_MISSED = "易错题答错率"
CHART_MATERIALS = "材料读完率"

# the watch list
WATCH_TITLE = "关注词"
WATCH_HINT = ("党委维护的关注词：党员的心得或提问中出现关注词（或所列的变体）时，进入待审核队列，"
              "由管理员人工查看并记录处理情况。系统不会因此自动对任何党员采取措施。"
              "比对时忽略全角半角、大小写和空格；新增或修改关注词后会比对最近 {days} 天的文本。")
COL_TERM = "关注词"
COL_VARIANTS = "变体"
COL_NOTE = "说明"
COL_ACTIVE = "状态"
COL_HITS = "命中"
COL_CREATED = "添加人"
ACTIVE_NAMES = {True: "启用", False: "停用"}
ADD_TERM = "添加关注词"
EDIT_TERM = "修改关注词"
FIELD_TERM = "关注词"
FIELD_VARIANTS = "变体（每行一个，或用逗号分隔）"
FIELD_NOTE = "说明"
SAVE = "保存"
EDIT = "修改"
TURN_OFF = "停用"
TURN_ON = "启用"
TERM_SAVED = "关注词“{term}”已保存。"
TERM_OFF = "关注词“{term}”已停用（已有的命中记录保留）。"
TERM_ON = "关注词“{term}”已启用。"
NO_TERMS = "还没有关注词。"
WATCH_ERRORS = {
    "empty": "请填写关注词。",
    "too_long": "关注词和变体每个最多 50 个字。",
    "too_many": "变体最多 20 个。",
    "note_too_long": "说明最多 500 字。",
    "duplicate": "这个关注词已经在列表中。",
    "missing": "没有这个关注词。",
    "note_empty": "请填写处理情况。",
}

# the review queue
QUEUE_TITLE = "待审核"
QUEUE_HINT = "含关注词的心得和提问。每次查看都会记入审计日志。处理后请记录做了什么。"
QUEUE_FILTERS = {"open": "待审核", "reviewed": "已处理", "all": "全部"}
COL_FOUND = "发现时间"
COL_SOURCE = "来源"
COL_EXCERPT = "摘录"
COL_REVIEW = "处理"
REVIEWED_MARK = "已处理"
OPEN_MARK = "待审核"
QUEUE_EMPTY = "没有符合条件的记录。"
VIEW = "查看"
HIT_TITLE = "待审核：{source} {number}"
HIT_TERM = "关注词"
HIT_MATCHED = "命中文字"
HIT_TEXT = "全文"
HIT_AUTHOR = "作者"
HIT_ORG = "党组织"
HIT_WRITTEN = "写于"
HIT_FOUND = "发现于"
HIT_GONE = "原文已不存在。"
REVIEW_NOTE = "处理情况（做了什么，例如：已与支部书记沟通，属正常讨论）"
REVIEW = "记录处理情况"
REVIEWED = "已记录处理情况。"
ALREADY_REVIEWED = "这条记录已由{by}处理。"
REVIEWED_BY = "处理人"
REVIEWED_AT = "处理时间"
REVIEW_NOTE_SHOWN = "处理情况"
QUEUE_BACK = "返回待审核"

# the report (.docx)
REPORT_TITLE = "研判报告"
REPORT_SUBTITLE = "{period}（{first} 至 {last}）· {scope}"
REPORT_COUNT = "本期文本 {count} 篇"
REPORT_FILE = "研判报告-{period}.docx"
REPORT_ANONYMOUS = ("说明：摘录为党员原话，不含姓名和所在党组织；"
                    "含人名、党组织名称、电话号码或链接的句子不作摘录。")
BAR = "█"
