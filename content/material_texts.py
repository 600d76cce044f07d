"""Chinese texts of the 学习材料 editor (console pages and the form's checks), by name;
console templates read them as `mt.NAME`."""

from __future__ import annotations

from content.study_texts import KIND_NAMES

__all__ = ["KIND_NAMES"]

# pages and buttons
NEW_TITLE = "新建材料"
EDIT_TITLE = "编辑材料：{title}"
VERSIONS_TITLE = "版本记录：{title}"
DIFF_TITLE = "版本对比：{title}"
RETIRED_TITLE = "已停用的材料"
NEW_LINK = "新建材料"
EDIT_LINK = "编辑"
VERSIONS_LINK = "版本记录"
RETIRED_LINK = "已停用的材料"
CREATE_BUTTON = "创建"
SAVE_BUTTON = "保存"
RETIRE_BUTTON = "停用"
REACTIVATE_BUTTON = "恢复"
RESTORE_BUTTON = "恢复到此版本"
DIFF_BUTTON = "对比所选版本"
CANCEL = "取消"
STATUS = "状态"
ACTIVE = "使用中"
RETIRED = "已停用"
RETIRE_HINT = "停用后党员打开链接将看不到这篇材料，系列推送也会跳过它；可随时恢复。"
SOURCE_FILE = "来自文件 content/materials/{slug}.md"
SOURCE_CONSOLE = "在管理后台创建"
CONFLICT_HINT = ("这篇材料来自文件。在此保存后，文件的改动不会再自动导入"
                 "（content sync 会报告冲突），除非文件与这里一致或使用 --force。")

# the form
FIELD_LABELS = {
    "title": "标题", "slug": "标识（网址用）", "kind": "类别", "series": "所属系列",
    "position": "系列中的序号", "tags": "标签", "summary": "摘要", "source_url": "原文链接",
    "cover": "封面", "published": "发布日期", "campaign": "所属活动", "minutes": "阅读时长（分钟）",
    "body": "正文（Markdown）",
}
SLUG_HINT = "小写字母、数字和连字符；不填则按标题自动生成，创建后不能修改。"
TAGS_HINT = "用逗号或顿号分隔，如：党史、冬训"
COVER_HINT = "http(s) 链接，或相对路径如 covers/a.jpg"
PREVIEW = "预览"
PREVIEW_EMPTY = "（正文为空）"
PREVIEW_FAILED = "预览暂时不可用。"
UPLOADS = "插入图片 / 导入 Word"
UPLOAD_IMAGE = "插入图片"
IMPORT_DOCX = "导入 Word 文档"
UPLOAD_BUSY = "正在上传……"
UPLOAD_DONE = "已完成。"
UPLOAD_FAILED = "上传失败，请稍后重试。"
DOCX_REPLACE = "用 Word 文档的内容替换现有正文吗？"
FORM_HAS_ERRORS = "表单有误，请按提示修改后再提交。"

# the form's checks: the reason of each problem (bot.fields.Invalid.reason) in Chinese
ERRORS = {
    "empty": "请填写{label}。",
    "missing": "请填写{label}。",
    "too_long": "{label}不能超过 {limit} 个字。",
    "slug": "标识只能用小写字母、数字和连字符（-），最多 100 个字符。",
    "kind": "请选择类别。",
    "number": "{label}须为 1 到 {limit} 之间的整数。",
    "tags": "标签不能为空白。",
    "date": "请选择发布日期（格式如 2026-12-08）。",
    "url": "请填写以 http:// 或 https:// 开头的完整链接（不超过 {limit} 个字符，不含空格）。",
    "cover": "封面须为 http(s) 链接，或相对路径如 covers/a.jpg。",
    "needs_position": "填写了所属系列，请同时填写系列中的序号。",
    "needs_series": "填写了序号，请同时填写所属系列。",
    "needs_source": "请填写正文，或填写原文链接。",
    "slug_taken": "标识 {slug} 已被其他材料使用。",
    "position_taken": "系列“{series}”中序号 {position} 已被{title}使用。",
    "form_key": "表单已失效，请刷新页面后重试。",
    "stale": "这篇材料在您打开编辑页之后已被修改（现为第 {number} 版），请刷新页面后重新编辑。",
}
ERROR_DEFAULT = "{label}填写有误。"

# results
CREATED = "材料{title}已创建。"
ALREADY_CREATED = "这张表单已经提交过，材料{title}已创建。"
SAVED = "材料{title}已保存（第 {number} 版）。"
UNCHANGED = "没有修改，未保存新版本。"
RETIRED_DONE = "材料{title}已停用。"
REACTIVATED = "材料{title}已恢复使用。"
ALREADY = "材料状态未改变。"
RESTORED = "已恢复到第 {source} 版（保存为第 {number} 版）。"
RESTORE_SAME = "当前内容与第 {source} 版相同，未保存新版本。"

# versions and the diff
VERSION_NUMBER = "版本"
VERSION_AT = "时间"
VERSION_ACTOR = "操作人"
VERSION_BASELINE = "（首次保存前的内容）"
VERSION_OLD = "旧版本"
VERSION_NEW = "新版本"
DIFF_FIELD = "字段"
DIFF_NONE = "两个版本内容相同。"
DIFF_BODY = "正文的改动"
DIFF_BODY_SAME = "正文未改动。"
DIFF_PICK = "请选择两个不同的版本进行对比。"
DIFF_FIELDS = {
    "title": "标题", "kind": "类别", "series": "所属系列", "series_position": "系列中的序号",
    "tags": "标签", "summary": "摘要", "source_url": "原文链接", "cover": "封面",
    "published_on": "发布日期", "campaign": "所属活动", "minutes": "阅读时长（分钟）",
    "active": "状态", "body": "正文",
}
YES_NO = {True: "使用中", False: "已停用"}

# How the 学习材料 pages count (study.stats, study/deliveries.py).
FIGURES_HINT = ("送达人数：收到这篇材料的党员（人），推送、群发、优秀心得选登和提醒卡片都算，"
                "同一党员只计1次；阅读人数、读完人数：打开过、读完过的党员（人）。")
