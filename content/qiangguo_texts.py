"""学习强国 self-reports in chat: the member's report, the contact's summary, the reminder."""

from __future__ import annotations

REPORT_SUMMARY = "报送本周学习强国积分，如“强国积分 1234”，或发送截图"
SUMMARY_SUMMARY = "查看本党组织党员本周学习强国积分报送情况"

# Words that may start a report (the first also names the command in help).
REPORT_WORDS = ("强国积分", "强国")

ASK = ("请回复本周学习强国积分（只写数字，如 1234），或直接发送积分页面的截图。\n"
       "发送“取消”退出。")
ASK_AGAIN = "请回复积分数字（如 1234），或发送截图。发送“取消”退出。"

NOT_A_NUMBER = "“{text}”不是积分数字。请只写数字，如“强国积分 1234”。"
NEGATIVE = "积分不能是负数，“{text}”不对。请写本周的积分总数，如“强国积分 1234”。"
TOO_BIG = "积分“{text}”太大了（最多{limit}分），请核对后重新报送，如“强国积分 1234”。"

SAVED = "已记录：本周（{week}）学习强国积分 {score} 分。谢谢！"
REPLACED = "已更新：本周（{week}）学习强国积分由 {old} 分改为 {score} 分（每周只记最后一次报送）。"
SCREENSHOT_SAVED = "截图已收到，已记为本周（{week}）的学习强国报送。谢谢！"
SCREENSHOT_REPLACED = "新截图已收到，已替换本周（{week}）之前的截图。谢谢！"
SCREENSHOT_FIRST_HINT = "如方便，也可回复“强国积分 数字”补报分数。"

WEEK = "{start}—{end}"
WEEK_DAY = "{month}月{day}日"

# The contact's summary (强国汇总).
NO_ORGANIZATION = "您还没有负责的党组织，无法查看报送情况。"
ORG_SUMMARY = "{org} 本周（{week}）学习强国报送：{reported}/{members}人"
ORG_REPORT_LINE = "· {name}：{score}"
SCORE = "{score}分"
SCORE_WITH_SCREENSHOT = "{score}分（有截图）"
SCREENSHOT_ONLY = "截图（未报分数）"
ORG_MISSING = "未报送（{count}人）：{names}"
ORG_NONE_MISSING = "全部已报送。"
ORG_NO_MEMBERS = "{org} 暂无在册党员。"
NAME_JOINER = "、"

OVERVIEW = "全党委本周（{week}）学习强国报送：{reported}/{members}人\n{lines}"
OVERVIEW_LINE = "· {org}：{reported}/{members}"
OVERVIEW_HINT = "\n发送“强国汇总 党组织名称”查看某个党组织的明细。"
OVERVIEW_EMPTY = "暂无在册党员。"
UNKNOWN_ORG = "找不到党组织“{name}”，请写完整名称。"
NOT_YOUR_ORG = "您只能查看自己负责的党组织：{orgs}。"
ORG_JOINER = "、"

# The weekly reminder.
# One message to many members, so it names nobody.
REMINDER = ("您好！本周（{week}）的学习强国积分还没有报送。\n"
            "回复“强国积分 数字”（如“强国积分 1234”），或回复“强国积分”后发送截图即可。")
