"""Chinese texts of 宣传成果 in the console: the list of articles and videos published outside,
its filters, the form and the checks of one record."""

from __future__ import annotations

PLATFORM_NAMES = {
    "qiangguo_province": "学习强国省级平台",
    "qiangguo_city": "学习强国市级平台",
    "newspaper": "报刊",
    "website": "网站",
    "tv": "电视台",
}
LEVEL_NAMES = {"national": "国家级", "province": "省级", "city": "市级", "district": "区级"}
MEDIA_NAMES = {"article": "文章", "video": "视频"}
QIANGGUO_OUTLET = "学习强国"

# the list
LIST_TITLE = "宣传成果"
LIST_HINT = ("登记在外部平台发表的文章和视频（学习强国、报刊、网站、电视台）。"
             "年度统计按发表日期计入当年，按平台和级别汇总，见「报表」。")
LIST_NEW = "登记宣传成果"
LIST_AWARDS = "年度评选"
FILTER_YEAR = "年度"
FILTER_PLATFORM = "平台"
FILTER_LEVEL = "级别"
FILTER_ALL = "全部"
SHOWN = "共 {count} 条"
COL_DATE = "发表日期"
COL_TITLE = "标题"
COL_MEDIA = "形式"
COL_PLATFORM = "平台"
COL_LEVEL = "级别"
COL_OUTLET = "媒体"
COL_ABOUT = "涉及组织/党员"
COL_LINK = "链接"
OPEN_LINK = "打开"

# the form
NEW_TITLE = "登记宣传成果"
EDIT_TITLE = "宣传成果：{title}"
FIELD_TITLE = "标题"
FIELD_MEDIA = "形式"
FIELD_PLATFORM = "平台"
FIELD_LEVEL = "级别"
FIELD_LEVEL_HINT = "学习强国省级、市级平台的级别随平台确定，可不选。"
FIELD_LEVEL_NONE = "（随平台）"
FIELD_OUTLET = "媒体名称"
FIELD_OUTLET_HINT = "如 人民网、无锡日报；学习强国可不填。"
FIELD_DATE = "发表日期"
FIELD_URL = "链接"
FIELD_URL_HINT = "以 http:// 或 https:// 开头，可不填。"
FIELD_ORG = "涉及党组织"
FIELD_ORG_NONE = "（不填）"
FIELD_MEMBER = "涉及党员"
FIELD_MEMBER_HINT = "党员的企业微信账号或姓名，可不填。"
FIELD_NOTES = "备注"
CREATE = "登记"
DELETE = "删除"
DELETE_HINT = "删除后不再计入年度统计；删除会记入审计日志。"
CREATED_BY = "登记人：{by}，{at}"

# what the pages say after an action
CREATED = "已登记{title}。"  # the title quoted (content.titles.quoted)
SAVED = "已保存{title}。"
UNCHANGED = "没有改动。"
DELETED = "已删除{title}。"
FORM_INVALID = "有 {count} 处需要修改，见各栏下方的说明；没有保存。"
FORM_EXPIRED = "表单已过期，请重新填写。"

# the checks of one record
TITLE_MISSING = "请填写标题"
TOO_LONG = "最多{limit}字，现在有{length}字"
MEDIA_UNKNOWN = "形式只能是文章或视频"
PLATFORM_MISSING = "请选择平台"
PLATFORM_UNKNOWN = "平台“{value}”不对，请从列表中选择"
LEVEL_MISSING = "请选择级别（国家级、省级、市级或区级）"
LEVEL_UNKNOWN = "级别“{value}”不对，只能是国家级、省级、市级或区级"
LEVEL_IMPLIED = "{platform}的级别是{level}"
DATE_MISSING = "请填写发表日期"
DATE_BAD = "日期“{value}”看不懂，请写成 2026-05-20"
DATE_FUTURE = "发表日期不能晚于今天（{today}）"
DATE_TOO_EARLY = "发表日期不能早于 {first}"
URL_BAD = "链接要以 http:// 或 https:// 开头，且是完整的网址"
ORG_UNKNOWN = "找不到这个党组织"
MEMBER_UNKNOWN = "找不到党员“{value}”"
MEMBER_AMBIGUOUS = "叫“{value}”的党员不止一位，请写企业微信账号"
