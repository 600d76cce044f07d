"""Fuzzing the callback with hypothesis: generated and mutated envelopes, query strings and inner
messages, correctly signed and not. Never a 500; nothing written by an envelope that fails
authentication; a correctly signed but malformed message changes no member's data or
conversation. The suite runs a few hundred cases per strategy; `fuzz/run` runs 100,000+
(PIONEER_FUZZ_EXAMPLES sets the number per strategy)."""

from __future__ import annotations

import base64
import os
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import keys
from bot.extensions import redis_store
from sandbox.simulator import MemberSimulator
from tests.helpers import written

EXAMPLES = int(os.environ.get("PIONEER_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                derandomize="PIONEER_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=list(HealthCheck))
# Tables a correctly signed message may touch without changing anyone's data: the processed
# records of handled messages, the list of refused strangers, and the answer to a tapped card button
# (WeCom takes no passive text reply to template_card_event, so it goes by message/send).
BOOKKEEPING = {"processed_messages", "refused_users", "outbound_messages", "redis_keys"}
MEMBER = "zhangsan"
CASES: dict[str, int] = {}

text = st.text(st.characters(codec="utf-8"), max_size=60)
small_bytes = st.binary(max_size=300)


def _post(client: FlaskClient, query: dict[str, str], body: bytes) -> int:
    response = client.post("/wecom/callback", query_string=query, data=body,
                           content_type="text/xml")
    return response.status_code


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    if CASES:
        total = sum(CASES.values())
        print(f"\nfuzz cases run: {total} " + " ".join(f"{k}={v}" for k, v in CASES.items()))


@pytest.fixture
def fuzz_app(app: Flask, make_member: Any) -> Flask:
    """The app with one roster member, on the embedded backend only (speed)."""
    if app.config["TEST_BACKEND"] != "embedded":
        pytest.skip("fuzzing runs on the embedded backend; the services backend gets the "
                    "same code paths from the rest of the suite")
    make_member(MEMBER, "张三")
    return app


def _snapshot(app: Flask) -> tuple[dict[str, int], bytes | None]:
    with app.app_context():
        return written(app), redis_store.client.get(keys.conversation(MEMBER))


def _count(name: str) -> None:
    CASES[name] = CASES.get(name, 0) + 1


@st.composite
def raw_requests(draw: st.DrawFn) -> tuple[dict[str, str], bytes]:
    """Any query string and any body, including near-valid XML envelopes."""
    query = draw(st.dictionaries(
        st.sampled_from(["msg_signature", "timestamp", "nonce", "echostr", "x"]) | text,
        text, max_size=5))
    body = draw(st.one_of(
        small_bytes,
        text.map(lambda t: f"<xml><Encrypt><![CDATA[{t}]]></Encrypt></xml>".encode()),
        st.binary(max_size=64).map(
            lambda b: f"<xml><Encrypt>{base64.b64encode(b).decode()}</Encrypt></xml>".encode()),
        st.just(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>'),
        st.just(b"<xml>" * 500),
    ))
    return query, body


@st.composite
def mutated_envelopes(draw: st.DrawFn, sim: MemberSimulator) -> tuple[dict[str, str], bytes]:
    """A valid signed envelope with one part broken: body bytes, signature, timestamp, nonce."""
    inner = sim.inner(MEMBER, "text", {"Content": "帮助", "MsgId": draw(st.integers(1, 10**12))})
    query, body = sim.envelope(inner)
    how = draw(st.sampled_from(["flip", "truncate", "insert", "signature", "timestamp",
                                "nonce", "drop"]))
    if how in ("flip", "truncate", "insert"):
        data = bytearray(body)
        at = draw(st.integers(0, len(data) - 1))
        if how == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif how == "truncate":
            del data[at:]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        body = bytes(data)
    elif how == "signature":
        query["msg_signature"] = draw(text)
    elif how == "timestamp":
        query["timestamp"] = draw(st.one_of(text, st.integers(-10**12, 10**12).map(str)))
    elif how == "nonce":
        query["nonce"] = draw(text)  # the signature no longer matches
    else:
        del query[draw(st.sampled_from(sorted(query)))]
    return query, body


FIELDS = ["Content", "MsgId", "Event", "EventKey", "PicUrl", "MediaId", "Format",
          "Location_X", "Location_Y", "Scale", "Label", "Title", "Description", "Url",
          "ChangeType", "UserID", "NewUserID", "Id", "ParentId", "TagId", "ScanCodeInfo",
          "CreateTime", "FromUserName", "AgentID", "TaskId", "CardType", "ResponseCode"]
TYPES = ["text", "image", "voice", "video", "location", "link", "event", "file", "", "未知"]
EVENTS = ["subscribe", "unsubscribe", "enter_agent", "click", "view", "scancode_push",
          "scancode_waitmsg", "LOCATION", "change_contact", "template_card_event", "x"]


@st.composite
def signed_inner(draw: st.DrawFn, sim: MemberSimulator) -> tuple[str, tuple[dict, bytes]]:
    """Correctly encrypted and signed inner messages with garbage or missing fields."""
    sender = draw(st.sampled_from([MEMBER, "", "nobody", "a" * 80]) | text)
    msg_type = draw(st.sampled_from(TYPES) | text)
    fields = draw(st.dictionaries(st.sampled_from(FIELDS),
                                  st.one_of(text, st.integers().map(str)), max_size=6))
    if msg_type == "event" and draw(st.booleans()):
        fields["Event"] = draw(st.sampled_from(EVENTS))
        if fields["Event"] == "change_contact":  # roster changes must come from the corp
            fields["ChangeType"] = draw(st.sampled_from(["bogus", ""]) | text)
    if msg_type == "text" and "Content" in fields and draw(st.booleans()):
        fields["Content"] = "帮助" + fields["Content"]
    inner = sim.inner(sender, msg_type, fields)
    if draw(st.booleans()):  # or not even XML, but correctly sealed
        inner = draw(st.one_of(text, st.just("<xml><MsgType>text</MsgType></xml>"),
                               st.just("<xml>" + inner)))
    return sender, sim.envelope(inner)


def _assert_untouched(app: Flask, before: tuple[dict[str, int], bytes | None], status: int,
                      allowed: set[str]) -> None:
    assert status < 500, status
    after = _snapshot(app)
    changed = {k for k in after[0] if after[0][k] != before[0].get(k)}
    assert changed <= allowed, changed
    assert after[1] == before[1]  # the member's conversation is unchanged


@FUZZ
@given(data=st.data())
def test_random_requests_never_500_and_write_nothing(fuzz_app: Flask, client: FlaskClient,
                                                     data: st.DataObject) -> None:
    query, body = data.draw(raw_requests())
    before = _snapshot(fuzz_app)
    status = _post(client, query, body)
    _count("raw")
    _assert_untouched(fuzz_app, before, status, set())
    assert status in (200, 400, 403, 405, 413)


@FUZZ
@given(data=st.data())
def test_mutated_envelopes_are_refused_and_write_nothing(fuzz_app: Flask, client: FlaskClient,
                                                         sim: MemberSimulator,
                                                         data: st.DataObject) -> None:
    query, body = data.draw(mutated_envelopes(sim))
    before = _snapshot(fuzz_app)
    status = _post(client, query, body)
    _count("mutated")
    if status == 200:  # a mutation that left the message intact (e.g. whitespace) is fine
        return
    _assert_untouched(fuzz_app, before, status, set())
    assert status in (400, 403, 413)


@FUZZ
@given(data=st.data())
def test_signed_garbage_never_500_or_changes_member_data(fuzz_app: Flask, client: FlaskClient,
                                                         sim: MemberSimulator,
                                                         data: st.DataObject) -> None:
    _sender, (query, body) = data.draw(signed_inner(sim))
    before = _snapshot(fuzz_app)
    status = _post(client, query, body)
    _count("signed")
    _assert_untouched(fuzz_app, before, status, BOOKKEEPING)
    assert status in (200, 400)


def test_replay_storm_is_handled_once(fuzz_app: Flask, sim: MemberSimulator) -> None:
    """The same signed callback from 16 threads at once: one handling, the rest empty or replay."""
    from concurrent.futures import ThreadPoolExecutor

    inner = sim.inner(MEMBER, "text", {"Content": "写心得", "MsgId": secrets.randbelow(10**9)})
    query, body = sim.envelope(inner)

    def post(_: int) -> int:
        with fuzz_app.test_client() as client:
            return _post(client, query, body)

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(post, range(32)))
    assert set(statuses) == {200}
    with fuzz_app.app_context():
        from sqlalchemy import func, select

        from models import ProcessedMessage, db
        assert db.session.scalar(select(func.count(ProcessedMessage.id))) == 1


def test_stale_replay_is_refused(fuzz_app: Flask, client: FlaskClient,
                                 sim: MemberSimulator) -> None:
    """A captured callback replayed after the allowed skew is refused and writes nothing."""
    inner = sim.inner(MEMBER, "text", {"Content": "写心得", "MsgId": 4242})
    stale = str(int(time.time()) - 301)
    query, body = sim.envelope(inner, timestamp=stale)
    before = _snapshot(fuzz_app)
    assert _post(client, query, body) == 400
    _assert_untouched(fuzz_app, before, 400, set())
    # A forged fresh timestamp on the old body breaks the signature instead.
    query = {**query, "timestamp": str(int(time.time()))}
    assert _post(client, query, body) == 403
    _assert_untouched(fuzz_app, before, 403, set())
