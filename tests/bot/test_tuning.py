"""Tuning settings from the environment: read by prefix, checked at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError
from pioneer import create_app
from tests.helpers import AES_KEY


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """The required settings in the environment, on a throwaway SQLite file."""
    for name, value in {"WECOM_CORP_ID": "ww1", "WECOM_AGENT_ID": "1", "WECOM_SECRET": "s",
                        "WECOM_TOKEN": "t", "WECOM_AES_KEY": AES_KEY, "SECRET_KEY": "x",
                        "DATABASE_URL": f"sqlite:///{tmp_path}/t.db"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("REDIS_URL", raising=False)
    return monkeypatch


def test_tuning_settings_reach_the_features(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("PARTICIPATION_POINTS", "lecture=8")
    environment.setenv("LECTURE_MIN_DAYS", "5")
    environment.setenv("BROADCAST_CONTACTS", "false")
    environment.setenv("DELIVERY_DUPLICATE_CHECK_S", "3600")
    app = create_app()
    with app.app_context():
        from bot.delivery import duplicate_check_s
        from lectures.settings import lecture_settings
        from participation.settings import participation_settings
        assert participation_settings().points["lecture"] == 8
        assert lecture_settings().min_days == 5
        assert duplicate_check_s() == 3600
    assert app.config["BROADCAST_CONTACTS"] is False
    assert "UNRELATED_SETTING" not in app.config


@pytest.mark.parametrize(("name", "value", "words"), [
    ("PARTICIPATION_POINTS", "crossword=3", "crossword"),  # no such kind
    ("LECTURE_MIN_DAYS", "three", "LECTURE_"),
    ("QUIZ_DAILY_QUESTIONS", "0", "QUIZ_DAILY_QUESTIONS"),
    ("RETENTION_DRAFT_DAYS", "0", "at least 1"),
    ("BROADCAST_CONTACTS", "maybe", "BROADCAST_CONTACTS"),
    ("DELIVERY_DUPLICATE_CHECK_S", "660", "661..14400"),  # a re-send could fall outside it
    ("DELIVERY_DUPLICATE_CHECK_S", "14401", "at most WeCom's 4 h"),
    ("DELIVERY_DUPLICATE_CHECK_S", "half an hour", "DELIVERY_"),
])
def test_a_malformed_tuning_setting_stops_start_up(environment: pytest.MonkeyPatch, name: str,
                                                    value: str, words: str) -> None:
    environment.setenv(name, value)
    with pytest.raises(ConfigError, match=words):
        create_app()
