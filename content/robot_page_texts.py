"""Chinese texts of the console's 群机器人 pages (the robots, registering one with a test
message, disabling it, its recent sends), by name; templates read them as `rt.NAME`."""

from __future__ import annotations

# pages
LIST_TITLE = "群机器人"
LIST_HINT = ("各党支部群聊里的群机器人：群发消息可同时发到这些群（每个机器人每分钟最多 20 条）。"
             "Webhook key 只显示首尾四位。")
LIST_HINT_CONTACT = "您负责的党组织群聊里的群机器人：可登记、停用，并查看最近发到群里的消息。"
NEW_LINK = "登记群机器人"
NEW_TITLE = "登记群机器人"
NEW_HINT = ("在企业微信群聊中添加群机器人后，复制它的 Webhook 地址"
            "（或其中 key= 后面的部分）填在下面。"
            "登记前会通过这个 key 向群里发一条测试消息；企业微信不接受时不会登记。")
ROBOT_TITLE = "群机器人：{name}"

# fields
NAME = "名称"
NAME_HINT = "例如“华芯党支部党员群”。"
KEY = "Webhook 地址或 key"
KEY_HINT = "形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…，key 是机密，请勿外传。"
ORG = "所属党组织"
ORG_NONE = "（不属于某个党组织）"
ORG_HINT_CONTACT = "只能为您负责的党组织登记。"
REGISTER = "发送测试消息并登记"
BACK = "返回"

# problems beside the fields
NEED_NAME = "请填写 1–100 个字的名称。"
BAD_KEY = "这不是群机器人的 Webhook 地址或 key，请从群机器人的资料页复制。"
KEY_TAKEN = "这个 key 已登记为群机器人「{name}」。"
KEY_TAKEN_ELSEWHERE = "这个 key 已经登记过了。"
BAD_ORG = "请选择一个党组织。"
NO_ORGS = "您没有负责的党组织，无法登记群机器人。"
FORM_INVALID = "请先改正标出的 {count} 处问题（未登记）。"
FORM_EXPIRED = "表单已过期，请重新填写。"
FORM_USED = "这份表单已经提交过了，没有重复登记。"

# the test message
TEST_MESSAGE = "【先锋学习助手】群机器人「{name}」已在管理后台登记，党委的群发消息也会发到本群。"
REFUSED_GONE = ("企业微信不接受这个 key（错误码 {code}）：可能抄错了，或机器人已被移出群聊。"
                "测试消息没有发出，未登记。")
REFUSED_BUSY = "这个机器人一分钟内发送的消息太多，请一分钟后再试。未登记。"
REFUSED_DOWN = "暂时连不上企业微信，测试消息没有发出，请稍后再试。未登记。"
REFUSED_OTHER = "企业微信拒绝了测试消息（错误码 {code}），未登记。"
REGISTERED = "群机器人「{name}」已登记，测试消息已发到群里。"
REACTIVATED = "群机器人「{name}」已重新启用，测试消息已发到群里。"

# one robot
COL_NAME = "名称"
COL_ORG = "党组织"
COL_KEY = "Key"
COL_STATE = "状态"
COL_CREATED = "登记人 / 时间"
COL_SENDS = "已发送"
STATE_ACTIVE = "使用中"
STATE_INACTIVE = "已停用"
DISABLE = "停用"
DISABLE_HINT = "停用后群发不再发到这个群；历史记录保留。同一 key 重新登记即可再次启用。"
DISABLED = "群机器人「{name}」已停用。"
ALREADY_DISABLED = "这个群机器人已经停用了。"
SENDS_TITLE = "最近发到群里的消息"
SENDS_HINT = "群发消息发到这个群的记录，最新的在前。"
COL_BROADCAST = "群发编号"
COL_CONTENT = "内容"
COL_STATUS = "状态"
COL_AT = "时间"
COL_ERROR = "原因"
SEND_STATUS = {"pending": "待发送", "sent": "已发送", "failed": "失败"}
