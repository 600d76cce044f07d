"""Chinese texts of the participation rules (积分规则): the console page and its refusals."""

from __future__ import annotations

PAGE_TITLE = "积分与学时规则"
HINT = ("每类参学的单次学时、单次积分、每日积分上限和每日学时上限。新规则从生效日期"
        "（北京时间当天零点）起计入，此前已记入的学时和积分不变。未设置的按系统默认。")
KIND = "类别"
HOURS = "单次学时"
POINTS = "单次积分"
DAILY_POINTS = "每日积分上限"
DAILY_HOURS = "每日学时上限"
STARTS_ON = "生效日期"
IN_FORCE = "今日执行"
SOURCE = "来源"
SOURCE_DEFAULT = "系统默认"
SOURCE_RULE = "{day}起"
UPCOMING = "待生效的规则"
UPCOMING_NONE = "没有待生效的规则。"
NEW_RULE = "设置新规则"
NEW_RULE_HINT = "填写生效日期（今天或以后）和四项数值；同一类别同一天再次保存会覆盖该天的规则。"
SAVE = "保存"
DELETE = "删除"
SAVED = ("已保存：{kind}自{day}起单次{hours}学时、{points}分，"
         "每日最多{daily_points}分、{daily_hours}学时。")
UNCHANGED = "规则没有变化：{kind}自{day}起的规则与填写的一致。"
DELETED = "已删除{kind}自{day}起的规则。"

ERRORS = {
    "unknown_kind": "没有“{kind}”这一参学类别。",
    "bad_day": "生效日期格式应为“2026-12-20”。",
    "past_day": "生效日期不能早于今天（{today}）：已记入的学时和积分不会重算。",
    "bad_hours": "“{name}”须是0到{most:g}之间的数。",
    "bad_points": "“{name}”须是0到{most}之间的整数。",
    "not_found": "没有这条规则。",
    "started": "这条规则已经生效（{day}起），不能删除；如需调整请设置一条新规则。",
}
