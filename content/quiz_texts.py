"""Chinese texts of 每日答题 and 专项答题 in chat: the questions, the answers' results, the day's
summary, the leaderboard (答题排行) and every refusal."""

from __future__ import annotations

DAILY_SUMMARY = "每天一组题，答对得积分"
CAMPAIGN_SUMMARY = "参加冬训等活动的专项答题"
BOARD_SUMMARY = "查看本支部本月答题排行"

DAILY_WORDS = ("答题", "每日答题")
CAMPAIGN_WORDS = ("专项答题",)
BOARD_WORDS = ("答题排行", "答题榜")

KIND_NAMES = {"single": "单选题", "multiple": "多选题", "judge": "判断题"}
JUDGE_OPTIONS = ("对", "错")  # a true/false question's two options, A and B
# what members type for 对 (A) and 错 (B), besides the letters
JUDGE_WORDS = {"对": "A", "正确": "A", "√": "A", "✓": "A", "✔": "A", "是": "A", "T": "A",
               "错": "B", "错误": "B", "×": "B", "✗": "B", "✘": "B", "否": "B", "F": "B",
               "X": "B"}

# the question, as text (the card carries the same)
DAILY_HEAD = "【每日答题 {position}/{total} · {kind}】"
CAMPAIGN_HEAD = "【专项答题 · {campaign} {position}/{total} · {kind}】"
OPTION_LINE = "{letter}. {text}"
HOW_SINGLE = "请点卡片上的按钮作答，或直接回复选项字母（如 A）。"
HOW_MULTIPLE = "多选题：请在卡片上勾选后提交，或直接回复全部正确选项的字母（如 AC）。"
HOW_JUDGE = "请点卡片上的“对”或“错”，或直接回复“对”或“错”。"

# the card
CARD_SOURCE = "先锋学习助手 · 每日答题"
CARD_CAMPAIGN_SOURCE = "先锋学习助手 · 专项答题"
CARD_TITLE = "第{position}/{total}题 · {kind}"
CARD_SUBMIT = "提交答案"
CARD_ANSWERED = "已作答"

# after an answer
RIGHT = "✅ 回答正确！+{points}分"
RIGHT_CAPPED = "✅ 回答正确！今日答题积分已满{cap}分，本题不再加分。"
RIGHT_NO_POINTS = "✅ 回答正确！"
WRONG = "❌ 回答错误。您的答案：{choice}；正确答案：{answer}。"
EXPLANATION = "解析：{text}"
SOURCE = "出处：{title}{url}"
CHOICE_JOINER = ""  # letters shown together, e.g. AC
JUDGE_CHOICE = {"A": "对", "B": "错"}

# the end of a set
DAY_DONE = ("今日答题已完成：{total}题答对{correct}题，得{points}分。{streak}\n"
            "发送“答题排行”查看本支部排名，明天再来！")
CAMPAIGN_DONE = ("专项答题“{campaign}”已完成：共{total}题，答对{correct}题，得{points}分。\n"
                 "发送“冬训进度”查看活动的其他学习要求。")
STREAK = "已连续答题{days}天。"
STREAK_FIRST = "今天是连续答题的第1天。"
ALREADY_DONE = "今天的{total}道题都答完了：答对{correct}题，得{points}分。{streak}明天再来！"

# refusals and the bad input of a step
DAY = "{month}月{day}日"
EMPTY_BANK = "题库里还没有题目，请稍后再来。"
EXPIRED = "这张答题卡已过期（是{day}的题目），答案不再计分。发送“答题”开始今天的答题。"
CLOSED = "专项答题“{campaign}”已于{day}结束，答案不再计分。"
NOT_YOURS = "这张答题卡不是发给您的。发送“答题”开始您自己的答题。"
UNKNOWN_CARD = "没有找到这道题，可能已被删除。发送“答题”重新开始。"
ALREADY_ANSWERED = "这道题已经答过了（您的答案：{choice}），不再重复计分。"
NO_ANSWER = "请回复答案：{how}"
ONE_ONLY = "这是单选题，只能选一个答案，请回复一个字母（如 A）。"
NOT_AN_OPTION = "没有选项“{letters}”。本题的选项是 {options}。"
NOT_JUDGE = "这是判断题，请回复“对”或“错”。"
GARBAGE = "没有看懂“{text}”。{how}发送“取消”可以退出答题。"
LEFT_FLOW = "已退出答题，进度已保存。发送“答题”继续。"

# 专项答题
NO_CAMPAIGN_QUIZ = "目前没有您可以参加的专项答题。发送“答题”参加每日答题。"
CAMPAIGN_CHOICES = "有多个专项答题正在进行，请发送“专项答题 名称”选择一个：\n{names}"
CAMPAIGN_LINE = "· {name}（{starts}至{ends}，{count}题）"
CAMPAIGN_NOT_FOUND = "没有名为“{name}”的进行中的专项答题。{choices}"
CAMPAIGN_ALL_DONE = ("专项答题“{campaign}”的{total}道题您都答过了：答对{correct}题。"
                     "感谢参与！")

# 答题排行
BOARD_HEAD = "{org} {month}月答题排行（按答对题数）："
BOARD_LINE = "{rank}. {name} 答对{correct}题"
BOARD_EMPTY = "{org}本月还没有人答题。发送“答题”做第一个！"
BOARD_ME = "您：第{rank}名，本月答对{correct}题，得{points}分；{streak}"
BOARD_ME_NONE = "您本月还没有答题。发送“答题”开始。"
BOARD_NO_ORG = "您还没有所属的党组织，无法查看本支部排行。"
STREAK_NONE = "今天还没有答题。"
STREAK_SHORT = "已连续答题{days}天。"
