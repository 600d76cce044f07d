"""Chinese texts of ordering lectures (点单, 我的点单, 取消点单)."""

from __future__ import annotations

ORDER_SUMMARY = "向党委点单，预约红色讲师宣讲"
MINE_SUMMARY = "查看本组织的点单和进度"
CANCEL_SUMMARY = "取消尚未确认的点单，例如“取消点单 DD-2026-0042”"

NO_ORGANIZATION = "您还不是任何党组织的书记/联络员，暂时不能点单。如有疑问请联系党委。"
NO_TOPICS = "宣讲菜单暂未发布，请稍后再试或联系党委。"

CHOOSE_ORG = "您是多个党组织的书记/联络员，为哪个党组织点单？回复编号或名称：\n{lines}"

MENU = "宣讲菜单：\n{lines}\n回复编号选择，“详情 2”查看介绍。发送“取消”退出。"
MENU_LINE = "{number}.{title}({category})"
TOPIC_ASK_AGAIN = "请回复专题编号，例如“1”；查看介绍请发“详情 1”。发送“取消”退出。"
TOPIC_OUT_OF_RANGE = "没有第{number}项，请回复1到{count}之间的编号。"
TOPIC_GONE = "这个专题已下架，请选择其他专题。"
DETAIL = (
    "{title}({category})\n{summary}\n时长约{minutes}分钟，{modes}。\n"
    "回复“{number}”选择这个专题。"
)
MODE_NAMES = {"offline": "线下", "live": "线上直播"}
MODES_JOIN = "或"

ASK_SLOTS = (
    "已选{title}。希望什么时间？可以给1到3个时间，例如“{example}”或“下周三上午”，"
    "多个时间用逗号或“或者”隔开。"
)
SLOTS_ASK_AGAIN = "请再发一次希望的时间（1到3个），例如“{example}”或“下周三上午”。"
SLOT_PROBLEMS = {
    "unparsed": "“{text}”没有看懂",
    "past": "“{text}”已经过去了",
    "too_soon": "“{text}”太近了，至少提前{min_days}天",
    "hours": "“{text}”不在宣讲时间内（{start}到{end}之间开始）",
}
SLOTS_PROBLEM_JOIN = "；"
SLOTS_SKIPPED = "（{problems}，未采用）"
SLOTS_ECHO = "时间候选：{slots}"
SLOTS_JOIN = "、"
ASK_AUDIENCE = "预计多少人参加？"

AUDIENCE_NOT_NUMBER = "请回复预计参加人数，例如“40”或“40人”。"
AUDIENCE_ZERO = "参加人数至少1人，请回复预计参加人数，例如“40”。"
AUDIENCE_TOO_MANY = "单场宣讲最多{max}人，请回复预计参加人数；人数更多请分场点单或联系党委。"

ASK_MODE = "线下还是线上直播？线上直播请回复“线上”，线下请发地址，例如“线下，XX路XX号三楼会议室”。"
ASK_ADDRESS = "这个专题只提供线下宣讲，请发送宣讲地址，例如“XX路XX号三楼会议室”。"
LIVE_ONLY = "这个专题只提供线上直播。"
MODE_PROBLEMS = {
    "live_not_offered": "这个专题只提供线下宣讲，不能线上直播。请发送宣讲地址。",
    "offline_not_offered": "这个专题只提供线上直播。",
    "address_missing": "线下宣讲请发地址，例如“线下，XX路XX号三楼会议室”。",
    "address_short": "地址“{address}”太短了，请写清楚到楼层或会议室，例如“XX路XX号三楼会议室”。",
    "address_long": "地址太长了，请控制在{max}字以内。",
}
LIVE_WORDS = ("线上", "直播", "在线", "网上", "云上")
OFFLINE_WORDS = ("线下", "现场")

CONFIRM = (
    "确认点单：{title}\n党组织：{org}\n时间候选：{slots}\n人数：{audience}人\n方式：{mode}\n"
    "回复“确认”提交，“取消”放弃。"
)
MODE_OFFLINE = "线下 {address}"
MODE_LIVE = "线上直播"
CONFIRM_WORDS = ("确认", "确认提交", "提交", "确定")
CONFIRM_ASK_AGAIN = "请回复“确认”提交点单，或“取消”放弃。"
NO_LONGER_CONTACT = "您已不是{org}的书记/联络员，不能为其点单。"
SUBMITTED = "已提交点单 {number}，派单后通知您。发送“我的点单”查看进度。"
ADMIN_NEW_ORDER = (
    "新点单 {number}：{org}点{title}，{audience}人，{mode}。\n时间候选：{slots}\n"
    "联系人：{contact}。发送“待派单”处理。"
)

MINE_NONE = "本组织还没有点单。发送“点单”查看宣讲菜单。"
MINE_HEAD = "最近的点单（{count}个）："
MINE_LINE = "· {number}{title}{status}"
MINE_ORG = "（{org}）"
MINE_LECTURE = "，讲师{lecturer}，{time}"
MINE_REASON = "，理由：{reason}"
MINE_FOOT = "未确认的点单可发送“取消点单 编号”取消。"

CANCEL_USAGE = "请在“取消点单”后面加上点单编号，例如：取消点单 DD-2026-0042"
CANCEL_NOT_FOUND = "没有找到本组织的点单 {number}。发送“我的点单”查看编号。"
CANCEL_CONFIRMED = "点单 {number} 讲师已确认，如需取消请联系党委。"
CANCEL_ALREADY = "点单 {number} 已经取消了。"
CANCEL_NOT_ALLOWED = "点单 {number} 当前状态为{status}，不能取消。"
CANCELLED = "已取消点单 {number}（{title}）。"
ADMIN_CANCELLED = "点单 {number}（{org}{title}）已由{contact}取消。"
LECTURER_CANCELLED = "您受派的宣讲{title}（{time}，点单 {number}）已由{org}取消，无需前往。"

# The one definition of a lecture held (lectures.stats.held), shown beside every held figure:
# the 讲师 pages, 我的宣讲, `lectures stats` and the annual report.
HELD_RULE = ("已宣讲：有点单的宣讲，点单已完成或已评价即计为已宣讲；"
             "党委安排、没有点单的宣讲，开始后有党员签到即计为已宣讲。")
