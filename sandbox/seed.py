"""Fill the sandbox's fake WeCom contacts with a demo committee (the one in roster/demo.py)."""

from __future__ import annotations

from roster.demo import Committee, demo_committee
from sandbox.state import SandboxState


def seed_directory(state: SandboxState, committee: Committee) -> None:
    """Put a committee's organisations and people into the sandbox's WeCom contacts."""
    for org in committee.orgs:
        state.add_department(org.dept_id, org.name, parentid=org.parent_dept or 0)
    for person in committee.people:
        state.add_user(person.userid, person.name, department=[person.dept_id],
                       position=person.position)


def seed_sandbox(state: SandboxState) -> None:
    """Put the demo committee into the sandbox's WeCom contacts."""
    seed_directory(state, demo_committee())
