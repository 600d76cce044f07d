"""Chinese texts of reviewing reflections (待审心得, 优秀 / 通过 / 退回) and the digest."""

from __future__ import annotations

ONLY_REVIEWERS = "只有管理员和党组织书记/联络员可以审阅心得"
NONE_LEFT = "没有待审的心得了。"
SHOW = (
    "待审心得 {number}（还有{waiting}篇待审）\n"
    "作者：{author}（{organization}）\n"
    "主题：{subject}\n"
    "提交：{submitted}　共{chars}字{photos}\n"
    "回复“优秀”“通过”或“退回 理由”，发送“取消”退出。\n"
    "——————\n"
    "{text}"
)
SHOW_PHOTOS = "、照片{count}张（手写稿）"
NO_TEXT = "（只有照片，没有文字）"
NO_ORGANIZATION = "未分配党组织"
SUBJECT_FREE = "自由主题"

ASK_VERDICT = "请回复“优秀”“通过”或“退回 理由”，例如：退回 请结合本职工作谈体会。发送“取消”退出。"
ASK_REASON = "退回需要写明理由，例如：退回 请结合本职工作谈体会。"
FEATURE_WORD = "优秀"
PASS_WORD = "通过"
RETURN_WORD = "退回"

DONE_FEATURE = "已将 {number} 评为优秀心得，已通知作者。"
DONE_PASS = "已通过 {number}，已通知作者。"
DONE_RETURN = "已退回 {number}，已通知作者修改。"

ALREADY_REVIEWED = "该心得已由他人审阅。"
NOT_SUBMITTED = "该心得 {number} 不在待审状态。"
OUT_OF_SCOPE = "心得 {number} 不属于您负责的党组织，不能审阅。"
OWN_REFLECTION = "不能审阅自己的心得。"
NOT_FOUND = "没有找到心得 {number}。请检查编号，例如：待审心得 XD-2026-000123"

NOTICE_FEATURE = "您的心得 {number}（{subject}）已被评为优秀心得，谢谢您的认真学习！"
NOTICE_PASS = "您的心得 {number}（{subject}）已通过审阅。"
NOTICE_RETURN = (
    "您的心得 {number}（{subject}）被退回：{reason}。回复“修改 {number}”修改后重新提交。"
)
NOTICE_COMMENT = "\n审阅意见：{comment}"

DIGEST_TAG = "优秀心得"
DIGEST_TITLE = "优秀心得选登（{period}）"
DIGEST_MONTH = "{year}年{month}月"
DIGEST_DAY = "{year}年{month}月{day}日"
DIGEST_RANGE = "{start}至{end}"
DIGEST_SUMMARY = "本期选登{count}篇党员优秀心得体会，一起学习身边的好做法、好体会。"
DIGEST_INTRO = "本期选登{count}篇优秀心得体会（{period}）。"
DIGEST_SECTION = "## {index}. {subject}"
DIGEST_BYLINE = "**{author}**"
DIGEST_AUTHOR_NAMED = "{name}（{organization}）"
DIGEST_AUTHOR_ANONYMOUS = "一位党员"
DIGEST_PHOTOS = "（另附手写稿照片{count}张）"

REVIEW_SUMMARY = "审阅党员提交的心得体会"
