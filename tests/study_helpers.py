"""Builders for study tests: a small library of materials and a series; a tracked reading
link's token and its sign-in through WeCom OAuth (the sandbox)."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from models import Material, Series, db
from sandbox.server import SandboxServer
from study.links import LinkClaims, make_token


def make_library(app: Flask) -> dict[str, int]:
    """Five materials (two in a series of three, one in a campaign); returns ids by slug."""
    with app.app_context():
        series = Series(title="党史学习教育")
        db.session.add(series)
        rows = [
            Material(slug="dangshi-1", title="开天辟地", kind="article", series=series,
                     series_position=1, tags=["党史"], summary="中国共产党的诞生",
                     body="# 开天辟地\n正文", published_on=date(2026, 1, 1), minutes=8),
            Material(slug="dangshi-2", title="星火燎原", kind="micro_lesson", series=series,
                     series_position=2, tags=["党史"], summary="土地革命时期",
                     body="正文", published_on=date(2026, 1, 2), minutes=6),
            Material(slug="dangshi-3", title="抗战烽火", kind="film", series=series,
                     series_position=3, tags=["党史", "电影"], summary="全民族抗战",
                     source_url="https://www.12371.cn/", published_on=date(2026, 1, 3),
                     minutes=90),
            Material(slug="shoudaoren", title="守岛人", kind="film", tags=["教育片", "先进典型"],
                     summary="王继才夫妇守岛三十二年", source_url="https://www.12371.cn/",
                     published_on=date(2026, 3, 1), minutes=110, campaign="2026年冬训"),
            Material(slug="zhangcheng", title="学习党章", kind="book_chapter", tags=["党章"],
                     summary="党章的总纲和条文", body="正文", published_on=date(2026, 2, 1),
                     minutes=20, campaign="2026年冬训"),
        ]
        db.session.add_all(rows)
        db.session.commit()
        return {m.slug: m.id for m in rows}


def token_for(app: Flask, material_id: int, userid: str | None = None,
              occurrence_id: int | None = None) -> str:
    """A signed link token, made the way the bot makes them."""
    with app.app_context():
        return make_token(LinkClaims(material_id, userid, occurrence_id))


def sign_in(client: FlaskClient, sandbox: SandboxServer, token: str,
            userid: str) -> TestResponse:
    """Open /r/<token>, play WeCom's authorize step as `userid`, and follow back to the link."""
    first = client.get(f"/r/{token}")
    assert first.status_code == 302
    state = parse_qs(urlsplit(first.location).query)["state"][0]
    back = client.get("/r/oauth", query_string={"code": sandbox.state.issue_code(userid),
                                                "state": state})
    assert back.status_code == 302, back.get_data(as_text=True)
    return client.get(urlsplit(back.location).path)
