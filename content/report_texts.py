"""Chinese texts of the annual report (年度参学报告): labels and how each figure is counted."""

from __future__ import annotations

from content.nudge_texts import KIND_NAMES

__all__ = ["KIND_NAMES"]

FILE_NAME = "年度参学报告-{year}.{ext}"
TITLE = "{year}年度党员参学情况报告"
INTRO = ("本报告由先锋学习助手于{time}（北京时间）从系统记录自动统计，年度按北京时间自然年计算。"
         "“在册党员”指目前状态正常（未离开、未停用）且有所属党组织的党员，按其主要党组织统计；"
         "学时标准：党员{member}学时，书记和委员（联络员，或职务含“书记”“委员”）{leader}学时。")

SUMMARY_SHEET = "汇总"
ORGS_SHEET = "组织参学"
LECTURERS_SHEET = "讲师"
UNNAMED_SHEET = "党组织"
SUMMARY_HEADER = ("指标", "数值", "口径")

# (figure key, label, how it is counted), in the order the summary shows them.
SUMMARY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("organizations", "党组织数", "有在册党员的党组织"),
    ("members", "在册党员", "状态正常且有主要党组织的党员"),
    ("pushes", "学习材料推送次数", "年内发出的推送（推送记录，收件人不为零）"),
    ("deliveries", "学习材料送达人次", "推送送达记录条数，一人收到两次算2人次"),
    ("covered_members", "材料覆盖党员", "年内至少收到一次推送的党员（去重）"),
    ("covered_organizations", "材料覆盖党组织", "覆盖党员的主要党组织（去重）"),
    ("material_read_count", "阅读人次", "参学记录中“阅读”条数（每人每篇一次）"),
    ("material_read_members", "阅读人数", "有阅读记录的党员（去重）"),
    ("material_completed_count", "读完人次", "参学记录中“读完”条数（每人每篇一次）"),
    ("material_completed_members", "读完人数", "有读完记录的党员（去重）"),
    ("lectures", "举办宣讲场次", "年内开始、点单已完成或已评价的宣讲（无点单的按已开始计）"),
    ("lecture_attendances", "宣讲签到人次", "这些宣讲的签到记录（到场，不含请假）"),
    ("ordered_lectures", "点单宣讲场次", "其中由党组织点单的宣讲"),
    ("ordered_attendances", "点单宣讲签到人次", "点单宣讲的签到记录（到场）"),
    ("live_sessions", "红色直播场次", "年内开始、已导入观看名单的直播"),
    ("live_viewers", "直播观看人次", "导入名单的全部行数（含不在名册的观众）"),
    ("live_unmatched", "其中名册外观众", "导入名单中找不到对应党员的行数"),
    ("live_count", "党员直播参学人次", "参学记录中“直播”条数"),
    ("meetings", "三会一课次数", "年内开始的组织会议记录"),
    ("meeting_count", "三会一课参加人次", "参学记录中“组织会议”条数"),
    ("reflection_count", "提交心得篇数", "参学记录中“心得”条数（每篇一次）"),
    ("featured", "优秀心得篇数", "年内提交、被评为优秀的心得"),
    ("participations", "参学总人次", "年内全部参学记录条数（含已离开党员的记录）"),
    ("participants", "参学总人数", "年内至少有一条参学记录的党员（去重，含已离开的）"),
    ("participating", "在册党员参学人数", "在册党员中年内至少参学一次的人数"),
    ("hours", "在册党员学时合计", "在册党员年内参学记录的学时之和"),
    ("met_norm", "学时达标人数", "在册党员中年内学时达到本人标准的人数"),
    ("leaders", "书记和委员人数", "在册党员中的联络员或职务含“书记”“委员”的人"),
    ("leaders_met", "书记和委员达标人数", "其中学时达到书记和委员学时标准的人数"),
)
RATE_LABEL = "全委参学率"
RATE_HOW = "在册党员参学人数 / 在册党员"
KIND_RATE_LABEL = "{kind}参学率"
KIND_RATE_VALUE = "{part}/{members}（{percent}）"
KIND_RATE_HOW = "该类企业党组织的在册党员中年内参学的人数 / 在册党员"

ORG_RATES_TITLE = "各党组织参学率和学时"
ORG_RATES_HOW = ("参学率 = 该组织在册党员中年内至少有一条参学记录的人数 / 在册党员；"
                 "学时为在册党员年内参学记录学时之和；达标为学时达到本人标准的人数。")
TOP_LEARNERS_TITLE = "学习达人候选（积分前十）"
TOP_LEARNERS_HOW = "按年内积分从高到低，积分相同按学时；只列在册党员。"
MODEL_LEARNERS_TITLE = "学习标兵候选（优秀心得）"
MODEL_LEARNERS_HOW = "年内有优秀心得的在册党员，按优秀心得篇数、再按积分排列。"
TOP_ORGS_TITLE = "先进集体候选（参学率和人均学时前十）"
TOP_ORGS_HOW = "按年度参学率从高到低，相同按人均学时排列；只列有党员参学的组织。"
LECTURERS_HOW = "年内举办的宣讲按讲师统计：场次、点单场次、签到人次（到场）、评单平均分。"
NONE = "（无）"

ORG_HEADER = ("党组织", "类型", "在册党员", "参学人数", "参学率", "学时合计", "人均学时",
              "学时达标人数", "书记和委员", "书记和委员达标", "阅读人次", "读完人次",
              "心得篇数", "宣讲签到人次", "直播参学人次", "三会一课人次")
MEMBER_HEADER = ("姓名", "职务", "身份", "学时", "学时标准", "是否达标", "积分", "参学次数",
                 "优秀心得")
LECTURER_HEADER = ("讲师", "宣讲场次", "点单场次", "签到人次", "直播观看", "评单数",
                   "平均评分")
TOP_LEARNERS_HEADER = ("学习达人候选", "姓名", "党组织", "积分", "学时", "优秀心得")
MODEL_LEARNERS_HEADER = ("学习标兵候选", "姓名", "党组织", "优秀心得", "积分", "学时")
TOP_ORGS_HEADER = ("先进集体候选", "党组织", "类型", "参学率", "人均学时", "学时合计")
LEADER = "书记/委员"
MEMBER = "党员"
YES = "是"
NO = "否"

# The Markdown summary.
MD_SUMMARY_HEAD = "| 指标 | 数值 | 口径 |"
MD_ORG_HEAD = "| 党组织 | 类型 | 参学/党员 | 参学率 | 学时 | 人均学时 | 学时达标 |"
MD_ORG_LINE = ("| {name} | {kind} | {part}/{members} | {rate} | {hours} | {average} | "
               "{met} |")
MD_TOP_LEARNER = "{n}. {name}（{org}）：{points}分，{hours}学时，优秀心得{featured}篇"
MD_MODEL_LEARNER = "{n}. {name}（{org}）：优秀心得{featured}篇，{points}分"
MD_TOP_ORG = "{n}. {name}：参学率{rate}，人均{average}学时"
MD_LECTURER = "- {name}：宣讲{lectures}场（点单{ordered}场），签到{attendances}人次"
MD_LECTURER_RATING = "，平均评分{rating}"
