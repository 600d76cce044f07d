"""Helpers of the lecture ordering tests: the three-topic menu, times as contacts type them,
and a member's inbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.helpers import SHANGHAI

MENU_YAML = """\
- slug: red-boat
  title: 从红船到复兴号
  summary: 党的百年奋斗历程。
  category: 党史
  minutes: 90
  modes: [offline, live]
  lecturers: [liuyang]

- slug: local-memory
  title: 家门口的红色印记
  category: 党史
  minutes: 60
  modes: [offline]
  lecturers: [liuyang, zhaolei]

- slug: pioneers-live
  title: 身边的先锋
  category: 先进典型
  minutes: 45
  modes: [live]
  lecturers: [zhaolei]
"""


def day(days: int) -> date:
    """The date `days` ahead in Shanghai."""
    return (datetime.now(UTC).astimezone(SHANGHAI) + timedelta(days=days)).date()


def typed(days: int, part: str = "下午3点") -> str:
    """A time as contacts type it, e.g. 12月2日下午3点."""
    d = day(days)
    return f"{d.month}月{d.day}日{part}"


def inbox(sandbox, userid: str) -> str:
    """Every text delivered to the member, joined."""
    return "\n".join(m["content"]["content"] for m in sandbox.state.inbox_since(userid)
                     if m["msgtype"] == "text")


def write_menu(tmp_path: Path, text: str = MENU_YAML) -> Path:
    """The menu text as a topics.yaml file."""
    path = tmp_path / "topics.yaml"
    path.write_text(text, encoding="utf-8")
    return path
