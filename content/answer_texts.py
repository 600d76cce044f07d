"""问答 in chat: answers quoted from the library, the honest "not found", and the offer to send
the question to the committee (问题箱)."""

from __future__ import annotations

ASK_SUMMARY = "向学习资料库提问，如“提问 党费怎么交”；直接发问题也可以"
ASK_WORDS = ("提问", "问答")

ASK_EMPTY = "请在“提问”后面写上您的问题，例如：提问 月工资8000元党费交多少"
NO_WORDS = "没有看出要问什么。请用文字写出您的问题，例如：提问 党费怎么交"
TOO_LONG = ("问题太长了（{length}字）。请用一两句话、{limit}字以内提问，"
            "例如：提问 三会一课多久开一次")

# A found answer: each passage quoted as written, with where it is from and its link.
FOUND_HEAD = "学习资料里是这样写的："
QUOTE = "“{text}”"
SOURCE = "——{title}{heading}"
SOURCE_HEADING = " · {heading}"
READ_LINK = '<a href="{url}">阅读全文</a>'
ANSWER_SOURCE = "——问答库：{question}（{by}{day}答复）"
ANSWER_DAY = "{month}月{day}日"
FOUND_TAIL = "没有解答您的问题？换个说法再问，或发送“帮助”查看其他功能。"

NOT_FOUND = ("学习资料里没有找到能回答“{question}”的内容，我不凭空作答。\n"
             "要把这个问题转给党委吗？回复“是”转交，回复“否”不转交。")
OFFER_AGAIN = "请回复“是”把问题转交党委，或回复“否”不转交。"
SENT = ("已转交党委（编号 {number}）。答复后会在这里通知您，"
        "也可以发送“我的提问”查看。")
NOT_SENT = "好的，没有转交。还有问题可以直接发给我。"
SEND_FAILED = "这个问题没能转交：{reason}"
SEND_EMPTY = "问题是空的"
SEND_TOO_LONG = "问题太长（{length}字，最多{limit}字），请缩短后再提问"

# Replies to the offer (the first match wins; anything else is taken as a new question).
YES_WORDS = ("是", "是的", "好", "好的", "要", "需要", "转", "转交", "提交", "确认", "可以", "行",
             "嗯", "对", "yes", "y", "ok", "1")
NO_WORDS_REPLY = ("否", "不", "不用", "不要", "不需要", "算了", "不了", "no", "n", "2")
