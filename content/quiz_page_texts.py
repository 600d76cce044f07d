"""Chinese texts of the question bank (题库) in the console and the `quiz` commands: the bank's
list and form, the checks of a question (the form's and the .xlsx import's, one set), the
import's report and template, the correct rates and the figures per organisation."""

from __future__ import annotations

# the checks of one question (form and sheet)
KIND_MISSING = "请填写题型：单选、多选或判断"
KIND_UNKNOWN = "题型“{value}”不对，只能是单选、多选或判断"
TEXT_MISSING = "缺少题干"
TEXT_TOO_LONG = "题干最多{limit}字，现在有{length}字"
OPTIONS_TOO_FEW = "选择题至少要有2个选项（选项A、选项B）"
OPTION_GAP = "选项{letter}是空的，但后面还有选项；请按A、B、C……依次填写"
OPTION_TOO_LONG = "选项{letter}最多{limit}字，现在有{length}字"
OPTION_TWICE = "选项{letter}与选项{other}相同"
ANSWER_MISSING = "缺少答案"
ANSWER_GARBAGE = "答案“{value}”看不懂：请写选项字母，如 A 或 AC"
ANSWER_NOT_OPTION = "答案“{value}”不在选项中（本题的选项是 {options}）"
ANSWER_SINGLE_MANY = "单选题只能有一个答案，现在是“{value}”"
ANSWER_MULTIPLE_ONE = "多选题至少要有两个正确答案；只有一个时请改为单选题"
ANSWER_JUDGE = "判断题的答案只能是“对”或“错”，现在是“{value}”"
EXPLANATION_MISSING = "缺少解析（答题后会显示给党员）"
EXPLANATION_TOO_LONG = "解析最多{limit}字，现在有{length}字"
MATERIAL_UNKNOWN = "找不到在用的学习材料“{value}”（请写材料的代号或完整标题）"
CAMPAIGN_UNKNOWN = "找不到活动“{value}”（请写活动的完整名称）"
DUPLICATE_BANK = "题库里已有相同题干的题目 {number}"
DUPLICATE_ROW = "与第{row}行的题干相同"

# the words authors write for a kind (form values and sheet cells)
KIND_WORDS = {"单选": "single", "单选题": "single", "单项选择": "single",
              "单项选择题": "single", "single": "single",
              "多选": "multiple", "多选题": "multiple", "多项选择": "multiple",
              "多项选择题": "multiple", "multiple": "multiple",
              "判断": "judge", "判断题": "judge", "是非题": "judge", "judge": "judge"}
KIND_NAMES = {"single": "单选题", "multiple": "多选题", "judge": "判断题"}
JUDGE_NAMES = {"A": "对", "B": "错"}

# the import (.xlsx): columns, template, report
SHEET_COLUMNS = {  # key -> header
    "kind": "题型", "text": "题干", "option_a": "选项A", "option_b": "选项B",
    "option_c": "选项C", "option_d": "选项D", "option_e": "选项E", "option_f": "选项F",
    "answer": "答案", "explanation": "解析", "material": "出处材料", "campaign": "专项活动",
}
SHEET_REQUIRED = ("kind", "text", "answer")
SHEET_TITLE = "题库"
SHEET_HELP_TITLE = "填写说明"
SHEET_HELP = (
    "题型：单选、多选或判断。",
    "题干：最多150字。",
    "选项A至选项F：选择题至少填选项A、选项B，按顺序填写，每项最多40字；判断题不填选项。",
    "答案：选项字母，单选如 B，多选如 ACD（至少两个）；判断题填“对”或“错”。",
    "解析：答题后显示给党员，必填，最多500字。",
    "出处材料：学习材料的代号（如 dangfei）或完整标题，可不填；填了党员答题后可直接阅读。",
    "专项活动：属于某个活动（如冬训）的专项答题时填写活动的完整名称；每日答题不填。",
    "题干与题库中已有题目相同时，导入会更新该题。",
    "整个文件没有问题才会导入；有任何问题都不写入，并逐行列出问题。",
)
SHEET_EXAMPLES = (
    ("单选", "党员没有正当理由，连续几个月不交纳党费，就被认为是自行脱党？", "三个月", "六个月",
     "九个月", "十二个月", "", "", "B",
     "党章规定：党员没有正当理由，连续六个月不交纳党费，就被认为是自行脱党。", "dangfei", ""),
    ("多选", "“三会一课”中的“三会”包括哪些？", "支部党员大会", "支部委员会会议", "党小组会",
     "座谈会", "", "", "ABC", "“三会”是支部党员大会、支部委员会会议和党小组会。", "sanhui-yike",
     ""),
    ("判断", "支部党员大会一般每季度召开1次。", "", "", "", "", "", "", "对",
     "支部党员大会一般每季度召开1次，支部委员会会议和党小组会一般每月1次。", "sanhui-yike",
     ""),
)
CELL_PROBLEM = "第{row}行「{column}」：{message}"
ROW_PROBLEM = "第{row}行：{message}"
HEADER_MISSING = "表头（第{row}行）缺少「{column}」列"
HEADER_TWICE = "表头（第{row}行）中「{column}」出现了不止一次"
NO_ROWS = "文件里没有题目（表头下面没有内容）"
TOO_MANY_ROWS = "一次最多导入{limit}道题，文件里有{count}道"
REPORT_DRY_RUN = ("检查通过（未写入）：共{rows}道题，将新增{added}道、更新{updated}道、"
                  "不变{unchanged}道。")
