"""Fixtures of the quiz tests: two members of one organisation, one of another, an admin."""

from __future__ import annotations

import pytest

from models import Member


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """张伟 and 李娜 of 华芯, 王芳 of 锡东, the admin 陈静."""
    return {
        "zhang": make_member("zhangwei", "张伟", org="华芯微电子党支部"),
        "li": make_member("lina", "李娜", org="华芯微电子党支部", roles=("contact",)),
        "wang": make_member("wangfang", "王芳", org="锡东精密机械党支部"),
        "admin": make_member("chenjing", "陈静", org="高新区企业党委", roles=("admin",)),
    }
