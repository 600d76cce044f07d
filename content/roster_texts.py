"""Chinese texts of the roster's chat step that asks a contact of several organisations which one
they act for (roster.contacts); each feature's question stays in its own texts."""

ORG_LINE = "{number}. {name}"
ORG_ASK_AGAIN = "请回复党组织前的序号或党组织名称，例如“1”。发送“取消”结束。"
ORG_OUT_OF_RANGE = "没有序号{number}，请回复1到{count}之间的序号。"
ORG_AMBIGUOUS = "有{count}个党组织的名称含“{typed}”，请回复序号或完整名称。"
