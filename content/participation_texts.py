"""Chinese texts of points, ranks and campaign progress (我的积分, 排行榜, 冬训进度)."""

from __future__ import annotations

MY_POINTS_SUMMARY = "查看我的积分、学时和排名"
LEADERBOARD_SUMMARY = "查看本支部和全党委的积分排行"
RULES_SUMMARY = "查看各项学习的积分、学时和每日上限"
PROGRESS_SUMMARY = "查看冬训等学习活动的完成进度"

KIND_NAMES = {
    "material_read": "阅读",
    "material_completed": "读完",
    "reflection": "心得",
    "lecture": "宣讲签到",
    "live": "直播",
    "meeting": "三会一课",
    "campaign_item": "活动",
    "qiangguo": "学习强国",
    "quiz": "答题",
    "screening": "教育片观看",
    "training": "培训班",
    "visit": "政治生活馆参访",
}

# 我的积分
MY_POINTS = (
    "我的积分（{year}年）\n"
    "积分：{points}分，参学{count}次\n"
    "学时：{hours}/{norm}学时，{hours_state}\n"
    "{ranks}\n"
    "{month}\n"
    "发送“积分规则”查看各项积分、学时和每日上限。"
)
HOURS_LEFT = "还差{left}学时"
HOURS_REACHED = "已达到年度要求"
RANKS = "排名：{org}第{org_rank}名（共{org_ranked}人），全党委第{rank}名（共{ranked}人）"
RANKS_NO_ORG = "排名：全党委第{rank}名（共{ranked}人）"
NOT_RANKED = "排名：只有在册党员参加排名。"
NO_RANK_YET = "排名：暂无排名，完成一次学习即可上榜"
MONTH = "本月积分：{parts}"
MONTH_PART = "{kind}{points}"
MONTH_JOIN = "，"
MONTH_NONE = "本月还没有积分。发送“学习”开始今天的学习。"

# 积分规则 (the rules in force today: participation/rules.py)
RULES_HEAD = "积分规则（今日执行）："
RULES_LINE = "· {kind}：每次{points}分，每日最多{daily_points}分{hours}"
RULES_HOURS = "；{hours}学时，每日最多{daily_hours}学时"
RULES_READING = ("阅读材料：在阅读页停留满{read}秒才记阅读积分；读完材料：须停留满材料时长的"
                 "{share}（至少{least}分钟），学时按实际阅读时长计。")

# 排行榜
BOARD_HEAD = "{scope}积分榜（{year}年前{limit}名）："
BOARD_COMMITTEE = "全党委"
BOARD_LINE = "{rank}. {name} {points}分 {hours}学时"
BOARD_LINE_ORG = "{rank}. {name}（{org}）{points}分"
BOARD_EMPTY = "{scope}今年还没有人获得积分。"
BOARD_YOU = "您：第{rank}名，{points}分"
BOARD_YOU_UNRANKED = "您：暂无排名，完成一次学习即可上榜"
BOARD_GAP = "\n"

# 冬训进度
PROGRESS_NONE = "目前没有正在进行的学习活动。"
PROGRESS_NOT_IN = "目前没有您需要参加的学习活动（「{name}」不面向您所在的党组织）。"
PROGRESS_HEAD = "「{name}」（{starts}—{ends}）我的进度：{status}"
PROGRESS_NO_ITEMS = "这次活动还没有设定学习要求，请留意通知。"
ITEM_MATERIAL = "读完：{title}"
ITEM_LECTURE = "参加宣讲：{title}"
ITEM_REFLECTIONS = "提交心得{need}篇（已交{have}篇）"
ITEM_LINE = "{mark} {text}"
MARK_DONE = "✔"
MARK_OPEN = "○"
HOURS_LINE = "{mark} 活动期间学时{hours}/{need}"
STATUS_NAMES = {"done": "已全部完成", "in_progress": "进行中", "not_started": "未开始"}
AWARDED = "恭喜完成全部学习要求，已记入参学积分！"
PROGRESS_HINTS = "发送“学习”读材料，“写心得”交心得。"

ORG_HEAD = "{org}：{members}人，完成{done}人，进行中{in_progress}人，未开始{not_started}人"
ORG_NOT_STARTED = "未开始：{names}"
ORG_NOT_STARTED_MORE = "{names}等{count}人"
NAME_JOIN = "、"
NO_ORGANIZATION = "未分配党组织"

ADMIN_HEAD = ("全党委（{orgs}个党组织）：{members}人，完成{done}人（{rate}），"
              "进行中{in_progress}人，未开始{not_started}人")
ADMIN_LOWEST = "完成率最低的{count}个党组织："
ADMIN_LINE = "{name} {rate}（{done}/{members}）"
SECTION_GAP = "\n"
