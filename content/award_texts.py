"""Chinese texts of 评选: the kinds of honour and the rule each candidate list stands on, the
candidates' figures, the console page, the published list's broadcast and the line in 我的积分."""

from __future__ import annotations

KIND_NAMES = {
    "excellent_branch": "优秀党支部",
    "advanced_collective": "学习先进集体",
    "study_star": "学习达人",
    "study_model": "学习标兵",
}
KIND_ORDER = ("excellent_branch", "advanced_collective", "study_star", "study_model")

# the rules (shown beside each candidate and kept on the Award row)
RULES = {
    "excellent_branch": ("优秀党支部：三会一课已结束的季度全部达标，"
                         "且全年参学率居前（相同看人均学时）"),
    "advanced_collective": "学习先进集体：全年参学率居前（相同看人均学时）",
    "study_star": "学习达人：全年积分居前（相同看学时）",
    "study_model": "学习标兵：全年优秀心得篇数居前（相同看积分）",
}

# a candidate's figures
FIGURE_MEMBER = "积分{points}分，学时{hours}/{norm}，优秀心得{featured}篇"
FIGURE_ORG = "参学率{rate}%（{participating}/{members}人），人均学时{average}"
FIGURE_BRANCH = ("三会一课达标{complete}/{quarters}个季度，"
                 "参学率{rate}%（{participating}/{members}人），人均学时{average}")

# the console page
TITLE = "{year}年度评选"
HINT = ("候选名单按年度参学报告的数据和下列规则排出；"
        "勾选后「确定」即评定（同一人或组织同一荣誉只记一次），发布前可「撤销」。「发布」把全年名单群发给全体党员，只发一次；发布后不能再改。")
YEAR = "年度"
SHOW = "查看"
PUBLICATIONS = "宣传成果"
CANDIDATES = "候选"
DECIDED_HEAD = "已评定"
NO_CANDIDATES = "没有符合规则的候选。"
NONE_DECIDED = "尚未评定。"
COL_PICK = "选择"
COL_RESULT = "结果"  # the pick column once the year is published
COL_NAME = "名称"
COL_ORG = "所在组织"
COL_FIGURE = "数据"
COL_DECIDED_BY = "评定人"
DECIDE = "确定评定"
UNDECIDE = "撤销"
PUBLISH = "发布评选结果"
PUBLISH_HINT = "发布后以群发通知全体党员，党员在「我的积分」里能看到自己的荣誉。"
PUBLISHED_AT = "已于 {at} 发布（群发 {number}）。"
PUBLISHED_NO_BROADCAST = "已于 {at} 发布。"
DECIDED_MARK = "已评定"
NOT_DECIDED_MARK = "未评定"

# after an action
DECIDED = "已评定{kind} {count} 个。"
DECIDED_NONE = "没有新的评定（所选的已评定过）。"
PICK_NONE = "请先勾选候选。"
NOT_CANDIDATE = "所选不在{kind}的候选名单中，请刷新页面后重试。"
UNDECIDED = "已撤销{kind}：{name}。"
UNKNOWN_KIND = "没有这种荣誉。"
ALREADY_PUBLISHED = "{year}年度评选已发布，不能再修改。"
NOTHING_TO_PUBLISH = "{year}年度还没有评定任何荣誉，不能发布。"
PUBLISHED = "已发布{year}年度评选结果，群发 {number} 给 {count} 人。"
PUBLISH_FAILED = "发布失败：{reason}"

# the broadcast
ANNOUNCEMENT_HEAD = "{year}年度学习评选结果"
ANNOUNCEMENT_LINE = "{kind}：{names}"
ANNOUNCEMENT_MORE = "等{count}个"
ANNOUNCEMENT_TAIL = "向获评的党组织和党员表示祝贺！发送“我的积分”可查看本人荣誉。"
NAME_JOIN = "、"

# 我的积分
HONOURS = "荣誉：{items}"
HONOUR_ITEM = "{year}年度{kind}"
HONOUR_JOIN = "、"
