"""Chinese texts of the annual report (年度参学报告): labels and how each figure is counted,
the year's other records with their definitions, and the .docx's sentence templates."""

from __future__ import annotations

from content.lecture_texts import HELD_RULE
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
    ("pushes", "学习材料推送次数",
     "年内发出的学习材料推送和群发（次）：推送每次发送（收件人不为零）计1次，群发一篇材料计1次"),
    ("deliveries", "学习材料送达人次",
     "年内首次送达党员的学习材料（人次）：推送、群发、优秀心得选登、提醒卡片均算送达，"
     "同一篇材料对同一党员只计1次，再次发送不重复计"),
    ("covered_members", "材料覆盖党员", "年内首次收到至少一篇学习材料的党员（人，去重）"),
    ("covered_organizations", "材料覆盖党组织", "覆盖党员的主要党组织（个，去重）"),
    ("material_read_count", "阅读人次", "参学记录中“阅读”条数（每人每篇一次）"),
    ("material_read_members", "阅读人数", "有阅读记录的党员（去重）"),
    ("material_completed_count", "读完人次", "参学记录中“读完”条数（每人每篇一次）"),
    ("material_completed_members", "读完人数", "有读完记录的党员（去重）"),
    ("lectures", "举办宣讲场次", "年内开始的已宣讲场次。" + HELD_RULE),
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
TOP_LEARNERS_HOW = "按年内积分从高到低，积分相同按学时；只列在册党员。"
MODEL_LEARNERS_HOW = "年内有优秀心得的在册党员，按优秀心得篇数、再按积分排列。"
TOP_ORGS_HOW = "按年度参学率从高到低，相同按人均学时排列；只列有党员参学的组织。"
LECTURERS_HOW = ("年内开始的已宣讲按讲师统计：场次、点单场次、签到人次（到场）、评单平均分。"
                 + HELD_RULE)
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

# -- The year's other records (report/records.py, report/standing.py) -------------------------
# The candidate lists' titles with their configured length (REPORT_CANDIDATES).
TOP_LEARNERS_TITLE_N = "学习达人候选（积分前{n}名）"
TOP_ORGS_TITLE_N = "先进集体候选（参学率和人均学时前{n}名）"
MODEL_LEARNERS_TITLE_N = "学习标兵候选（优秀心得，前{n}名）"
BRANCHES_TITLE_N = "优秀党支部候选（三会一课和参学率前{n}名）"
BRANCHES_HOW = ("按年内已结束季度三会一课应开会议的召开比例从高到低，"
                "相同按参学率、再按人均学时排列；只列有党员参学的组织。")
BRANCHES_HEADER = ("优秀党支部候选", "党组织", "类型", "三会一课召开比例", "参学率", "人均学时")
MD_BRANCH = "{n}. {name}：三会一课{meetings}，参学率{rate}，人均{average}学时"

RECORDS_SHEET = "年度工作"
QIANGGUO_SHEET = "学习强国"
MEETINGS_SHEET = "三会一课"
RECORDS_TITLE = "{year}年度理论武装和阵地建设工作数据"
RECORDS_HEADER = ("指标", "数值", "定义")
RECORDS_INTRO = ("以下各项由先锋学习助手从系统记录统计，年度按北京时间自然年计算；"
                 "“人次”按记录条数计（一人两次算2人次），“人”按人去重；"
                 "覆盖率的分母为在册党员（状态正常且有所属党组织的党员）。"
                 "活动须年内开始、已到开始时间且未取消才计入。")

