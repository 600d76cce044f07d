"""Chinese texts of the console's 红色直播间 pages (the sessions, uploading a viewer list, its
check report, the confirm, linking a session to a lecture), by name; templates read them as
`lt.NAME`. The file's own problems and the summary lines are content/live_texts.py's (the
`live import` command's), never restated here."""

from __future__ import annotations

# pages
LIST_TITLE = "红色直播间"
LIST_HINT = ("已导入观看名单的直播场次：观看人次为名单的全部行数，匹配党员为记入参学的人数，"
             "未匹配为不在党员名册中（或无法确定是谁）的观众。")
IMPORT_LINK = "导入观看名单"
IMPORT_TITLE = "导入观看名单"
IMPORT_HINT = ("上传直播平台导出的观看名单（.xlsx 或 .csv，CSV 可为 UTF-8 或 GB18030）。"
               "须有「企业微信账号」列，或同时有「姓名」和「党组织」列，以及「观看时长（分钟）」列；"
               "「序号」「备注」列可保留。先检查，确认无误后再导入；检查不会写入任何数据。")
SESSION_TITLE = "直播：{title}"

# fields
TITLE = "直播标题"
TITLE_HINT = "与直播平台上的标题一致；同一标题和开始时间的直播只能导入一次。"
STARTS_AT = "开始时间"
FILE = "观看名单文件"
CHECK = "检查名单"
CONFIRM = "确认导入"
CHECK_AGAIN = "重新上传"
BACK = "返回直播列表"

# field problems
NEED_TITLE = "请填写 1–200 个字的直播标题。"
NEED_TIME = "请选择直播开始时间。"
BAD_TIME = "开始时间格式不正确，请用日期时间选择器选择。"
NEED_FILE = "请选择 .xlsx 或 .csv 格式的观看名单文件。"
FILE_TOO_LARGE = "文件超过 {megabytes} MB，请只导出观看名单这一张表后再上传。"
IMPORTED = ("这场直播（同一标题和开始时间）已导入过（直播 #{session}），"
            "不能重复导入，以免重复计入参学。")
IMPORTED_NOW = "这场直播刚刚已由其他人导入，本次未写入任何数据。"

# the report
REPORT_TITLE = "检查结果"
REPORT_OK = "名单没有问题。以下是导入后的结果预览（尚未写入任何数据），确认无误后请点“确认导入”。"
REPORT_PROBLEMS = "名单有问题，未写入任何数据。请按下面逐行列出的问题修改文件后重新上传："
FIELDS_PROBLEMS = "请先改正标出的 {count} 处问题（未写入任何数据）。"
KEPT_FOR = "检查过的名单保留 {minutes} 分钟，请在此期间确认导入。"
EXPIRED = "这份检查过的名单已过期或已使用，请重新上传。"
ALREADY_DONE = "这份名单已经导入过了（直播 #{session}），没有重复导入。"
IN_PROGRESS = "这份名单正在导入，请稍候刷新直播列表。"
DONE_TITLE = "导入完成"
DONE = "观看名单已导入：直播 #{session}。"

# the list and one session
COL_START = "开始时间"
COL_TITLE = "标题"
COL_VIEWERS = "观看人次"
COL_MATCHED = "匹配党员"
COL_UNMATCHED = "未匹配"
COL_LECTURE = "关联宣讲"
COL_FILE = "名单文件"
COL_IMPORTED = "导入人 / 时间"
NO_LECTURE = "未关联"
LECTURE_OPTION = "{at} {title}（{lecturer}）"
LECTURE_LABEL = "关联到宣讲"
LECTURE_HINT = "可选开始时间在这场直播前后 {days} 天内的宣讲，离直播时间最近的在前。"
LECTURE_NONE_OPTION = "（不关联宣讲）"
NO_LECTURES_NEAR = "这场直播前后 {days} 天内没有宣讲。"
LINK = "保存关联"
LINKED = "已将直播关联到宣讲：{lecture}；该宣讲的直播观看人次记为 {viewers}。"
UNLINKED = "已取消直播与宣讲的关联。"
LINK_UNCHANGED = "关联没有变化。"
BAD_LECTURE = "请从列表中选择一场宣讲。"
FAR_LECTURE = "只能关联开始时间在直播前后 {days} 天内的宣讲。"
LECTURE_VIEWERS = "该宣讲的直播观看人次：{viewers}"
OPEN_SESSION = "查看这场直播（可关联宣讲）"
