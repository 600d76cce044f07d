"""Chinese texts of the hall (政治生活馆 / 阵地): slots, bookings in chat and in the console,
decisions, the visit's check-in and its visitors."""

from __future__ import annotations

NUMBER = "CG-{id:05d}"  # a booking's number (参观)
VISIT_TITLE = "{org}参访"  # the visit's activity

# -- chat commands -------------------------------------------------------------------------

BOOK_SUMMARY = "预约参观政治生活馆（预约参观）"
MINE_SUMMARY = "查看本组织的参观预约（我的预约）"
CANCEL_SUMMARY = "取消尚未参观的预约（取消预约 编号）"
BOOK_WORDS = ("预约参观", "参观预约")
MINE_WORDS = ("我的预约",)
CANCEL_WORDS = ("取消预约",)
CONFIRM_WORDS = ("确认", "确定", "是", "好", "好的")

NO_ORGANIZATION = "您不是任何党组织的书记/联络员，不能预约参观。"
CHOOSE_ORG = "您是以下党组织的书记/联络员，请回复序号或名称选择为哪个组织预约：\n{lines}"
OUT_OF_RANGE = "没有序号{number}，请回复1到{count}之间的序号。"
NO_SLOTS = "{hall}近期没有可预约的时段，请稍后再试或联系党委。"
SLOTS = ("{hall}可预约时段（{org}）：\n{lines}\n请回复序号选择时段，发送“取消”结束。")
SLOT_LINE = "{number}. {time}–{end}，剩余{free}个名额"
SLOT_ASK_AGAIN = "请回复时段前的序号，例如“1”。发送“取消”结束。"
ASK_SIZE = "已选：{time}（剩余{free}个名额）。\n请问参观人数是多少？（例如“30”或“30人”）"
SIZE_NOT_NUMBER = "请回复参观人数（一个整数），例如“30”。"
ASK_PURPOSE = "参观人数：{size}人。\n请简要说明参观目的（{limit}字以内），例如“主题党日活动”。"
CONFIRM = ("请确认预约：\n组织：{org}\n时段：{time}–{end}\n人数：{size}人\n目的：{purpose}\n"
           "回复“确认”提交预约，发送“取消”放弃。")
CONFIRM_ASK_AGAIN = "请回复“确认”提交预约，或发送“取消”放弃。"
NO_LONGER_CONTACT = "您已不是{org}的书记/联络员，预约未提交。"
SUBMITTED = ("预约已提交，编号{number}：{time}，{size}人。名额已为您保留，党委确认后会通知您；"
             "发送“我的预约”查看进度。")
SUBMITTED_AGAIN = "这条消息已提交过预约{number}，无需重复提交。"
ADMIN_NEW = "新的参观预约{number}：{org}，{time}，{size}人，联系人{contact}。目的：{purpose}"

MINE_NONE = "本组织还没有参观预约。发送“预约参观”预约。"
MINE_HEAD = "最近的参观预约（{count}条）："
MINE_LINE = "{number} {time} {size}人 【{status}】"
MINE_ORG = "（{org}）"
MINE_CODE = " 签到码{code}"
MINE_REASON = " 原因：{reason}"
MINE_FOOT = "取消尚未参观的预约：发送“取消预约 编号”。"
CANCEL_USAGE = "请发送“取消预约 编号”，例如“取消预约 CG-00012”。"
CANCEL_NOT_FOUND = "没有找到本组织的预约“{number}”。发送“我的预约”查看编号。"
CANCELLED = "已取消预约{number}（{time}），名额已释放。"
ADMIN_CANCELLED = "参观预约{number}已被{who}取消：{org}，{time}，{size}人。"

# -- notices to the contact ----------------------------------------------------------------

CONFIRMED_NOTICE = ("您的参观预约{number}已确认：{hall}，{time}–{end}，{size}人。\n"
                    "参观当天请党员发送“签到 {code}”签到（开始前可签到）；非党员来宾人数参观后由"
                    "联络员在管理后台填写。")