# (section, ((figure key, label, definition), ...)), in the order the sheet shows them.
RECORD_SECTIONS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("学习用书", (
        ("book_titles", "发放用书种数", "年内发出（发放日期在年内）的学习用书，按书目去重"),
        ("book_distributions", "发放记录", "年内发出的发放记录条数（一种书发给一个党组织为一条）"),
        ("book_organizations", "发放党组织", "年内收到发放的党组织（家，去重）"),
        ("book_confirmed_organizations", "已签收党组织",
         "其中联络员已确认签收的党组织（家，去重）"),
        ("book_unconfirmed", "未签收发放", "年内发出、尚未确认签收的发放记录条数"),
        ("book_copies", "发放册数", "年内发出的册数之和"),
        ("book_members_given", "联络员报告发到党员",
         "联络员报告的发到党员人数之和（人次：一人收到两种书算2人次；未报告的发放不计）"),
        ("book_members_covered", "学习用书覆盖党员", "已确认签收的党组织的在册党员（人，去重）"),
    )),
    ("宣讲", (
        ("all_lectures", "开展宣讲场次", "年内举办的宣讲场次（含点单宣讲）+ 党委组织宣讲场次"),
        ("all_lecture_attendances", "宣讲参加人次", "宣讲签到人次 + 党委组织宣讲参加人次"),
        ("committee_lectures", "党委组织宣讲场次",
         "党委自己组织（非点单）、年内已举办且未取消的宣讲"),
        ("committee_lecture_checkins", "党委组织宣讲签到人次",
         "这些宣讲的签到记录（到场，不含请假）"),
        ("committee_lecture_guests", "党委组织宣讲名册外听众", "这些宣讲登记的名册外听众人数之和"),
        ("committee_lecture_attendances", "党委组织宣讲参加人次", "签到人次 + 名册外听众"),
        ("orders", "点单数", "年内提交的点单（含尚未举办、已拒绝或已取消的）"),
        ("ordered_lectures", "点单进企业宣讲场次", "年内开始、点单已完成或已评价的点单宣讲"),
        ("ordered_attendances", "点单宣讲受众人次", "点单宣讲的签到记录（到场）"),
        ("live_sessions", "红色直播间宣讲次数", "年内开始、已导入观看名单的直播"),
        ("live_viewers", "红色直播间受众人次", "导入名单的全部行数（含不在名册的观众）"),
    )),
    ("教育片", (
        ("screenings", "组织观看教育片次数", "年内已开始、未取消的教育片观看活动（次）"),
        ("films", "观看教育片部数", "这些观看活动放映的教育片（部，按片目去重）"),
        ("screening_attendances", "观看签到人次", "观看活动的签到记录（到场，不含请假）"),
        ("film_library_members", "资料库观看教育片党员",
         "在册党员中年内在资料库首次打开或看完教育片的人数（人）"),
        ("film_members", "教育片覆盖党员",
         "在册党员中年内参加观看签到或在资料库观看教育片的人数（人，去重）"),
        ("film_coverage", "教育片党员覆盖率", "教育片覆盖党员 / 在册党员"),
    )),
    ("政治生活馆", (
        ("hall_visits", "接待参访场次",
         "已确认、参访时段年内开始且已到时间、活动未取消的预约（场）"),
        ("hall_member_visitors", "党员签到人次", "这些参访的党员签到记录（到场）"),
        ("hall_guests", "名册外来访人次", "这些参访登记的名册外来访人数之和"),
        ("hall_visitors", "接待参访人次", "党员签到人次 + 名册外来访人次"),
        ("hall_booked_size", "预约人数", "这些参访预约时填写的人数之和（仅供对照，不计入人次）"),
    )),
    ("培训班", (
        ("trainings", "举办培训班期数", "年内至少已举办一次课（未取消）的培训班（期）"),
        ("trainings_lecturers", "红色讲师培训班", "其中红色讲师培训班期数"),
        ("trainings_workers", "党务工作者培训班", "其中党务工作者培训班期数"),
        ("trainings_activists", "入党积极分子培训班", "其中入党积极分子培训班期数"),
        ("training_sessions", "培训课次", "年内已举办、未取消的培训课次"),
        ("training_attendances", "培训签到人次", "培训课次的签到记录（到场；只有报名学员能签到）"),
        ("training_attendees", "参训人数", "至少签到一次的学员（人，去重）"),
        ("training_hours", "培训学时合计", "每次签到计该培训班的每课学时，合计"),
        ("lecturers_trained", "培训红色讲师", "红色讲师培训班的参训人数（人，去重）"),
    )),
    ("宣传成果", (
        ("publications", "宣传成果篇数", "年内发表（发表日期在年内）的文章和视频"),
        ("pub_qiangguo_province", "学习强国省级平台", "其中在学习强国省级平台发表的篇数"),
        ("pub_qiangguo_city", "学习强国市级平台", "其中在学习强国市级平台发表的篇数"),
        ("pub_newspaper", "报刊", "其中在报刊发表的篇数"),
        ("pub_website", "网站", "其中在网站发表的篇数"),
        ("pub_tv", "电视台", "其中在电视台播出的篇数"),
        ("pub_outlets", "刊登媒体", "报刊、网站、电视台的媒体名称"),
    )),
    ("评选", (
        ("award_excellent_branch", "优秀党支部", "管理员确定的本年度优秀党支部（家）"),
        ("award_advanced_collective", "学习先进集体", "管理员确定的本年度学习先进集体（家）"),
        ("award_study_star", "学习达人", "管理员确定的本年度学习达人（人）"),
        ("award_study_model", "学习标兵", "管理员确定的本年度学习标兵（人）"),
        ("awards_published", "已公布", "其中已通过群发公布的荣誉数"),
    )),
    ("学习强国", (
        ("qiangguo_weeks", "统计周数", "年内已开始的周（以周一所在年份为准）"),
        ("qiangguo_average", "平均每周自报党员", "每周自报积分的在册党员人数，各周平均（人）"),
        ("qiangguo_average_share", "平均每周自报覆盖率", "平均每周自报党员 / 在册党员"),
        ("qiangguo_reporters", "年内自报过的党员", "在册党员中年内至少自报一周的人数（人）"),
        ("qiangguo_never", "全年未自报党员", "在册党员中年内一周也没有自报的人数（人）"),
        ("qiangguo_never_share", "全年未自报比例", "全年未自报党员 / 在册党员"),
    )),
    ("三会一课、主题活动和讲师队伍", (
        ("meeting_quarters", "三会一课统计季度", "年内已结束的季度数"),
        ("meeting_organizations", "三会一课统计党组织", "有在册党员的党组织（家）"),
        ("meeting_complete", "三会一课全部达标党组织",
         "统计季度内每季度每类应开会议都已召开的党组织（家）"),
        ("campaigns", "主题活动", "活动期间与本年有重叠的主题活动（个），完成情况见下表"),
        ("lecturer_pool", "红色讲师队伍", "目前有讲师身份、状态正常的党员（人）"),
        ("lecturer_batches", "讲师批次", "讲师所属培训批次（批，去重）"),
        ("counted_members", "在册党员", "状态正常且有所属党组织的党员：各覆盖率的分母"),
    )),
)

