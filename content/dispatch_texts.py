"""Chinese texts of dispatching lecture orders (待派单, 派 / 驳回) and answering (接单 / 拒单)."""

from __future__ import annotations

DISPATCH_SUMMARY = "查看待派的宣讲点单，派给讲师或驳回"
ACCEPT_SUMMARY = "接受派给您的宣讲：接单 编号"
DECLINE_SUMMARY = "拒绝派给您的宣讲：拒单 编号 理由"

# -- the admin's view of one pending order --------------------------------------------
NONE_PENDING = "没有待派单的点单。"
SHOW = (
    "待派单 {number}（还有{waiting}单待派）\n"
    "单位：{organization}\n"
    "联系人：{contact}\n"
    "主题：{topic}（{minutes}分钟）\n"
    "人数：{audience}人\n"
    "形式：{mode}"
)
SHOW_NOTE = "\n备注：{note}"
SHOW_DECLINED = "\n上次拒单理由：{reason}"
SHOW_SLOT = "\n时间{index}：{time}"
SHOW_LECTURER = "\n  讲师{index} {name}（{state}）"
SHOW_NO_LECTURERS = "\n该主题暂无可派的讲师，只能驳回或跳过。"
FREE = "空闲"
BUSY = "时间冲突：{time} 已有宣讲"
SHOW_HOW = ("\n回复“派 讲师序号 时间序号”派单（例如：{example}），"
            "“驳回 理由”驳回，“下一个”跳过，“取消”退出。")
MODE_OFFLINE = "线下，{address}"
MODE_LIVE = "线上直播"
MODE_LIVE_AT = "线上直播，{address}"
LIVE_PLACE = "线上直播"
NO_ORGANIZATION = "未知单位"

# -- the admin's answers --------------------------------------------------------------
DISPATCH_WORD = "派"
REJECT_WORD = "驳回"
SKIP_WORDS = ("下一个", "跳过")
ASK_CHOICE = "请回复“派 讲师序号 时间序号”（例如：派 1 2）、“驳回 理由”或“下一个”。发送“取消”退出。"
ASK_SLOT = "这单有{count}个候选时间，请写明时间序号，例如：派 {lecturer} 1"
BAD_LECTURER = "没有讲师{index}，请从1到{count}中选择。"
BAD_SLOT = "没有时间{index}，请从1到{count}中选择。"
BUSY_REFUSED = ("{name}在时间{index}没有空：{time} 已有宣讲{topic}（前后留{buffer}分钟路程）。"
                "请换一位讲师或时间。")
PAST_SLOT = "时间{index}（{time}）已经过去，不能派单。请选择其他时间或驳回。"
NOT_LECTURER = "{name}已不是在册讲师，请选择其他讲师。"
ASK_REJECT_REASON = "驳回需要写明理由，例如：驳回 该时段讲师均已排满。"
GONE = "点单 {number} 已不在待派状态（{status}），看下一单。\n"
DISPATCHED = "已将 {number} 派给{name}（{time}），等讲师接单。\n"
REJECTED = "已驳回 {number}，已通知联系人。\n"

# -- notices --------------------------------------------------------------------------
CARD_SOURCE = "宣讲派单"
CARD_TITLE = "新的宣讲派单"
CARD_SUB = "{topic}\n单位：{organization}\n点单编号：{number}"
CARD_TIME = "时间"
CARD_PLACE = "地点"
CARD_AUDIENCE = "人数"
CARD_AUDIENCE_VALUE = "{audience}人"
ACCEPT_BUTTON = "接单"
DECLINE_BUTTON = "拒单"
LECTURER_NOTICE = (
    "您有一条新的宣讲派单 {number}：{topic}\n"
    "时间：{time}（{minutes}分钟）\n地点：{place}\n单位：{organization}，约{audience}人{note}\n"
    "回复“接单 {id}”接受，或“拒单 {id} 理由”拒绝。"
)
LECTURER_NOTICE_NOTE = "\n备注：{note}"
CONTACT_REJECTED = "您的点单 {number}（{topic}）未能安排：{reason}。如有需要，可以重新点单。"
CONTACT_CONFIRMED = (
    "您的点单 {number} 已确认！\n{topic}\n时间：{time}\n地点：{place}\n讲师：{lecturer}\n"
    "签到码：{code}（宣讲时请参加人员发送签到码签到）"
)
ADMINS_DECLINED = (
    "讲师{lecturer}拒绝了点单 {number}（{topic}，{time}）：{reason}\n"
    "该单已退回待派，回复“待派单”重新派单。"
)

# -- the lecturer's answers -----------------------------------------------------------
ACCEPT_WORD = "接单"
DECLINE_WORD = "拒单"
ACCEPT_USAGE = "请写明点单编号，例如：接单 42 或 接单 DD-2026-0042"
DECLINE_USAGE = "请写明点单编号和理由，例如：拒单 42 当天已有安排"
NOT_FOUND = "没有找到点单 {number}，请检查编号。"
NOT_YOURS = "这不是派给您的宣讲。"
ALREADY_ACCEPTED = "您已接单（{number}）。"
CANNOT_DECLINE_CONFIRMED = "您已接单 {number}，不能再拒单；如有变化请联系管理员。"
CANCELLED_ORDER = "点单 {number} 已被取消，无需接单。"
NOT_DISPATCHED = "点单 {number} 当前状态为{status}，不能操作。"
STALE_CARD = "这张派单卡片已失效，请以最新的派单消息为准。"
UNKNOWN_BUTTON = "这个按钮已失效。"
ACCEPTED = (
    "已接单 {number}：{topic}\n时间：{time}\n地点：{place}\n"
    "签到码：{code}（宣讲开始时请告诉参加人员）"
)
ASK_DECLINE_REASON = "请回复拒单理由（点单 {number}），例如：当天已有安排。发送“取消”放弃拒单。"
DECLINED = "已拒单 {number}，已退回管理员重新派单。谢谢告知！"

# -- 我的宣讲 (lecturer): their own lectures and figures -----------------------------------
MY_LECTURES_SUMMARY = "查看自己受派的宣讲：时间、地点、签到码和已宣讲场次"
MY_LECTURES_NONE = "您还没有受派的宣讲。党委派单后会通知您。"
MY_LECTURES_FIGURES = "我的宣讲：已宣讲{held}场，签到{audience}人次{rating}。"
MY_LECTURES_RATING = "，平均评分{average:g}（{count}次评价）"
MY_LECTURES_UPCOMING = "即将进行（{count}场）："
MY_LECTURES_RECENT = "最近的宣讲："
MY_LECTURES_LINE = "· {number} {topic}\n  {time}，{place}，{status}"
MY_LECTURES_CODE = "，签到码 {code}"
MY_LECTURES_NO_PLACE = "地点待定"
MY_LECTURES_NO_ORDER = "党委宣讲"
MY_LECTURES_ACCEPT = "待接单的请回复“接单 编号”或“拒单 编号 理由”。"