DECLINED_NOTICE = "很抱歉，您的参观预约{number}（{time}，{size}人）未能安排。原因：{reason}"
CANCELLED_NOTICE = "您的参观预约{number}（{time}，{size}人）已由党委取消。原因：{reason}"

# -- refusals (HallError reasons) -----------------------------------------------------------

ERRORS = {
    "size_not_positive": "参观人数须为1人以上。",
    "size_over_capacity": "参观人数{size}人超过该时段的容量{capacity}人，请分批预约。",
    "size_over_free": "该时段只剩{free}个名额，不够{size}人，请减少人数或另选时段。",
    "full": "该时段已约满，请另选时段。",
    "past": "该时段（{time}）已经开始或已过去，不能预约。",
    "closed": "该时段（{time}）已关闭预约，请另选时段。",
    "no_slot": "没有这个时段，请重新选择。",
    "purpose_empty": "请填写参观目的。",
    "purpose_too_long": "参观目的请控制在{limit}字以内（现在{length}字）。",
    "not_requested": "预约{number}当前为“{status}”，不能再确认或拒绝。",
    "not_cancellable": "预约{number}当前为“{status}”，不能取消。",
    "already_held": "预约{number}的参观时间（{time}）已到，不能取消。",
    "reason_empty": "请填写原因。",
    "reason_too_long": "原因请控制在{limit}字以内。",
    "not_held": "预约{number}还未参观（或未确认），参观开始后才能填写来宾人数。",
    "guests_bad": "请填写0以上的整数。",
    "total_below_members": "实到人数{total}人少于已签到的党员{members}人，请核对。",
    "guests_too_many": "来宾人数请不要超过{limit}人。",
    "capacity_bad": "容量须为1人以上的整数。",
    "capacity_below_booked": "该时段已约{booked}人，容量不能改为少于{booked}人。",
    "slot_end_before_start": "结束时间须晚于开始时间。",
    "slot_past": "不能开放已经过去的时段（{time}）。",
    "slot_exists": "{time}已有时段。",
    "pattern_bad": "请填写开始日期、周数（1–{weeks}）、至少一个星期几和至少一个时间段。",
    "times_bad": "时间段格式应为“09:00-11:00”，多个用逗号分开：{text}",
}

STATUS_NAMES = {"requested": "待确认", "confirmed": "已确认", "declined": "未安排",
                "cancelled": "已取消", "held": "已参观"}

# -- console --------------------------------------------------------------------------------

SLOTS_TITLE = "政治生活馆 · 开放时段"
SLOTS_HINT = ("开放的时段供各党组织预约参观；容量是该时段最多接待的人数。已约人数为待确认和已确认"
              "预约的人数之和，不会超过容量。")
BOOKINGS_TITLE = "政治生活馆 · 参观预约"
BOOKINGS_HINT = ("待确认的预约已占用名额；确认后生成参访活动和签到码，拒绝或取消即释放名额。"
                 "一场参观 = 已确认且开始时间已到的预约；人次 = 党员签到 + 非党员来宾。")
BOOKINGS_HINT_CONTACT = "这里是本组织的参观预约。确认结果会在企业微信中通知您。"
TO_BOOKINGS = "参观预约"
TO_SLOTS = "开放时段"
YEAR = "年份"
STATUS = "状态"
ALL = "全部"
FILTER = "筛选"
FILTERS = {"": "全部", "requested": "待确认", "confirmed": "已确认", "held": "已参观",
           "declined": "未安排", "cancelled": "已取消"}