FILMS_HEADER = ("教育片", "观看次数", "观看签到人次", "资料库观看人数")
TRAININGS_HEADER = ("培训班类型", "期数", "课次", "签到人次", "参训人数", "学时合计")
TRAINING_KIND_NAMES = {"workers": "党务工作者", "activists": "入党积极分子",
                       "lecturers": "红色讲师"}
PUBLICATIONS_HEADER = ("平台", "级别", "篇数", "媒体")
PLATFORM_NAMES = {"qiangguo_province": "学习强国省级平台", "qiangguo_city": "学习强国市级平台",
                  "newspaper": "报刊", "website": "网站", "tv": "电视台"}
LEVEL_NAMES = {"national": "国家级", "province": "省级", "city": "市级", "district": "区级"}
AWARDS_HEADER = ("荣誉", "数量", "已公布", "名单")
AWARD_NAMES = {"excellent_branch": "优秀党支部", "advanced_collective": "学习先进集体",
               "study_star": "学习达人", "study_model": "学习标兵"}
CAMPAIGNS_HEADER = ("主题活动", "开始", "结束", "对象党员", "已完成", "进行中", "未开始", "完成率")
BATCHES_HEADER = ("讲师批次", "人数")
BATCH_NAME = "第{batch}批"
BATCH_UNKNOWN = "未登记批次"
WEEKS_HEADER = ("周（周一）", "自报党员", "在册党员", "自报覆盖率")
MEETINGS_HOW = ("统计年内已结束的季度；每季度每类应开会议按要求次数计（当季多开的不补其他季度），"
                "“已开”为应开会议中已召开的次数。")
MEETINGS_HEADER_HEAD = ("党组织",)
MEETINGS_HEADER_KIND = "{kind}（已开/应开）"
MEETINGS_HEADER_TAIL = ("应开合计", "已开合计", "召开比例", "全部达标")
MEETINGS_CELL = "{held}/{required}"

