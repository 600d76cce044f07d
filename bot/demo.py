"""Demo data: a small committee to chat with, in the database and in the sandbox's contacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from models import OrgKind, db
from roster.manage import add_member, ensure_organization

if TYPE_CHECKING:
    from bot.sandbox.state import SandboxState


@dataclass(frozen=True)
class DemoMember:
    """One demo person."""

    userid: str
    name: str
    org: str
    roles: tuple[str, ...] = ()
    position: str = ""


COMMITTEE = "高新区企业党委"
ORGS: tuple[tuple[str, str, int], ...] = (
    # name, kind, WeCom department id (the committee itself is department 1)
    (COMMITTEE, OrgKind.OTHER, 1),
    ("华芯微电子党支部", OrgKind.FOREIGN, 2),
    ("锡东精密机械党支部", OrgKind.PRIVATE, 3),
    ("新吴物流党支部", OrgKind.PRIVATE, 4),
)
MEMBERS: tuple[DemoMember, ...] = (
    DemoMember("zhangwei", "张伟", "华芯微电子党支部", position="工程师"),
    DemoMember("lina", "李娜", "华芯微电子党支部", ("contact",), "党支部书记"),
    DemoMember("wangfang", "王芳", "锡东精密机械党支部", position="质检员"),
    DemoMember("liuyang", "刘洋", "新吴物流党支部", ("lecturer",), "调度主管"),
    DemoMember("chenjing", "陈静", COMMITTEE, ("admin",), "党委专职副书记"),
)


def seed_demo() -> int:
    """Write the demo organisations and members (idempotent); returns the member count."""
    orgs = {}
    for name, kind, dept_id in ORGS:
        parent = orgs.get(COMMITTEE)
        orgs[name] = ensure_organization(name, kind, parent=parent, wecom_dept_id=dept_id)
    for person in MEMBERS:
        add_member(person.userid, person.name, [orgs[person.org]], person.roles, person.position)
    db.session.commit()
    return len(MEMBERS)


def seed_sandbox(state: SandboxState) -> None:
    """Put the demo committee into the sandbox's WeCom contacts."""
    ids = {name: dept_id for name, _kind, dept_id in ORGS}
    for name, _kind, dept_id in ORGS:
        state.add_department(dept_id, name, parentid=0 if dept_id == 1 else 1)
    for person in MEMBERS:
        state.add_user(person.userid, person.name, department=[ids[person.org]],
                       position=person.position)
