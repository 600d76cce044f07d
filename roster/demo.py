"""A realistic demo committee, generated reproducibly: the same one in WeCom and in the roster.

Five named people (张伟, 李娜, 王芳, 刘洋, 陈静) are always there, so the demo and the tests can
talk about them; everyone else is generated from a fixed seed. The sandbox puts the same
committee into its fake WeCom contacts (sandbox/seed.py); the roster never imports the sandbox.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field

import clock
from models import OrgKind, db
from roster.manage import grant_role
from roster.members import (
    DepartmentRecord,
    MemberRecord,
    apply_department,
    apply_record,
    members_by_userid,
    organizations_by_dept,
)

COMMITTEE = "高新区企业党委"
COMMITTEE_DEPT = 1
SEED = 2026

PLACES = ("华芯", "锡东", "新吴", "太湖", "梁溪", "蠡园", "鸿山", "旺庄", "硕放", "梅村", "江溪",
          "新安", "长江", "运河", "惠山", "金城", "春潮", "清源", "旭日", "凯达", "博远", "恒信")
TRADES = ("微电子", "精密机械", "物流", "生物医药", "新材料", "汽车零部件", "光伏科技", "软件",
          "半导体", "智能装备", "电子元件", "化工", "纺织", "医疗器械", "环保科技", "检测认证")
SUFFIX = {OrgKind.FOREIGN: "（无锡）有限公司", OrgKind.PRIVATE: "股份有限公司",
          OrgKind.STATE: "集团有限公司", OrgKind.OTHER: "服务中心"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "海燕", "志强", "文博",
         "思远", "雨萱", "子涵", "浩然", "欣怡", "宇航", "佳怡", "俊杰", "梓萱", "一鸣", "诗涵")
POSITIONS = ("工程师", "技术员", "质检员", "生产主管", "财务", "人事专员", "销售经理", "研发工程师",
             "车间主任", "采购", "行政", "项目经理")
SPECIALTIES = ("党史", "理论", "二十大精神", "党纪党规", "企业党建", "先进典型")


@dataclass(frozen=True)
class DemoOrg:
    """One organisation (a WeCom department)."""

    dept_id: int
    name: str
    kind: str
    enterprise: str = ""
    parent_dept: int | None = COMMITTEE_DEPT


@dataclass(frozen=True)
class DemoPerson:
    """One member, with the roles the committee's spreadsheets give them."""

    userid: str
    name: str
    dept_id: int
    position: str = ""
    roles: tuple[str, ...] = ()
    batch: int | None = None
    specialties: str | None = None


@dataclass
class Committee:
    """A whole demo committee."""

    orgs: list[DemoOrg] = field(default_factory=list)
    people: list[DemoPerson] = field(default_factory=list)


NAMED_ORGS = (
    DemoOrg(COMMITTEE_DEPT, COMMITTEE, OrgKind.OTHER, parent_dept=None),
    DemoOrg(2, "华芯微电子党支部", OrgKind.FOREIGN, "华芯微电子（无锡）有限公司"),
    DemoOrg(3, "锡东精密机械党支部", OrgKind.PRIVATE, "锡东精密机械股份有限公司"),
    DemoOrg(4, "新吴物流党支部", OrgKind.PRIVATE, "新吴物流股份有限公司"),
)
NAMED_PEOPLE = (
    DemoPerson("zhangwei", "张伟", 2, "工程师"),
    DemoPerson("lina", "李娜", 2, "党支部书记", ("contact",)),
    DemoPerson("wangfang", "王芳", 3, "质检员"),
    DemoPerson("liuyang", "刘洋", 4, "调度主管", ("lecturer",), 1, "党史、企业党建"),
    DemoPerson("chenjing", "陈静", COMMITTEE_DEPT, "党委专职副书记", ("admin",)),
)
DEFAULT_KINDS = {OrgKind.FOREIGN: 30, OrgKind.PRIVATE: 30, OrgKind.STATE: 24, OrgKind.OTHER: 24}


def generate(kinds: dict[str, int] | None = None, members: int = 500,
             seed: int = SEED) -> Committee:
    """The committee: the named part plus `kinds` organisations, `members` people in all."""
    rng = random.Random(seed)
    committee = Committee(list(NAMED_ORGS), list(NAMED_PEOPLE))
    used = {o.name for o in committee.orgs}
    dept_id = max(o.dept_id for o in committee.orgs)
    for kind, count in (kinds or DEFAULT_KINDS).items():
        for _ in range(count):
            dept_id += 1
            short = rng.choice(PLACES) + rng.choice(TRADES)
            if f"{short}党支部" in used:  # 22 places x 16 trades: repeats get a number
                short += str(dept_id)
            name = f"{short}党支部"
            used.add(name)
            committee.orgs.append(DemoOrg(dept_id, name, kind, short + SUFFIX[kind]))
    branches = [o for o in committee.orgs if o.dept_id != COMMITTEE_DEPT]
    admins = 2
    for index in range(max(members - len(NAMED_PEOPLE) - admins, 0)):
        org = branches[index % len(branches)] if index < len(branches) else rng.choice(branches)
        roles: tuple[str, ...] = ()
        batch = specialties = None
        position = rng.choice(POSITIONS)
        if index < len(branches):
            roles, position = ("contact",), "党支部书记"
        elif rng.random() < 0.06:
            roles, batch = ("lecturer",), rng.choice((1, 2))
            specialties = "、".join(rng.sample(SPECIALTIES, 2))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        committee.people.append(DemoPerson(f"dy{index + 1:05d}", name, org.dept_id, position,
                                           roles, batch, specialties))
    for number in range(1, admins + 1):
        committee.people.append(DemoPerson(f"admin{number}", rng.choice(SURNAMES) + "干事",
                                           COMMITTEE_DEPT, "党委干事", ("admin",)))
    return committee


def seed_roster(committee: Committee) -> int:
    """Write the committee into the roster (idempotent, the sync's own code path)."""
    orgs = organizations_by_dept()
    for org in committee.orgs:
        apply_department(DepartmentRecord(org.dept_id, org.name, org.parent_dept), orgs)
        db.session.flush()
    for org in committee.orgs:
        orgs[org.dept_id].kind = org.kind
        orgs[org.dept_id].enterprise_name = org.enterprise or None
    today = clock.today()
    existing = members_by_userid()
    for person in committee.people:
        record = MemberRecord(person.userid, person.name, [person.dept_id], person.dept_id,
                              person.position or None)
        member, _ = apply_record(record, existing.get(person.userid), orgs, today)
        for role in person.roles:
            grant_role(member, role, orgs[person.dept_id], batch=person.batch,
                       specialties=person.specialties)
    db.session.commit()
    return len(committee.people)


@functools.cache
def demo_committee() -> Committee:
    """The demo committee (generated once per process)."""
    return generate()


def seed_demo() -> int:
    """Write the demo committee into the roster; returns the number of people."""
    return seed_roster(demo_committee())


def named_committee() -> Committee:
    """Only the named part: the committee, three branches and five people (for tests)."""
    return Committee(list(NAMED_ORGS), list(NAMED_PEOPLE))