# The Markdown summary's section of the year's records.
MD_RECORDS_HEAD = "| 指标 | 数值 | 定义 |"
MD_FILM = "- {title}：观看{screenings}次，签到{attendances}人次，资料库观看{library}人"
MD_CAMPAIGN = "- {name}（{start}至{end}）：{done}/{members}人完成（{share}）"

# -- The .docx: the committee's own sentences -------------------------------------------------
DOCX_TITLE = "{year}年度理论武装和阵地建设工作情况"
DOCX_INTRO = "以下数据由先锋学习助手于{time}（北京时间）从系统记录统计。"
DOCX_DEFINITIONS = "数据口径"
DOCX_CAMPAIGNS = "主题活动完成情况："
DOCX_CAMPAIGN = "{name}对象党员{members}人，已完成{done}人（{share}）"
CLAUSE_SEPARATOR = "；"
SENTENCE_END = "。"
FILM_NAMES_SHOWN = 2
# A paragraph is its clauses joined by CLAUSE_SEPARATOR. A clause is left out when a figure it
# is gated on is zero, and a paragraph with no clause left is left out; a figure that is not a
# gate is stated as it is, zero included.
DOCX_PARAGRAPHS: tuple[tuple[tuple[tuple[str, ...], str], ...], ...] = (
    (
        (("book_confirmed_organizations",),
         "学习用书发放覆盖{book_confirmed_organizations}家党组织{book_members_covered}名党员"),
        (("book_unconfirmed",), "另有{book_unconfirmed}份发放尚未确认签收"),
        (("all_lectures",), "开展宣讲{all_lectures}场次，参加{all_lecture_attendances}人次"),
        (("committee_lectures",),
         "其中党委组织宣讲{committee_lectures}场次，参加{committee_lecture_attendances}人次"),
        (("live_sessions",), "红色直播间宣讲{live_sessions}次，受众{live_viewers}人次"),
        (("ordered_lectures",),
         "通过点单进企业宣讲{ordered_lectures}次，受众{ordered_attendances}人次"),
        (("screenings",), "组织观看{film_names}等教育片{screenings}次，党员覆盖率{film_coverage}"),
        (("pub_qiangguo",),
         "学习强国省级平台发布{pub_qiangguo_province}篇，市级平台发布{pub_qiangguo_city}篇"),
        (("pub_media",), "在{pub_outlets}等媒体刊登{pub_media}篇"),
        (("qiangguo_weeks", "counted_members"),
         "学习强国每周自报覆盖率平均{qiangguo_average_share}，"
         "{qiangguo_never_share}的党员全年未自报"),
    ),
    (
        (("hall_visits",), "政治生活馆接待参访{hall_visits}场，{hall_visitors}人次"),
        (("lecturer_trainings",),
         "举办红色讲师培训班{lecturer_trainings}期，培训红色讲师{lecturers_trained}名"),
        (("other_trainings",), "开展党务工作者和入党积极分子培训班{other_trainings}次"),
        (("lecturer_pool",), "红色讲师队伍共{lecturer_pool}人"),
        (("meeting_quarters", "meeting_organizations"),
         "{meeting_complete}家党组织三会一课按要求全部召开（共{meeting_organizations}家，"
         "统计{meeting_quarters}个季度）"),
    ),
    (
        (("award_excellent_branch",), "选树{award_excellent_branch}家优秀党支部"),
        (("award_study_star",), "{award_study_star}名党员为“学习达人”"),
        (("award_advanced_collective",), "评选学习先进集体{award_advanced_collective}家"),
        (("award_study_model",), "学习标兵{award_study_model}人"),
    ),
)

# -- The console: the front page's year so far ------------------------------------------------
DASHBOARD_YEAR_TITLE = "{year}年工作（截至今日）"
DASHBOARD_YEAR_HINT = "各项口径同年度报告（报表页有全部指标和定义）；点数字查看明细。"
DASHBOARD_AWARDS = "评选荣誉"
DASHBOARD_AWARDS_HOW = "管理员确定的本年度荣誉（优秀党支部、先进集体、学习达人、学习标兵）"
