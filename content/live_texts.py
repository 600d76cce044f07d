"""Live-session (红色直播间) viewer lists in Chinese: column headers, problems and the summary."""

from __future__ import annotations

# Column key → the header shown in problems.
HEADERS: dict[str, str] = {
    "userid": "企业微信账号",
    "name": "姓名",
    "organization": "党组织",
    "minutes": "观看时长（分钟）",
}
# Headers accepted (whitespace removed, full-width brackets made half-width, lower-cased).
HEADER_WORDS: dict[str, str] = {
    "userid": "userid", "企业微信账号": "userid", "账号": "userid", "用户id": "userid",
    "姓名": "name", "观众姓名": "name",
    "党组织": "organization", "所在党组织": "organization",
    "观看时长(分钟)": "minutes", "观看时长": "minutes", "时长(分钟)": "minutes",
    "观看分钟数": "minutes",
}
# Columns allowed but not read.
IGNORED_HEADERS = ("序号", "备注")

CELL_PROBLEM = "第{row}行「{column}」：{message}"
ROW_PROBLEM = "第{row}行：{message}"
UNKNOWN_HEADER = ("表头（第{row}行）第{position}列“{value}”无法识别；可用的列：企业微信账号，"
                  "或姓名和党组织；观看时长（分钟）；序号、备注可保留")
HEADER_TWICE = "表头（第{row}行）中「{column}」出现了不止一次"
MINUTES_MISSING = "表头（第{row}行）缺少「观看时长（分钟）」列"
WHO_MISSING = "表头（第{row}行）须有「企业微信账号」列，或同时有「姓名」和「党组织」列"
NO_VIEWERS = "文件“{name}”只有表头，没有观众"
NO_IDENTITY = "须填写企业微信账号，或姓名和党组织"
BAD_MINUTES = "“{value}”不是观看分钟数，须为0至{limit}之间的数字"
EMPTY_MINUTES = "观看时长不能为空"

# Why a viewer is not matched to a member (counted, listed, never added to the roster).
NOT_IN_ROSTER = "企业微信账号“{userid}”不在党员名册中"
UNKNOWN_ORG = "找不到党组织“{org}”"
AMBIGUOUS_ORG = "有{count}个党组织都叫“{org}”"
NO_SUCH_MEMBER = "党组织“{org}”中没有名为“{name}”的党员"
AMBIGUOUS_NAME = "党组织“{org}”中有{count}名党员都叫“{name}”，无法确定是谁，请改用企业微信账号"
NO_ORGANIZATION = "只有姓名“{name}”，没有党组织，无法确定是谁"
VIEWER = "{name}（{org}）"
VIEWER_USERID = "{userid}"

SUMMARY = ("直播“{title}”（{time}）：观看{viewers}人次；匹配党员{matched}人，"
           "记入参学{recorded}条；未匹配{unmatched}人次。")
DRY_RUN = "试运行（未写入任何数据）："
UNMATCHED_HEADING = "未匹配的观众（计入观看人次，但不会加入党员名册）："
UNMATCHED_LINE = "  第{row}行 {viewer}：{reason}"
LECTURE_LINE = "宣讲 #{lecture} 的直播观看人次记为 {viewers}。"
