"""What the bot says about broadcasts (群发)."""

from __future__ import annotations

START_SUMMARY = "群发通知或学习材料"
LIST_SUMMARY = "查看最近的群发"
RECALL_SUMMARY = "撤回一次群发（24小时内），发送“撤回 QF-编号”"
CANCEL_SUMMARY = "取消一次定时群发，发送“取消群发 QF-编号”"

ASK_CONTENT = "发什么？直接发送文字，或回复“材料 编号”发送学习材料。\n{materials}"
MATERIALS_NEWEST = ("最新的学习材料（编号. 标题）：\n{lines}\n"
                    "找其他材料请回复“材料 关键词”，如“材料 党章”。")
MATERIALS_FOUND = ("标题含“{words}”的学习材料（编号. 标题）：\n{lines}\n"
                   "请回复“材料 编号”，如“材料 {example}”。")
MATERIALS_MORE = "……另有 {count} 篇，请换个更具体的关键词"
MATERIAL_LINE = "{id}. {title}"
TITLE_CUT = "…"
NO_MATERIALS = "材料库里还没有可用的学习材料，可以直接发送文字。"
ASK_AUDIENCE = ("发给谁？1.全体党员 2.指定党组织 3.标签 4.角色(书记/讲师) 5.冬训对象 "
                "6.本月未参学党员\n"
                "可直接写在一行，如“4 书记”“2 华芯微电子党支部”")
ASK_AUDIENCE_CONTACT = "发给谁？回复“2 党组织名称”，只能发给您担任书记/联络员的党组织：{orgs}"
ASK_VALUE = {
    "orgs": "请回复党组织名称，如“华芯微电子党支部”",
    "tags": "请回复标签名称",
    "roles": "请回复角色：书记 或 讲师",
    "campaign": "请回复冬训名称",
}
BAD_AUDIENCE_CHOICE = "请回复 1 到 6 的编号，如“1”或“4 书记”"
UNKNOWN_ORG = "找不到党组织“{value}”，请检查名称后重新回复"
UNKNOWN_TAG = "找不到标签“{value}”，请检查名称后重新回复"
UNKNOWN_ROLE = "角色只能是“书记”或“讲师”，请重新回复"
UNKNOWN_CAMPAIGN = "找不到冬训“{value}”，请检查名称后重新回复"
NOT_YOUR_ORG = "您只能群发给您担任书记/联络员的党组织：{orgs}"
ROLE_WORDS = {"书记": "contact", "联络员": "contact", "讲师": "lecturer"}

ASK_GROUPS = ("同时发到群聊吗？回复群编号，多个用空格分开，如“1 3”；回复“全部”发到所有群，"
              "或回复“不用”。\n{groups}")
GROUP_LINE = "{id}.{name}"
GROUPS_MORE = "……另有 {count} 个群未列出，可直接回复其编号"
GROUPS_USAGE = "请回复群编号（多个用空格分开，如“1 3”），“全部”，或“不用”"
GROUPS_UNKNOWN = "没有编号为 {numbers} 的群聊，请回复上面列出的群编号，或“不用”"

EMPTY_CONTENT = "内容为空，请直接发送要群发的文字"
TOO_LONG = ("内容超过企业微信的长度上限（{limit} 字节，约 {chars} 个汉字），"
            "当前 {size} 字节，请删减后重新发送")
UNKNOWN_MATERIAL = "找不到编号为 {number} 的学习材料，请检查后重新回复"
MATERIAL_USAGE = "请回复“材料 编号”，如“材料 12”；以文本卡片发送请回复“材料 12 卡片”"
MATERIALS_NONE_FOUND = "没有标题含“{words}”的学习材料。回复“材料”查看最新的材料。" + MATERIAL_USAGE
NOBODY = "这个范围内没有在册党员，无人可发。请重新选择发给谁"
NOBODY_IDLE = "本月在册党员都已参学，无人可发。请重新选择发给谁"
QUOTA_EXCEEDED = ("超过今日群发额度：企业微信每天最多 {limit} 人次（在册 {members} 人 × 200），"
                  "今天已发 {used} 人次，本次 {size} 人。请缩小范围或明天再发")

PREVIEW = "将发给 {size} 人。预览已发给您。回复“确认”发送，“定时 明早8点”稍后发送，“取消”放弃。"
PREVIEW_GROUPS = ("将发给 {size} 人和 {groups} 个群聊。预览已发给您。"
                  "回复“确认”发送，“定时 明早8点”稍后发送，“取消”放弃。")
PREVIEW_AGAIN = "回复“确认”发送，“定时 明早8点”稍后发送，“取消”放弃。"
BAD_TIME = "没看懂这个时间“{text}”，请写成“定时 明早8点”或“定时 {example}”"
PAST_TIME = "时间“{text}”已经过去了，请回复一个将来的时间"
STARTED = "已开始发送，编号 {number}。完成后告诉您结果。"
SCHEDULED = ("已定时，编号 {number}，将于 {time} 发给 {size} 人。"
             "发送前可回复“取消群发 {number}”取消。")
ALREADY = "这次群发已提交，编号 {number}。"

SUMMARY = ("群发 {number} 已完成：共 {size} 人，已发送 {sent} 人，无效账号 {invalid} 人，"
           "未获许可 {unlicensed} 人，发送失败 {failed} 人。")
SUMMARY_GROUPS = "群聊 {total} 个：已发送 {sent} 个，发送失败 {failed} 个。"
SUMMARY_GROUPS_FAILED = "未发出的群：{names}"
SUMMARY_GROUPS_MORE = " 等 {count} 个"
SUMMARY_FAILED = "群发 {number} 未能全部发出：{error}。已发出的不会重发。"

LIST_HEAD = "最近的群发："
LIST_LINE = "{number} {status} {audience} {size}人 已发{sent} 无效{invalid} {time}"
LIST_GROUPS = " 群聊已发{sent}/{total}"
LIST_NONE = "还没有群发记录"
STATUS_NAMES = {"scheduled": "定时中", "sending": "发送中", "sent": "已发送", "failed": "失败",
                "cancelled": "已取消", "recalled": "已撤回"}
AUDIENCE_NAMES = {"all": "全体党员", "orgs": "党组织", "tags": "标签", "roles": "角色",
                  "campaign": "冬训对象", "idle": "未参学党员"}

NUMBER_USAGE = "请写上群发编号，如“{command} QF-2026-0017”"
NOT_FOUND = "找不到群发 {number}"
NOT_YOURS = "群发 {number} 不是您发的，不能操作"
RECALLED = "已撤回群发 {number}（{count} 条消息）。"
RECALL_GROUPS_NOTE = "发到群聊的 {count} 条消息由群机器人发出，无法撤回。"
RECALL_TOO_LATE = "已超过24小时，无法撤回"
RECALL_NOT_SENT = "群发 {number} 当前状态为“{status}”，不能撤回"
RECALL_PARTLY = "群发 {number} 部分撤回失败：{error}"
CANCELLED = "已取消定时群发 {number}。"
CANCEL_NOT_SCHEDULED = "群发 {number} 当前状态为“{status}”，只有定时中的群发可以取消"
ONLY_ADMINS = "抱歉，群发只对管理员开放。"
