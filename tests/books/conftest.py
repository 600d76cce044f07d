"""Fixtures of the 学习用书 tests: two branches with a contact each (华芯 has two), members, an
admin."""

from __future__ import annotations

import pytest

from models import Member


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """华芯: contacts 李娜 and 周敏, members 张伟 and 孙丽; 锡东: contact 王强, member 王芳;
    新吴: member 刘洋 only (no contact); the admin 陈静."""
    return {
        "lina": make_member("lina", "李娜", org="华芯微电子党支部", roles=("contact",)),
        "zhoumin": make_member("zhoumin", "周敏", org="华芯微电子党支部", roles=("contact",)),
        "zhangwei": make_member("zhangwei", "张伟", org="华芯微电子党支部"),
        "sunli": make_member("sunli", "孙丽", org="华芯微电子党支部"),
        "wangqiang": make_member("wangqiang", "王强", org="锡东精密机械党支部",
                                 roles=("contact",)),
        "wangfang": make_member("wangfang", "王芳", org="锡东精密机械党支部"),
        "liuyang": make_member("liuyang", "刘洋", org="新吴物流党支部"),
        "chenjing": make_member("chenjing", "陈静", org="高新区企业党委", roles=("admin",)),
    }
