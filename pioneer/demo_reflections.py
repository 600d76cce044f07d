"""The demo's reflections (心得): varied, plausible texts composed from fragments, and the
reviews the demo's reviewer gave some of them.

A text is an opening, one or two points about the material (naming it by its title, once
quoted), sometimes a word about the member's own work, and a commitment fitting their post;
each part drawn from dozens of fragments with the caller's seeded random.Random, so the same
demo gives the same texts and hundreds of members do not repeat each other.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from content.titles import quoted
from models import Material, Member, Reflection
from reflections.review import ReviewError, review

OPENINGS = (  # any material
    "这次认真学习了{title}，收获很大。", "学习{title}，让我重新思考了自己的工作。",
    "这几天断断续续把{title}学完了。", "和车间的同事一起学习了{title}。",
    "这是我第二次学习{title}，体会比第一次更深。", "按照支部的安排学习了{title}。",
    "学习{title}之前，我对这方面了解不多。", "这次学习{title}，印象最深的是其中的几个细节。",
    "{title}让我想起了入党时的初心。", "结合近期工作，我学习了{title}。",
    "作为一名老党员，学习{title}依然很有启发。",
    "作为入党不久的年轻党员，{title}给我上了生动的一课。",
    "学习{title}后，我和爱人也聊了很久。", "通过学习{title}，我对党的要求理解得更具体了。",
    "在“先锋学习助手”上学习了{title}。", "这一期推送的{title}很及时。",
    "今天学习了{title}，做一点简短的记录。", "趁着出差路上的时间学习了{title}。",
    "学完{title}，最大的感受是“实干”两个字。", "支部书记推荐大家学习{title}，我也认真学了。",
)
READ_OPENINGS = (  # articles, speeches, book chapters
    "利用午休时间读完了{title}，感触很深。", "支部组织学习{title}后，我又自己读了一遍。",
    "读了{title}，很多话说到了心坎上。", "下班路上用手机读完了{title}。",
    "{title}篇幅不长，但内容很扎实。", "周末在家把{title}认真读了一遍，还做了笔记。",
    "读完{title}，心里久久不能平静。", "说实话，刚开始读{title}时没太在意，读下去才发现很有分量。",
    "认真研读了{title}。", "{title}我读了两遍，第二遍读得更慢一些。",
)
WATCH_OPENINGS = (  # films, replays, micro-lessons
    "和支部党员一起观看了{title}，很受教育。", "看完{title}，心里久久不能平静。",
    "利用午休时间看了{title}，感触很深。", "{title}时间不长，但讲得很透。",
    "周末和家人一起看了{title}。", "{title}我看了两遍，第二遍边看边记。",
    "观看{title}时，好几处让我眼眶发热。", "下班后在手机上看完了{title}。",
)
WATCHED = ("film", "live_replay", "micro_lesson")
VERB_TITLES = ("学习", "走近", "读懂", "用好")  # titles that begin with a verb of their own
POINTS = (
    "其中讲到的艰苦奋斗精神，放在今天一点也不过时。", "对理想信念的阐述很透彻，让我更加坚定。",
    "其中关于为民服务的论述，让我想到身边很多默默付出的同事。",
    "其中提到的纪律要求，是每个党员都要时刻对照的镜子。",
    "我特别认同“打铁还需自身硬”这句话。", "里面的数据和事例很有说服力，比空讲道理更打动人。",
"它把大道理讲成了身边事，很好理解。",
    "对高质量发展的要求讲得很清楚，和我们企业的转型方向是一致的。",
    "关于科技自立自强的部分，对我们做研发的触动最大。",
    "其中讲到的安全生产责任，和我们每天的工作息息相关。",
    "其中强调的担当精神，让我反思自己遇到难题时是否退缩过。",
    "学习中我体会到，党员的先进性要体现在平常的细节里。", "它提醒我，廉洁自律没有小事。",
    "里面对作风建设的要求，值得我们对照检查。", "讲到群众路线的部分，让我想到我们对客户的服务。",
    "里面的几个典型人物，都是在平凡岗位上做出不平凡的事。",
    "我把其中几段话抄在了笔记本上，准备在党小组会上和大家交流。",
    "这让我更加理解了坚持党的领导对企业发展的意义。",
    "读后最深的体会是：初心不是口号，而是日复一日的坚守。",
    "其中关于团结协作的内容，对我们跨部门的项目很有帮助。",
    "其中讲的“功成不必在我”，我理解得更深了一层。",
    "它让我认识到学习不能只停留在读过，更要用起来。",
    "对新时代党员标准的阐述，给了我一个清楚的对照。",
    "里面讲到的创新精神，正是我们车间现在最需要的。",
)
TOPICAL = (  # points that fit some materials only, by a pattern of their slugs
    (r"minying", ("对民营经济的定位让我们企业的党员很受鼓舞。",
                  "讲到民营企业要讲正气、走正道，我们民企党员更要带好头。")),
    (r"dangshi|lishi|hongchuan|1921|gemingzhe|jiandang|kangzhan", (
        "党史上的这段经历，我以前只知道个大概，这次才弄清来龙去脉。",
        "先辈们在那么艰难的条件下都没有放弃，我们更没有理由松懈。",
        "革命先烈的牺牲让我明白，今天的好日子来之不易。")),
    (r"jilv|baxiang|dangzhang|dangfei|quanli", (
        "对照其中的要求，我发现自己在一些小事上还不够严格。",
        "纪律和规矩不是束缚，而是对党员的保护。")),
    (r"shoudaoren", ("讲到王继才夫妇守岛三十二年的故事时，我几次停下来。",
                     "一辈子守好一个岛，让我想到守好自己的岗位也是一种坚守。")),
    (r"xiandaihua|sanzhong|ershida|zhengfu|changwei", (
        "关于高质量发展的部署，和我们企业的转型升级方向高度一致。",
        "中国式现代化的几个特征，我结合企业的发展又想了一遍。")),
    (r"tuopin", ("脱贫攻坚中那些扎根基层的干部，让我很受感动。",)),
    (r"sanhui|xinde|qiangguo", ("里面讲的方法很实用，我们支部马上就能用上。",)),
)
OWN_WORK = (
    "最近我们部门在赶一个交付节点，大家压力都很大。", "我们车间今年新上了两条产线，问题不少。",
    "前段时间我负责的项目遇到了技术瓶颈。", "平时工作忙，学习经常被挤掉。",
    "我所在的岗位直接面对客户，常常会遇到不理解的情况。", "年底了，各项工作都在收尾。",
    "这段时间公司在推进降本增效。", "我们支部的党员大多是一线技术骨干。",
    "今年我第一次带新人。", "我们团队里年轻人多，想法活跃。",
    "前不久公司接受了一次质量审核。", "最近在准备下一年度的预算和计划。",
)
COMMITMENTS = {
    "工程师": ("今后要在技术攻关中冲在前面，把难题当课题。", "我要把图纸上的每一个细节做扎实。"),
    "技术员": ("我要在工艺改进上多下功夫，带头解决现场问题。",),
    "质检员": ("我要守好质量关，不放过任何一个隐患。", "质量无小事，我会把每一次检验都做细。"),
    "生产主管": ("我要带好班组，安全生产和效率两手抓。",),
    "财务": ("我要严守财经纪律，把每一笔账管清楚。",),
    "人事专员": ("我要把关心关爱员工落到实处，多听一线的声音。",),
    "销售经理": ("我要诚信经营，用优质服务赢得客户。",),
    "研发工程师": ("我要在关键技术上多攻关，争取早日突破卡脖子环节。",),
    "车间主任": ("我要当好车间的带头人，关心每一位职工。",),
    "采购": ("我要坚持阳光采购，守住廉洁底线。",),
    "行政": ("我要把服务保障做细做实，为大家解决实际困难。",),
    "项目经理": ("我要带领团队按期保质完成项目，遇到困难第一个站出来。",),
    "党支部书记": ("我要把支部的学习组织好，让每名党员都有收获。",
                  "我要带头学、带头做，把支部建成坚强战斗堡垒。"),
}
GENERAL_COMMITMENTS = (
    "我会把学到的转化为干好本职工作的实际行动。", "今后要在本职岗位上发挥党员的先锋模范作用。",
    "我要坚持每天学一点，真正做到学思用贯通。", "我会带动身边的同事一起学习、一起进步。",
    "我要以更高的标准要求自己，不辜负党员这个称号。", "接下来我会把这些体会用到工作中去。",
    "我要少说多做，用实绩说话。", "今后遇到急难险重任务，我要主动请缨。",
    "我要坚持学用结合，在解决实际问题中检验学习成效。", "我会把这次的收获分享到党小组里。",
)
PRAISE = ("写得实在，结合了岗位实际。", "体会真切，值得大家学习。", "有思考、有行动，很好。",
          "联系工作谈体会，写得具体。")
RETURN_COMMENTS = ("心得内容与材料关系不大，请结合所学材料重新谈谈体会。",
                   "篇幅偏短，请结合本职工作再具体写一写。")


def compose(rng: random.Random, material: Material, position: str | None) -> str:
    """One plausible reflection on the material (named by its title; read or watched, as its
    kind is) by a member in `position`."""
    medium = WATCH_OPENINGS if material.kind in WATCHED else READ_OPENINGS
    name = material.title.strip()  # "学习…《…》" after 学习了 reads twice: set it off in “”
    name = f"“{name}”" if name.startswith(VERB_TITLES) else quoted(name)
    parts = [rng.choice(OPENINGS + medium).format(title=name)]
    topical = [p for pattern, points in TOPICAL if re.search(pattern, material.slug)
               for p in points]
    if topical and rng.random() < 0.7:
        parts.append(rng.choice(topical))
    parts += rng.sample(POINTS, rng.choice((1, 1, 2, 2, 3)) - (len(parts) > 1))
    if rng.random() < 0.4:
        parts.append(rng.choice(OWN_WORK))
    own = COMMITMENTS.get(position or "", ())
    choices = own + GENERAL_COMMITMENTS if own and rng.random() < 0.6 else GENERAL_COMMITMENTS
    parts.append(rng.choice(choices))
    if rng.random() < 0.25:
        parts.append(rng.choice([c for c in GENERAL_COMMITMENTS if c not in parts]))
    return "".join(parts)


def review_some(rng: random.Random, reflections: list[Reflection], reviewer: Member | None,
                now: datetime) -> int:
    """The reviewer's verdicts: about a third passed, one in twelve featured, and two
    returned with a comment (the newest stay waiting for review); how many were reviewed."""
    if reviewer is None:
        return 0
    waiting = sorted((r for r in reflections if r.member_id != reviewer.id
                      and (r.submitted_at or r.created_at) <= now - timedelta(days=3)),
                     key=lambda r: (r.submitted_at or r.created_at, r.id))
    chosen = rng.sample(waiting, min(len(RETURN_COMMENTS), len(waiting)))
    returned = {r.id: comment for r, comment in zip(chosen, RETURN_COMMENTS, strict=False)}
    done = 0
    for reflection in waiting:
        draw = rng.random()
        verdict, comment = ("return", returned[reflection.id]) if reflection.id in returned \
            else ("feature", rng.choice(PRAISE)) if draw < 0.08 \
            else ("pass", rng.choice(PRAISE) if draw < 0.15 else None) if draw < 0.4 \
            else (None, None)
        if verdict is None:
            continue
        at = (reflection.submitted_at or reflection.created_at) + timedelta(
            days=rng.randint(1, 3))
        try:
            review(reviewer.userid, reviewer, reflection, verdict, comment, at)
        except ReviewError:
            continue
        done += 1
    return done
