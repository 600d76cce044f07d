"""Chinese texts after dispatch: reminders, completion, 人数, 评单 and 讲师报名."""

from __future__ import annotations

RATE_SUMMARY = "为已完成的宣讲评分（评单 订单号 分数 评语）"
ATTENDANCE_SUMMARY = "填报宣讲实际参加人数（人数 订单号 数字）"
APPLY_SUMMARY = "报名成为红色讲师"

# Reminders, the day before (from the cron tick)
PLACE_OFFLINE = "地点：{place}"
PLACE_LIVE = "红色直播间：{place}"
REMIND_LECTURER = (
    "【宣讲提醒】您有一场宣讲即将开始：\n"
    "{topic}（{number}）\n"
    "时间：{time}\n"
    "{place}\n"
    "点单单位：{organization}，联系人：{contact}\n"
    "发送“签到码 {number}”可获取签到码和可打印的签到二维码。"
)
REMIND_CONTACT = (
    "【宣讲提醒】贵单位点单的宣讲即将开始：\n"
    "{topic}（{number}）\n"
    "时间：{time}\n"
    "{place}\n"
    "讲师：{lecturer}\n"
    "签到码：{code}（请转告参加人员）\n"
    "发送“签到码 {number}”可获取可打印的签到二维码；没有手机的党员可“代签 {code} 姓名”。"
)

# After the end time
ASK_ATTENDANCE = (
    "{topic}（{number}）已结束，辛苦了！\n"
    "请回复：人数 订单号 数字，例如“人数 {number} {example}”"
)
ASK_RATING = (
    "{topic}（{number}）已结束，感谢参加。\n"
    "请为本次宣讲评分：回复“评单 {number} 5 讲得很好”（1到5分，评语可不写）"
)

# 人数
ATTENDANCE_USAGE = "请按“人数 订单号 数字”填报，例如“人数 DD-2026-0042 38”。"
ATTENDANCE_SAVED = "已记录 {number} 实际参加人数：{count}人。"
ATTENDANCE_UPDATED = "已将 {number} 实际参加人数由{previous}人改为{count}人。"
ATTENDANCE_CHECKED_IN = "\n（这是讲师填报的现场人数；签到记录{present}人，参学统计以签到为准。）"

# 评单
RATE_USAGE = "请按“评单 订单号 分数 评语”评分，例如“评单 DD-2026-0042 5 讲得很好”。"
ASK_SCORE = "为{topic}（{number}）评分：请回复1到5之间的数字，5分最高。"
ASK_COMMENT = "{score}分，已记下。还想说点什么吗？直接回复评语；不写请回复“无”。"
NO_COMMENT_WORDS = ("无", "没有", "不写", "跳过", "不用了", "没有了")
RATED = "已评价 {number}：{score}分{comment}。感谢您的反馈！"
RATED_COMMENT = "，评语“{comment}”"

# Refusals of 人数 and 评单, by reason
ERRORS = {
    "unknown_order": "没有找到订单“{number}”，请核对订单号（例如 DD-2026-0042）。",
    "not_your_order": "订单 {number} 不是贵单位的点单，无法评单。",
    "not_your_lecture": "订单 {number} 的宣讲不是由您主讲，无法填报人数。",
    "no_lecture": "订单 {number} 还没有确定的宣讲，无法填报人数。",
    "not_completed": "订单 {number} 当前状态为{status}，宣讲结束后才能评单。",
    "already_rated": "订单 {number} 已评价过，感谢您的反馈。",
    "not_started": "订单 {number} 的宣讲尚未开始（{time}），开始后才能填报人数。",
    "score_not_number": "评分请用1到5之间的整数，例如“5”或“5分”。",
    "score_range": "评分须在1到5分之间，您填的是{value}。",
    "comment_too_long": "评语请不超过{limit}字。",
    "count_not_number": "人数请填整数，例如“38”。",
    "count_range": "人数须在1到{limit}之间，您填的是{value}。",
}

# 讲师报名
ALREADY_LECTURER = "您已是红色讲师，无需报名。"
ALREADY_APPLIED = "您已提交讲师报名（第{batch}批，{date}），请等待审核结果。"
APPLY_CLOSED = "讲师报名暂未开放。党委开放下一批报名时会另行通知，届时再发送“讲师报名”即可。"
APPLY_CLOSED_SINCE = (
    "{name}已于{date}截止，暂未开放新一批报名。党委开放下一批报名时会另行通知，"
    "届时再发送“讲师报名”即可。"
)
ROUND_NAME = "第{batch}批红色讲师报名"  # a round's name unless the admin types another
ASK_SPECIALTIES = (
    "欢迎报名第{batch}批红色讲师！\n"
    "请说说您擅长的宣讲方向，例如“党史、理论”。（发送“取消”可退出）"
)
ASK_EXPERIENCE = "请简要介绍您的宣讲或授课经历（至少{min_chars}字）。"
ASK_SAMPLE_TOPIC = "请给出一个您能讲的示范题目，例如“新时代的红色精神”。"
APPLY_CONFIRM = (
    "请确认讲师报名（第{batch}批）：\n"
    "擅长方向：{specialties}\n"
    "经历：{experience}\n"
    "示范题目：{topic}\n"
    "回复“确认”提交，“取消”放弃。"
)
APPLY_CONFIRM_AGAIN = "请回复“确认”提交报名，或“取消”放弃。"
APPLY_EMPTY = "请用文字回复。发送“取消”退出报名。"
APPLY_TOO_LONG = "请不超过{limit}字，精简一下再发。"
APPLY_TOO_SHORT = "请多写几句（至少{min_chars}字）。"
APPLY_SUBMITTED = "已提交讲师报名（第{batch}批），审核后会通知您。"
APPLY_ADMIN_NOTICE = (
    "【讲师报名】{name}（{userid}，{organization}）报名第{batch}批红色讲师\n"
    "擅长方向：{specialties}\n"
    "示范题目：{topic}\n"
    "报名编号 {id}，请在管理后台“讲师报名”页审核（或命令 lectures approve / decline）。"
)
NO_ORGANIZATION = "未分配党组织"
APPLY_APPROVED = "您的讲师报名已通过，欢迎成为第{batch}批红色讲师！擅长方向：{specialties}。"
APPLY_DECLINED = "很遗憾，您的讲师报名（第{batch}批）未通过。原因：{reason}"