REPORT_DONE = "已导入：共{rows}道题，新增{added}道、更新{updated}道、不变{unchanged}道。"
REPORT_ADDED = "新增："
REPORT_UPDATED = "更新："
REPORT_LINE = "  第{row}行 {kind} {text}"
REPORT_MORE = "  ……另有{count}道"

# the console pages
BANK_TITLE = "题库"
BANK_HINT = "每日答题从在用、未属于活动的题目中每天为每位党员抽5道；属于活动的题目用于专项答题。"
BANK_NEW = "新建题目"
BANK_IMPORT = "导入题目 (.xlsx)"
BANK_STATS = "正确率与参与情况"
BANK_FILTERS = {"": "全部", "active": "在用", "retired": "已停用"}
SCOPE_FILTERS = {"": "全部", "daily": "每日答题", "campaign": "专项答题"}
COL_NUMBER = "编号"
COL_KIND = "题型"
COL_TEXT = "题干"
COL_ANSWER = "答案"
COL_MATERIAL = "出处材料"
COL_CAMPAIGN = "专项活动"
COL_STATE = "状态"
COL_ANSWERED = "作答人次"
COL_RATE = "正确率"
STATE_NAMES = {True: "在用", False: "已停用"}
DAILY_POOL = "每日答题"
NO_RATE = "—"

QUESTION_NEW_TITLE = "新建题目"
QUESTION_TITLE = "题目 {number}"
FIELD_KIND = "题型"
FIELD_TEXT = "题干"
FIELD_OPTION = "选项{letter}"
FIELD_OPTIONS_HINT = "选择题按顺序填写，至少两个；判断题不用填（选项固定为“对”“错”）。"
FIELD_ANSWER = "答案"
FIELD_ANSWER_HINT = "选项字母：单选如 B，多选如 ACD；判断题填“对”或“错”。"
FIELD_EXPLANATION = "解析"
FIELD_MATERIAL = "出处材料"
FIELD_MATERIAL_HINT = "学习材料的代号或完整标题，可不填。"
FIELD_CAMPAIGN = "专项活动"
FIELD_CAMPAIGN_NONE = "（不属于活动：每日答题）"
FORM_INVALID = "有{count}处需要修改，题目未保存。"
CREATED = "已新建题目 {number}。"
SAVED = "已保存题目 {number}。"
UNCHANGED = "没有修改。"
RETIRE = "停用"
ACTIVATE = "启用"
RETIRED = "已停用题目 {number}：不再出现在新的答题中，已作答的记录保留。"
ACTIVATED = "已启用题目 {number}。"
ALREADY_STATE = "题目已是{state}状态。"
QUESTION_FIGURES = "作答{answered}人次，答对{correct}人次，正确率{rate}。"
QUESTION_NO_FIGURES = "还没有人作答。"
HISTORY = "修改记录"

IMPORT_TITLE = "导入题目"
IMPORT_HINT = ("上传 .xlsx（第一个工作表）。先「仅检查」逐行报告问题，无误再「导入」；"
               "有任何问题都不会写入。")
IMPORT_TEMPLATE = "下载模板 (.xlsx)"
IMPORT_FILE = "文件"
IMPORT_CHECK = "仅检查"
IMPORT_APPLY = "导入"
IMPORT_NO_FILE = "请选择一个 .xlsx 文件。"
IMPORT_TOO_LARGE = "文件超过{megabytes} MB，请拆分后分批导入。"
IMPORT_PROBLEMS = "文件有问题，未导入："

STATS_TITLE = "答题正确率与参与情况"
STATS_HARDEST = "最难的题（正确率从低到高）"
STATS_HARDEST_HINT = "至少{minimum}人次作答的题目。正确率低的题，说明党员对相关内容还没掌握。"
STATS_ORGS = "各党组织参与情况（{first}至{last}）"
STATS_PERIOD = "统计区间"
COL_ORG = "党组织"
COL_MEMBERS = "党员数"
COL_PARTICIPANTS = "参与人数"
COL_PARTICIPATION = "参与率"
COL_ANSWERS = "作答题数"
COL_CORRECT = "答对题数"
STATS_TOTAL = "合计"
CAMPAIGNS_TITLE = "专项答题"
CAMPAIGN_RESULTS = "专项答题结果：{name}"
CAMPAIGN_QUESTIONS = "{count}道题"
CAMPAIGN_NONE = "还没有属于活动的题目。"
NO_ORGANIZATION = "（无所属组织）"
QUESTION_CREATE = "创建题目"
STATS_MINIMUM = "最少作答人次"
SEARCH_HINT = "题干中的文字"
ACTION_NAMES = {"quiz.create": "新建", "quiz.update": "修改", "quiz.retire": "停用",
                "quiz.activate": "启用"}
RETIRE_HINT = "停用后不再出现在新的答题中；今天已抽到的党员仍可作答，已作答的记录保留。"
