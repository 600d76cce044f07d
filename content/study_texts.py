"""Chinese texts of the study feature (学习, 专题, 搜索, 我的学习, pushes)."""

from __future__ import annotations

READ_BUTTON = "阅读"

KIND_NAMES = {
    "article": "文章",
    "book_chapter": "学习用书",
    "speech": "讲话",
    "micro_lesson": "微党课",
    "film": "教育片",
    "live_replay": "直播回放",
}

NO_MATERIALS = "学习材料库暂时是空的，请稍后再来。"
TODAY_DESCRIPTION = "今日学习 · {kind} · 约{minutes}分钟\n{summary}"
NEWEST_DESCRIPTION = "{kind} · 约{minutes}分钟"
# 今日学习 for one member: what a running campaign asks of them first, what they read last.
TODAY_TAGGED = "今日学习 · {tag}{kind} · 约{minutes}分钟\n{summary}"
NEWEST_TAGGED = "{tag}{kind} · 约{minutes}分钟"
REQUIRED_TAG = "「{campaign}」必学 · "
READ_TAG = "已读 · "

SERIES_NONE = "目前还没有专题。发送“学习”看看最新的学习材料。"
SERIES_LIST = "学习专题（回复编号查看下一篇未读）：\n{lines}"
SERIES_LINE = "{number}.{title}共{total}篇，已读{read}篇"
SERIES_ASK_AGAIN = "请回复专题编号，例如“1”。发送“取消”退出。"
SERIES_OUT_OF_RANGE = "没有第{number}个专题，请回复1到{count}之间的编号。"
SERIES_ALL_READ = "{title}专题的{total}篇您都已读过，真棒！发送“专题”看看其他专题。"

SEARCH_EMPTY = "请在“搜索”后面加上关键词，例如：搜索 党史"
SEARCH_NONE = "没有找到和“{words}”有关的学习材料。可以看看这些专题：{series}"
SEARCH_NONE_NO_SERIES = "没有找到和“{words}”有关的学习材料。发送“学习”看看最新的材料。"

MY_STUDY = (
    "我的学习\n"
    "本月：阅读{month_reads}篇，读完{month_done}篇，学习{month_minutes}分钟\n"
    "今年：阅读{year_reads}篇，读完{year_done}篇，学习{year_minutes}分钟"
)
MY_STUDY_CAMPAIGN = "「{campaign}」还有{count}篇未读：{titles}"
MY_STUDY_CAMPAIGN_MORE = "等"  # after the first titles when there are more
MY_STUDY_CAMPAIGN_DONE = "「{campaign}」的学习材料您都读过了。"
# 我的学习's reading record, a page at a time ("我的学习 2"), the most recently opened first.
MY_READS_HEAD = "阅读记录（共{total}篇，按最近阅读时间）："
MY_READS_PAGE_HEAD = "阅读记录第{page}/{pages}页（共{total}篇，按最近阅读时间）："
MY_READS_LINE = "· {time}{title}{done}"
MY_READS_DONE = "（读完）"
MY_READS_MORE = "还有{rest}篇，发送“我的学习 {next}”查看下一页。"
MY_READS_NONE = "还没有阅读记录。发送“学习”开始今天的学习。"
MY_READS_NO_PAGE = "没有第{page}页，阅读记录共{pages}页。发送“我的学习”从第1页看起。"
MY_READS_PAGE_USAGE = "请发送“我的学习”，或加页码查看更多阅读记录，例如“我的学习 2”。"
TITLE_CUT = "…"

STUDY_SUMMARY = "今日学习和最新材料"
SERIES_SUMMARY = "按专题学习"
SEARCH_SUMMARY = "搜索学习材料，例如“搜索 党史”"
MY_STUDY_SUMMARY = "查看我本月、今年的学习情况和阅读记录"
