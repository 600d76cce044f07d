"""Chinese texts of 考核: the scorecard's measures, the advice on a card, the chat card, errors."""

from __future__ import annotations

MEASURE_NAMES = {
    "participation": "参学率",
    "meetings": "三会一课完成度",
    "reflections": "人均心得",
    "lectures": "点单宣讲",
    "ratings": "评单均分",
    "attendance": "签到出勤率",
    "quiz": "答题参与率",
    "qiangguo": "学习强国自报率",
    "books": "学习用书签收率",
}
# How each measure is counted (shown beside it in the console and the export).
MEASURE_RULES = {
    "participation": "本季度有参学记录的党员 ÷ 党员数",
    "meetings": "本季度已开的规定会议次数（每类最多计规定次数）÷ 规定次数",
    "reflections": "本季度提交的心得篇数 ÷ 党员数",
    "lectures": "本季度通过点单举办并完成的宣讲场次",
    "ratings": "本季度宣讲的评单平均分（1–5分），无评单不计",
    "attendance": "设签到的组织生活会签到人次 ÷（党员数 × 会议次数），无签到会议不计",
    "quiz": "本季度答过题的党员 ÷ 党员数",
    "qiangguo": "本季度报过学习强国积分的党员 ÷ 党员数",
    "books": "截至季末已确认签收的学习用书 ÷ 已发放的学习用书，无发放不计",
}
PERCENT_MEASURES = frozenset({"participation", "meetings", "attendance", "quiz", "qiangguo",
                              "books"})
# What would raise a measure below target: {needed} more counted items reach the target.
RAISE = {
    "participation": "再有{needed}名党员参学即可达标",
    "meetings": "再开{needed}次规定会议即可达标",
    "reflections": "再交{needed}篇心得即可达标",
    "lectures": "再点单举办{needed}场宣讲即可达标",
    "ratings": "评单均分低于目标，可与讲师沟通改进",
    "attendance": "再有{needed}人次签到即可达标",
    "quiz": "再有{needed}名党员答题即可达标",
    "qiangguo": "再有{needed}名党员报学习强国积分即可达标",
    "books": "还有{needed}批学习用书未确认签收，请在对话中点“确认收到”",
}
NOT_APPLICABLE = "本季度不适用"
QUARTER = "{year}年第{quarter}季度"

# The chat card (书记/联络员: 考核).
SUMMARY = "查看本支部本季度考核得分和排名（考核，或 考核 2026-Q3）"
USAGE = "请发送“考核”查看本季度，或“考核 2026-Q3”查看某一季度。"
NOT_CONTACT = "考核得分仅对党组织书记/联络员开放。"
HEAD = "{organization} {quarter}考核：{total}分，第{rank}名（共{count}个党组织）"
LINE = "· {name}：{value}（目标{target}，得{score:g}/{weight:g}分）"
LINE_NA = "· {name}：" + NOT_APPLICABLE
LOWERING_HEAD = "失分最多的方面："
LOWERING = "· {name}：{advice}"
ALL_MET = "各项均已达标，请继续保持。"
NO_CARD = "{organization}在{quarter}没有在册党员，暂无考核得分。"
TREND = "近四个季度：{values}"

ERRORS = {
    "unknown_measure": "没有“{measure}”这一考核指标。",
    "bad_target": "“{name}”的目标值须大于0。",
    "bad_rating_target": "评单均分的目标须在0到5分之间。",
    "bad_weight": "“{name}”的权重须在0到{most:g}之间。",
    "bad_quarter": "季度格式应为“2026-Q3”。",
    "future_quarter": "{quarter}还没有开始。",
}

# The console and the export.
PAGE_TITLE = "党组织考核"
CARD_TITLE = "{organization} · {quarter}考核"
RULES_TITLE = "考核指标与权重"
EXPORT_SHEET = "考核得分"
EXPORT_RULES_SHEET = "指标说明"
EXPORT_HEAD = ("名次", "党组织", "类型", "党员数", "总分")
EXPORT_RULES_HEAD = ("指标", "计算方法", "目标", "权重", "是否自定义")
RULE_SAVED = "已保存“{name}”的目标和权重。"
RULE_RESET = "“{name}”已恢复默认目标和权重。"
QUARTER_LABEL = "季度"
SHOW = "查看"
EXPORT = "导出Excel"
BACK = "返回考核排名"
PAGE_HINT = ("每项指标得分 = min(实际值 ÷ 目标, 1) × 权重；"
             "总分 = 各适用指标得分之和 ÷ 适用指标权重之和 × 100。"
             "本季度不适用的指标不计入。点击党组织查看失分原因。")
PAGE_HINT_CONTACT = "这里只显示您所在党组织的考核得分和名次。点击党组织查看失分原因和改进办法。"
RANK = "名次"
RANK_OF = "第{rank}名/共{count}"
ORG = "党组织"
MEMBERS = "党员数"
TOTAL = "总分"
NO_ROWS = "本季度没有可考核的党组织。"
CHART_TITLE = "各党组织总分"
TREND_TITLE = "近四个季度总分"
LOWERING_TITLE = "哪些方面在失分、怎样提高"
CARD_LOWERING = "{name}：{advice}"  # one item of the card's list (the chat's LOWERING has its "· ")
LOST = "失{points}分"
MEASURE = "指标"
VALUE = "实际值"
TARGET = "目标"
SCORE = "得分/权重"
RULE = "计算方法"
WEIGHT = "权重"
DEFAULT = "默认目标/权重"
SAVE = "保存"
RESET = "恢复默认"
RULES_HINT = ("目标是拿满该项权重所需的实际值；权重为0的指标不计分。"
              "修改会记入操作日志，并立即用于所有季度的计算。")
