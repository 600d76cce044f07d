"""The question box (问题箱) in chat: 我的提问 and the answer sent to the member (问答 has its own
texts for sending a question on, content/answer_texts.py)."""

from __future__ import annotations

MINE_SUMMARY = "查看我向党委提的问题和答复"
MINE_WORDS = ("我的提问", "我的问题")

MINE_EMPTY = "您还没有提过问题。在问答找不到答案时，可以把问题转给党委。"
MINE_HEADER = "您的提问（最近{count}条）："
MINE_MORE = "另有{more}条较早的提问未列出。"
MINE_HINT = "发送“我的提问 编号”（如“我的提问 TW-000012”）查看某条问答全文。"
MINE_UNKNOWN = "没有找到您的提问“{number}”。发送“我的提问”查看全部。"
MINE_LINE = "{number}（{date}）{question}"
MINE_OPEN = "  待答复"
MINE_ANSWER = "  答：{answer}（{by}，{date}）"
DATE = "{month}月{day}日"
ELLIPSIS = "…"

# Sent to the member when the committee answers (or corrects the answer).
ANSWER_NOTICE = "您{date}的提问（{number}）有了答复：\n问：{question}\n答：{answer}\n—— {by}"
ANSWER_EDITED_NOTICE = ("您{date}的提问（{number}）的答复已更新：\n问：{question}\n"
                        "答：{answer}\n—— {by}")
