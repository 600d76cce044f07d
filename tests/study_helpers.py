"""Builders for study tests: a small library of materials and a series."""

from __future__ import annotations

from datetime import date

from flask import Flask

from models import Material, Series, db


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
