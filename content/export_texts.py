"""Texts of the reflection exports for the record books (台账): .docx and .xlsx."""

from __future__ import annotations

COMMITTEE = "高新区企业党委"
TITLE = "{org}心得体会汇编"
TITLE_ALL = "全体党组织"
PERIOD = "{since} 至 {until}"
COUNT = "共 {count} 篇"
GENERATED = "{date} 导出"
NONE_FOUND = "本期间内没有已提交的心得体会。"
FONT = "宋体"

HEADING = "{index}. {subject}"
FREE_SUBJECT = "自由主题"
NO_ORGANIZATION = "未分配党组织"
FIELD_NUMBER = "编号"
FIELD_AUTHOR = "姓名"
FIELD_ORGANIZATION = "所在党组织"
FIELD_SUBMITTED = "提交时间"
FIELD_STATUS = "状态"
FIELD_LENGTH = "字数"
FIELD_PHOTOS = "照片数"
FIELD_COMMENT = "审阅意见"
FIELD_SEPARATOR = "："
PHOTO_MISSING = "（照片{index}未能从企业微信取回）"
PHOTO_UNREADABLE = "（照片{index}无法识别，未能插入）"

STATUS_NAMES = {
    "submitted": "已提交",
    "reviewed": "已点评",
    "featured": "优秀",
    "returned": "退回",
    "draft": "草稿",
}
FEATURED_MARK = "★ 优秀"

SHEET_TITLE = "心得体会"
HEADERS = {
    "number": "编号",
    "author": "姓名",
    "organization": "所在党组织",
    "subject": "主题",
    "submitted": "提交时间",
    "length": "字数",
    "photos": "照片数",
    "status": "状态",
    "comment": "审阅意见",
    "text": "全文",
}
