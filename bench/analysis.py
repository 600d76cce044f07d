"""研判 benchmark: the analysis job over a year of 6,000 members' texts (about 100,000) on
PostgreSQL.

    .venv/bin/python -m bench.analysis [--reuse] [--texts 100000] [--ledger 300000]

Seeds `pioneer_bench_analysis` with bench/ledger_seed.py's committee (300 organisations, four
kinds in turn, 6,000 members, `--ledger` ledger rows, a year of weekly pushes delivered to
every active member), then replaces its placeholder reflections with `--texts` synthetic ones
(nine in ten; the rest questions to the question box) written over 2026: Chinese sentences
drawn from a vocabulary, with a planted theme per quarter and one per kind of enterprise, a
few holding a watch-list term; 20 watch terms with variants. Then it times the analysis job
(`analysis.jobs.analysis_job`, as the worker runs it: build, progress commits, the watch
scan) for the year 2026 (all the texts; the year before has none) and for its fourth
quarter (against the third), and prints the top themes so the planted ones can be seen on
top. The issue's target is under 60 s for the year; nothing asserts a time.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy import text

import clock
from analysis.jobs import analysis_job, start
from analysis.scope import period_spec
from analysis.watch import normal
from bench.common import bench_app, machine_line
from bench.ledger_seed import REDIS_URL, prepare
from models import Analysis, WatchTerm, db

DB_NAME = "pioneer_bench_analysis"
YEAR = 2026
NOW = datetime(2026, 12, 31, 8, 0, tzinfo=UTC)
START = datetime(2025, 12, 31, 16, 0, tzinfo=UTC)  # 1 January 2026, 00:00 in Shanghai
QUARTER_THEMES = (("党史学习", "理想信念"), ("安全生产", "作风建设"), ("乡村振兴", "志愿服务"),
                  ("新质生产力", "数字化转型"))
KIND_THEMES = {"foreign": "营商环境", "private": "共同富裕", "state": "高质量发展",
               "other": "基层治理"}
KINDS = ("foreign", "private", "state", "other")  # ledger_seed's kinds: org g is KINDS[g % 4]
OPENERS = ("通过这次学习", "参加支部组织的集中学习后", "这个月", "结合本职工作", "在主题党日活动中",
           "听了宣讲团的报告", "读了推送的学习材料", "和同事们交流后", "会后", "回到岗位上",
           "这段时间", "前几天", "最近", "上周", "在班前会上", "参观展馆后", "看了纪录片以后",
           "培训结束后", "对照原文", "在党员大会上")
SUBJECTS = ("我", "大家", "青年党员", "老党员", "班组长", "研发人员", "党小组长", "新同事",
            "车间主任", "质检员", "技术骨干", "销售人员", "财务人员", "支部委员", "工会干部",
            "项目经理", "一线职工", "退休党员", "团员青年", "入党积极分子")
VERBS = ("认识到", "体会到", "讨论了", "思考了", "交流了", "总结了", "梳理了", "谈到了", "关心",
         "重视", "研究了", "分析了", "改进了", "落实了", "提出了", "注意到", "反映了", "比较了",
         "坚持", "完善了", "推广了", "整理了", "学习了", "分享了", "琢磨", "检查了", "优化了",
         "摸索了", "请教了", "回顾了")
NOUNS = ("岗位职责", "团队协作", "服务意识", "技术攻关", "质量管理", "成本控制", "客户服务",
         "设备维护", "节能减排", "班组管理", "工艺改进", "产品交付", "市场开拓", "人才梯队",
         "安全培训", "现场管理", "流程再造", "精益生产", "库存周转", "供应商管理", "研发投入",
         "专利申请", "标准化作业", "绩效考核", "职业规划", "师带徒", "岗位练兵", "劳动竞赛",
         "合理化建议", "技能比武", "文明生产", "厂务公开", "职工食堂", "通勤班车", "宿舍管理",
         "夜班值守", "交接班", "应急演练", "消防检查", "环保验收", "订单排产", "物流配送",
         "售后回访", "品牌建设", "对外合作", "出口订单", "汇率波动", "原材料涨价", "能耗指标",
         "数据安全", "信息系统", "办公自动化", "会议纪要", "档案整理", "财务报销", "预算编制",
         "采购流程", "招投标", "合同审核", "法律风险", "知识产权", "企业年金", "带薪休假",
         "困难帮扶", "结对共建", "社区服务", "义务献血", "植树活动", "读书分享", "红色观影",
         "党员示范岗", "先锋队", "突击队", "责任区", "承诺践诺", "亮身份", "微心愿", "谈心谈话",
         "家访慰问", "廉洁提醒")
CLOSERS = ("今后要把学到的用在实处", "我们会继续坚持下去", "还要在实践中不断检验",
           "希望支部多组织这样的活动", "感到责任更重了", "要从身边的小事做起", "收获很大",
           "受益匪浅", "明年争取做得更好", "一起加油", "任重道远", "还需下功夫")
PLANTED = ("特别是{}方面的要求让我印象深刻", "关于{}大家谈了很多", "我对{}有了新的理解",
           "讨论中{}是焦点", "支部把{}列为下阶段重点", "{}这个话题引起共鸣", "有人专门讲了{}",
           "围绕{}提了几条建议", "{}写进了支部计划", "书记点评了{}", "{}离不开每个人",
           "会上对照{}查找不足", "{}让人很受启发", "不少人问起{}", "把{}落到岗位上",
           "{}还有很多可做")
QUESTIONS = ("{topic}怎么办理？", "请问{topic}需要哪些材料？", "{topic}有没有时间要求？",
             "{topic}找谁联系？")
QUESTION_TOPICS = ("组织关系转接", "党费收缴", "入党积极分子培养", "预备党员转正", "组织生活会",
                   "民主评议")
WATCH = (("欠薪", ("拖欠工资", "工资拖欠")), ("裁员", ("减员", "辞退")), ("上访", ("信访",)),
         *((f"关注词{i}", (f"关注变体{i}",)) for i in range(17)))


def _sentence(rng: random.Random) -> str:
    """One sentence: sometimes who, what they did, about what."""
    who = rng.choice(SUBJECTS) if rng.random() < 0.3 else ""
    return who + rng.choice(VERBS) + rng.choice(NOUNS) + "方面的情况"


def reflection_text(rng: random.Random, quarter: int, kind: str) -> str:
    """A reflection: an opener, a few sentences, the planted themes now and then, a closer."""
    parts = [rng.choice(OPENERS) + "，" + _sentence(rng)]
    parts += [_sentence(rng) for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.5:
        first, second = QUARTER_THEMES[quarter]
        planted = first if rng.random() < 0.7 else second
        parts.insert(rng.randint(1, len(parts)), rng.choice(PLANTED).format(planted))
    if rng.random() < 0.4:
        parts.insert(rng.randint(1, len(parts)), rng.choice(PLANTED).format(KIND_THEMES[kind]))
    if rng.random() < 0.002:
        term, variants = rng.choice(WATCH[:3])
        parts.append("听说有的厂" + rng.choice((term, *variants)))
    closer = rng.choice(CLOSERS) + "。" if rng.random() < 0.5 else ""
    return "。".join(parts) + "。" + closer


def seed_texts(url: str, count: int, seed: int = 26) -> tuple[int, int]:
    """Replace the placeholder reflections with `count` texts over the year; (reflections,
    questions) written."""
    rng = random.Random(seed)
    seconds = int((NOW - START).total_seconds())
    reflections = questions = 0
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM reflections")
        members = [row[0] for row in conn.execute(
            "SELECT id FROM members WHERE status = 'active' ORDER BY id")]
        main = dict(conn.execute("SELECT member_id, organization_id FROM memberships"
                                 " WHERE is_main").fetchall())
        with conn.cursor() as cursor:
            with cursor.copy("COPY reflections (member_id, subject_kind, subject_title, text, "
                             "word_count, image_count, status, consent_public, featured, "
                             "created_at, updated_at, submitted_at) FROM STDIN") as copy:
                for _ in range(count * 9 // 10):
                    member = rng.choice(members)
                    at = START + timedelta(seconds=rng.randrange(seconds))
                    quarter = clock.quarter_number(at)[1] - 1
                    body = reflection_text(rng, quarter, KINDS[main[member] % 4])
                    copy.write_row((member, "free", "学习体会", body, len(body), 0, "submitted",
                                    False, False, at, at, at))
                    reflections += 1
            with cursor.copy("COPY questions (member_id, organization_id, text, asked_at, "
                             "status, published) FROM STDIN") as copy:
                for index in range(count - reflections):
                    member = rng.choice(members)
                    at = START + timedelta(seconds=rng.randrange(seconds))
                    body = rng.choice(QUESTIONS).format(topic=rng.choice(QUESTION_TOPICS))
                    copy.write_row((member, main[member], body, at,
                                    "answered" if index % 3 else "open", False))
                    questions += 1
        conn.commit()
    return reflections, questions


def run_job(unit: str, number: int) -> tuple[float, dict[str, object]]:
    """Start and run one analysis job as the worker would; (seconds, result)."""
    row = start(period_spec(unit, YEAR, number), {"kind": "all", "values": []}, 4, "bench",
                NOW)
    db.session.commit()
    began = time.perf_counter()
    analysis_job(row.id)
    seconds = time.perf_counter() - began
    done = db.session.get(Analysis, row.id)
    assert done is not None and done.status == "done", done.error if done else "missing"
    return seconds, dict(done.result or {})


def main(argv: list[str] | None = None) -> None:
    """Seed (unless --reuse), time the year's and the fourth quarter's analysis, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="use the seeded database as is")
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--ledger", type=int, default=300_000)
    args = parser.parse_args(argv)
    url = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
    if not args.reuse:
        url = prepare(DB_NAME, args.ledger, YEAR)
        began = time.perf_counter()
        written = seed_texts(url, args.texts)
        print(f"texts: {written[0]:,} reflections, {written[1]:,} questions in "
              f"{time.perf_counter() - began:.1f} s")
    app = bench_app("http://127.0.0.1:9/cgi-bin", url, REDIS_URL, RQ_INLINE=True)
    with app.app_context():
        db.session.execute(text("DELETE FROM watch_hits"))
        db.session.execute(text("DELETE FROM watch_terms"))
        db.session.execute(text("DELETE FROM analyses"))
        for term, variants in WATCH:
            db.session.add(WatchTerm(term=term, normal=normal(term), variants=list(variants),
                                     created_by="bench", created_at=NOW))
        db.session.commit()
        year_s, year = run_job("year", 1)
        quarter_s, quarter = run_job("quarter", 4)
    print(machine_line("研判 benchmark"))
    for label, seconds, result in (("year 2026", year_s, year), ("Q4 2026", quarter_s, quarter)):
        texts: dict[str, int] = result["texts"]  # type: ignore[assignment]
        themes: list[dict[str, object]] = result["themes"]  # type: ignore[assignment]
        print(f"{label}: analysis job {seconds:.2f} s (build {result['seconds']} s) over "
              f"{texts['total']:,} texts ({texts['reflections']:,} reflections, "
              f"{texts['questions']:,} questions; previous period {texts['previous_total']:,});"
              f" watch hits new {result['watch']}")  # type: ignore[index]
        print("  top themes: " + "、".join(f"{t['word']} {t['share']}%" for t in themes[:10]))
    print(f"target: the year's analysis under 60 s — {'met' if year_s < 60 else 'missed'}")


if __name__ == "__main__":
    main()
