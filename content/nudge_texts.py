"""Chinese texts of participation rates (参学率, 未参学名单) and of the weekly nudges."""

from __future__ import annotations

KIND_NAMES = {"foreign": "外资企业", "private": "民营企业", "state": "国有企业", "other": "其他"}

RATES_SUMMARY = "本月和今年的参学率（管理员看全委，联络员看本组织）"
NON_PARTICIPANTS_SUMMARY = "本月还没有参学的党员"

MONTH = "{year}年{month}月"
DAY = "{month}月{day}日"
RATE = "{participating}/{members}人，{percent}%"
COMMITTEE_HEAD = "全委参学率（至少参学一次的在册党员/在册党员）"
COMMITTEE_MONTH = "本月（{month}）：{rate}"
COMMITTEE_YEAR = "今年（{year}年）：{rate}"
BY_KIND_HEAD = "本月按企业类型："
BY_KIND_LINE = "· {kind}：{rate}"
LOWEST_HEAD = "本月参学率最低的{count}个组织："
LOWEST_LINE = "· {name}：{rate}"
NO_MEMBERS = "还没有在册的党员，暂无参学率。"

ORG_HEAD = "{name} 参学率"
ORG_MONTH = "本月（{month}）：{rate}"
ORG_YEAR = "今年（{year}年）：{rate}"
ORG_IDLE = "本月尚未参学{count}人：{names}"
ORG_ALL_DONE = "本月全部党员都已参学，真棒！"
NAMES_JOIN = "、"
NAMES_MORE = "……等{count}人"
NO_ORGANIZATION = "您还没有负责的党组织，请联系管理员。"
LIST_HEAD = "{name} 本月（{month}）尚未参学{count}人："
LIST_FOOT = "可以提醒他们发送“学习”看看今天的学习材料。"

# The weekly reminder to an idle member: one card, one tap back to today's material.
NUDGE_TITLE = "好久不见，今天学一点？"
NUDGE_DESCRIPTION = ("您已有{days}天没有参学了。今天推荐：{title}（{kind}，约{minutes}分钟），"
                     "点开就能学。")
NUDGE_BUTTON = "去学习"
NUDGE_TEXT = "您已有{days}天没有参学了。发送“学习”看看今天的学习材料，几分钟就好。"

# The weekly digest to a contact.
DIGEST_HEAD = "本周参学提醒（{month}，截至{day}）"
DIGEST_ORG = "{name}：本月参学{rate}，尚未参学{count}人：{names}"
DIGEST_FOOT = "可以提醒他们发送“学习”参学。发送“参学率”随时查看。"

# An admin's reminder to a campaign's members who have not done everything (at most weekly).
CAMPAIGN_NUDGE = ("「{name}」将于{month}月{day}日结束，您还有学习要求没有完成。"
                  "发送“冬训进度”查看还差哪些，发送“学习”读材料、“写心得”交心得。")
