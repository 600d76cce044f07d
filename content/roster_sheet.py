"""The roster spreadsheet in Chinese: column headers, cell words, problems and reports."""

from __future__ import annotations

# Column key (what the code says) → header (what admins see), in export order.
HEADERS: dict[str, str] = {
    "name": "姓名",
    "userid": "企业微信账号",
    "organization": "所在党组织",
    "kind": "党组织类型",
    "roles": "角色",
    "batch": "讲师批次",
    "specialties": "讲师专长",
    "position": "职务",
    "status": "状态",
}

# Organisation kind: the words accepted on import, and the one word written on export.
KIND_WORDS: dict[str, str] = {
    "外企": "foreign", "外资": "foreign",
    "民企": "private", "私企": "private", "民营": "private",
    "国企": "state",
    "其他": "other",
}
KIND_NAMES: dict[str, str] = {"foreign": "外企", "private": "民企", "state": "国企",
                              "other": "其他"}

# Role words; "member" means plain membership, nothing to grant.
ROLE_WORDS: dict[str, str] = {
    "党员": "member",
    "书记": "contact", "联络员": "contact", "书记/联络员": "contact",
    "讲师": "lecturer", "红色讲师": "lecturer",
    "管理员": "admin",
}
ROLE_NAMES: dict[str, str] = {"member": "党员", "contact": "书记/联络员", "lecturer": "讲师",
                              "admin": "管理员"}
ROLE_JOINER = "、"

STATUS_NAMES: dict[str, str] = {"active": "在册", "disabled": "停用", "left": "离开"}

# Problems. A problem in a cell reads "第5行「所在党组织」：找不到党组织“XX党支部”".
CELL_PROBLEM = "第{row}行「{column}」：{message}"
ROW_PROBLEM = "第{row}行：{message}"

WRONG_TYPE = ("文件类型不对：只能导入 .xlsx 或 .csv 文件，“{name}”不是。"
              "旧版 .xls 请在 Excel 中另存为 .xlsx。")
NOT_FOUND = "找不到文件“{name}”"
UNREADABLE_XLSX = "无法读取“{name}”：不是有效的 .xlsx 文件，或文件已损坏"
UNREADABLE_CSV = "无法读取“{name}”：{reason}"
CSV_ENCODING = "文字编码无法识别，请用 UTF-8 或 GB18030（Excel 的“CSV”）保存"
EMPTY_FILE = "文件“{name}”是空的，找不到表头"
HEADER_MISSING = "表头（第{row}行）缺少「{column}」列"
HEADER_TWICE = "表头（第{row}行）中「{column}」出现了不止一次"

EMPTY_NAME = "姓名不能为空"
TOO_LONG = "内容过长，最多{limit}个字"
EMPTY_USERID = "企业微信账号不能为空"
BAD_USERID = "企业微信账号“{value}”无效：须为1至64个字符，且不能含空格"
DUPLICATE_USERID = "企业微信账号“{value}”在第{first}行和第{row}行重复出现"
UNKNOWN_ORG = "找不到党组织“{value}”（党组织须先从企业微信同步，名称须完全一致）"
AMBIGUOUS_ORG = "有{count}个党组织都叫“{value}”，无法确定是哪一个"
NEW_MEMBER_NEEDS_ORG = "新党员须填写所在党组织"
CONTACT_NEEDS_ORG = "书记/联络员须填写所在党组织"
KIND_NEEDS_ORG = "没有填写所在党组织，无法设置党组织类型"
UNKNOWN_KIND = "党组织类型“{value}”无法识别，可填：外企、民企、国企、其他"
KIND_CONFLICT = ("党组织“{org}”在第{first}行填的是“{first_kind}”，第{row}行填的是“{kind}”，"
                 "同一党组织只能有一种类型")
UNKNOWN_ROLE = ("角色“{value}”无法识别，可填：党员、书记、联络员、讲师、管理员"
                "（多个角色用顿号、逗号或空格分隔）")
BAD_BATCH = "讲师批次“{value}”须为正整数（1至{limit}）"
BATCH_WITHOUT_LECTURER = "填写了讲师批次，但角色中没有“讲师”"
SPECIALTIES_WITHOUT_LECTURER = "填写了讲师专长，但角色中没有“讲师”"

PROBLEMS_SUMMARY = "文件有{count}处问题，未导入任何数据。请修改后重新导入。"

# What an import does (or, in a dry run, would do).
SECTION_ADDED = "新增党员（{count}人）："
SECTION_UPDATED = "更新党员（{count}人）："
SECTION_GRANTED = "授予角色（{count}个）："
SECTION_REVOKED = "撤销角色（{count}个）："
SECTION_KINDS = "设置党组织类型（{count}个）："
EXAMPLE_LINE = "  {text}"
MORE_LINES = "  ……另有{count}条"

MEMBER_LINE = "第{row}行 {name}（{userid}）：{text}"
KIND_LINE = "{org}：{old} → {new}"

CHANGE_NAME = "姓名 {old} → {new}"
CHANGE_POSITION = "职务 {old} → {new}"
CHANGE_ORG = "加入党组织“{org}”"
CHANGE_MAIN_ORG = "所在党组织设为“{org}”"
CHANGE_ROLES = "角色 {old} → {new}"
CHANGE_LECTURER = "讲师信息 → {detail}"
CHANGE_JOINER = "；"
ROLE_WITH_DETAIL = "{role}（{detail}）"
LECTURER_BATCH = "第{batch}批"
LECTURER_SPECIALTIES = "专长：{specialties}"
DETAIL_JOINER = "，"
EMPTY_VALUE = "（空）"

COUNTS = ("新增{added}人，更新{updated}人，未变{unchanged}人，授予角色{granted}个，"
          "撤销角色{revoked}个，设置党组织类型{kinds}个")
DRY_RUN_SUMMARY = "试运行（未写入任何数据）：共{rows}行，" + COUNTS + "。"
IMPORT_SUMMARY = "导入完成：共{rows}行，" + COUNTS + "。"
EXPORT_WRONG_TYPE = "导出文件名须以 .xlsx 结尾，“{name}”不是"
EXPORT_FAILED = "无法写入“{name}”：请检查文件夹是否存在、文件是否正被 Excel 打开"
EXPORT_SUMMARY = "已导出{count}名党员到“{name}”。"
