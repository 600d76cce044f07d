"""Chinese texts of writing reflections (写心得, 继续, 我的心得, 修改)."""

from __future__ import annotations

WRITE_SUMMARY = "写学习心得体会"
RESUME_SUMMARY = "接着写未完成的心得"
MINE_SUMMARY = "查看我的心得和审阅情况"

CHOOSE_SUBJECT = "写哪一篇的心得？回复编号：\n{lines}\n0. 自由主题"
SUBJECT_LINE = "{number}. {title}"
SUBJECT_CAMPAIGN = "{name}（活动）"
SUBJECT_FREE = "自由主题"
SUBJECT_ASK_AGAIN = "请回复主题编号，例如“1”；写自由主题请回复“0”。发送“取消”退出。"
SUBJECT_OUT_OF_RANGE = "没有第{number}项，请回复0到{count}之间的编号。"
UNKNOWN_MATERIAL = "没有编号为{number}的学习材料。发送“写心得”从列表中选择。"

START_WRITING = (
    "主题：{subject}\n"
    "请直接发送心得内容，可以分几条发，也可以拍照发送手写稿；发送“完成”结束。（至少{min_chars}字）"
)
PART_SAVED = "已记下，共{chars}字。继续发送，或发送“完成”。"
PART_CUT = "心得最多{max_chars}字，超出的{cut}字没有保存。发送“完成”结束。"
PHOTO_SAVED = "照片已收到（共{count}张）。继续发送，或发送“完成”。"
ONLY_TEXT_OR_PHOTO = "请发送文字或照片；发送“完成”结束，“取消”放弃。"
TOO_SHORT = "现在共{chars}字，还差{missing}字。请接着写，写好后发送“完成”。"
CONFIRM = (
    "{summary}\n"
    "回复“确认”提交（评为优秀心得时展示您的姓名和党组织），"
    "回复“匿名提交”则展示时不署名；“继续”接着写，“取消”放弃。"
)
SUMMARY_TEXT = "共{chars}字：“{preview}”"
SUMMARY_TEXT_PHOTOS = "共{chars}字、照片{count}张：“{preview}”"
SUMMARY_PHOTOS = "照片{count}张（手写稿，没有文字）"


def summary(chars: int, photos: int, preview: str) -> str:
    """What the member is about to submit: characters, photos, the text's start (none if empty)."""
    if chars and photos:
        return SUMMARY_TEXT_PHOTOS.format(chars=chars, count=photos, preview=preview)
    if photos:
        return SUMMARY_PHOTOS.format(count=photos)
    return SUMMARY_TEXT.format(chars=chars, preview=preview)


CONFIRM_ASK_AGAIN = "请回复“确认”“匿名提交”“继续”或“取消”。"
SUBMITTED = "已提交，编号 {number}。审阅后会通知您。发送“我的心得”查看。"
BACK_TO_WRITING = "好的，请接着写，写好后发送“完成”。现在共{chars}字。"

FINISH_WORD = "完成"
CONFIRM_WORDS = ("确认", "确认提交", "提交")
ANONYMOUS_WORDS = ("匿名提交", "匿名")
CONTINUE_WORD = "继续"

NO_DRAFT = "没有未完成的心得（草稿保留24小时）。发送“写心得”开始写。"
RESUMED = "继续写{subject}的心得，现在共{chars}字。请接着发送，写好后发送“完成”。"

MINE_NONE = "您还没有提交过心得。发送“写心得”开始写。"
MINE_HEAD = "我的心得（最近{count}篇）："
MINE_LINE = "· {number} {subject} {status}"
MINE_RETURNED = "（退回：{comment}，回复“修改 {number}”修改）"
STATUS_NAMES = {
    "draft": "草稿",
    "submitted": "已提交",
    "reviewed": "已点评",
    "featured": "优秀",
    "returned": "退回",
}

REVISE_USAGE = "请在“修改”后面加上心得编号，例如：修改 XD-2026-000123"
REVISE_NOT_FOUND = "没有找到您的心得 {number}。发送“我的心得”查看编号。"
REVISE_NOT_RETURNED = "心得 {number} 没有被退回，不需要修改。"
REVISE_START = (
    "请重新发送{subject}的心得内容，可以分几条发；发送“完成”结束。（至少{min_chars}字）"
)