EMPTY = "没有符合条件的预约。"
SLOTS_EMPTY = "还没有开放时段。"
COL_NUMBER = "编号"
COL_ORG = "党组织"
COL_TIME = "时段"
COL_SIZE = "人数"
COL_CONTACT = "联系人"
COL_STATUS = "状态"
COL_VISITORS = "党员签到 + 来宾 = 人次"
COL_CAPACITY = "容量"
COL_BOOKED = "已约"
COL_FREE = "剩余"
COL_OPEN = "开放"
COL_ACTIONS = "操作"
VISITORS = "{members} + {guests} = {total}"
OPEN_YES = "开放"
OPEN_NO = "已关闭"
CLOSE_BUTTON = "关闭预约"
OPEN_BUTTON = "重新开放"
CAPACITY_BUTTON = "改容量"
ADD_TITLE = "批量开放时段"
ADD_FIRST = "开始日期"
ADD_WEEKS = "周数"
ADD_WEEKDAYS = "星期"
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
ADD_TIMES = "时间段（如 09:00-11:00, 14:00-16:00）"
ADD_CAPACITY = "容量（人）"
ADD_HALL = "场馆"
ADD_BUTTON = "开放时段"
ADDED = "已开放{made}个时段。"
ADDED_SKIPPED = "已开放{made}个时段；跳过{skipped}个（已有或已过去）。"
SLOT_CLOSED = "已关闭{time}的预约（已有的预约不受影响）。"
SLOT_OPENED = "已重新开放{time}。"
CAPACITY_SAVED = "{time}的容量已改为{capacity}人。"
BOOK_TITLE = "新建预约"
BOOK_SLOT = "时段"
BOOK_ORG = "党组织"
BOOK_SIZE = "人数"
BOOK_PURPOSE = "参观目的"
BOOK_PHONE = "联系电话（可不填）"
BOOK_BUTTON = "提交预约"
BOOK_NO_SLOTS = "近期没有可预约的时段。"
BOOK_SLOT_LINE = "{time}–{end}（剩余{free}）"
BOOKED = "已提交预约{number}，名额已保留。"
FORM_USED = "这张表单已经提交过了。"
FORM_EXPIRED = "表单已失效，请刷新页面后重新填写。"
FORM_INVALID = "表单有误，请按提示修改。"
NOT_YOUR_ORG = "您不能为这个党组织预约。"
DETAIL_TITLE = "参观预约 {number}"
DETAIL_ORG = "党组织"
DETAIL_TIME = "时段"
DETAIL_HALL = "场馆"
DETAIL_SIZE = "预约人数"
DETAIL_CONTACT = "联系人"
DETAIL_PURPOSE = "参观目的"
DETAIL_STATUS = "状态"
DETAIL_BOOKED_BY = "提交"
DETAIL_DECIDED = "处理"
DETAIL_REASON = "原因"
DETAIL_CODE = "签到码"
DETAIL_VISITORS = "人次"
DETAIL_VISITORS_LINE = "党员签到{members}人 + 非党员来宾{guests}人 = {total}人次"
CHECKIN_LINK = "签到管理"
CONFIRM_BUTTON = "确认预约"
DECLINE_BUTTON = "拒绝"
DECLINE_REASON = "拒绝原因（会发给联系人）"
CANCEL_BUTTON = "取消预约"
CANCEL_REASON = "取消原因"
CONFIRMED = "已确认预约{number}，签到码{code}，已通知联系人。"
DECLINED = "已拒绝预约{number}，名额已释放，已通知联系人。"
CANCELLED_PAGE = "已取消预约{number}，名额已释放。"
GUESTS_TITLE = "参观后填写人数"
GUESTS_HINT = ("党员扫码或发送签到码签到，自动计入；没有签到的非党员来宾在这里填写。"
               "填“实到人数”时，来宾 = 实到人数 − 已签到党员；也可以直接填来宾人数。")
GUESTS_TOTAL = "实到人数（合计）"
GUESTS_DIRECT = "或：非党员来宾人数"
GUESTS_BUTTON = "保存人数"
GUESTS_SAVED = "已保存：党员签到{members}人 + 来宾{guests}人 = {total}人次。"
BACK = "返回预约列表"
PURPOSE_LIMIT = "{limit}字以内"
