"""Does the callback refuse every bad envelope with the right status, writing nothing?"""

from __future__ import annotations

import base64
import struct
import time

import pytest
from wechatpy.crypto.base import WeChatCipher

from bot.crypto import sign
from sandbox.simulator import MemberSimulator
from tests.helpers import AES_KEY, TOKEN, written


def _post(client, query, body):
    return client.post("/wecom/callback", query_string=query, data=body,
                       content_type="text/xml")


def _help_inner(sim: MemberSimulator, userid: str = "zhangsan") -> str:
    return sim.inner(userid, "text", {"Content": "帮助", "MsgId": 1234567})


def _envelope_for(encrypt: str, timestamp: str | None = None) -> tuple[dict, bytes]:
    timestamp = timestamp or str(int(time.time()))
    query = {"msg_signature": sign(TOKEN, timestamp, "n1", encrypt), "timestamp": timestamp,
             "nonce": "n1"}
    return query, f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode()


def _raw_encrypt(plain: bytes) -> str:
    key = base64.b64decode(AES_KEY + "=")
    return base64.b64encode(WeChatCipher(key).encrypt(plain)).decode()


@pytest.fixture
def member(make_member):
    """A roster member, so a good envelope would be handled."""
    return make_member("zhangsan", "张三")


def test_good_envelope_is_handled(app, client, sim, member):
    """Is a correct envelope answered 200 with a signed reply (the control case)?"""
    query, body = sim.envelope(_help_inner(sim))
    response = _post(client, query, body)
    assert response.status_code == 200
    assert "先锋学习助手" in sim.open_reply(response.data)["Content"]


def test_get_verification_returns_bare_echostr(client, sim):
    """Does GET answer the decrypted echostr with no quotes or newline?"""
    response = client.get("/wecom/callback", query_string=sim.verify_query("1616140317555161061"))
    assert response.status_code == 200
    assert response.data == b"1616140317555161061"


def test_get_verification_bad_signature(client, sim):
    """Is a GET with a wrong signature refused with 403?"""
    query = sim.verify_query("echo")
    query["msg_signature"] = "0" * 40
    assert client.get("/wecom/callback", query_string=query).status_code == 403


def test_get_verification_missing_echostr(client):
    """Is a GET without its parameters a 400?"""
    response = client.get("/wecom/callback", query_string={"timestamp": "1"})
    assert response.status_code == 400
    assert b"missing" in response.data


def _bad_cases(sim: MemberSimulator):
    inner = _help_inner(sim)
    good_query, good_body = sim.envelope(inner)
    stale_query, stale_body = sim.envelope(inner, timestamp=str(int(time.time()) - 301))
    future_query, future_body = sim.envelope(inner, timestamp=str(int(time.time()) + 400))
    other_corp = MemberSimulator(sim.transport, TOKEN, AES_KEY, "ww-other-corp", 1)
    corp_query, corp_body = other_corp.envelope(inner)
    bad_sig = {**good_query, "msg_signature": "f" * 40}
    plain = b"0" * 16 + struct.pack("!I", 5) + b"<xml>" + b"ww-sandbox-corp"
    gap = 32 - len(plain) % 32
    bad_pad = plain + b"\x00" * gap  # pad value 0 is invalid
    lying_pad = plain + b"\x01" * (gap - 1) + bytes([gap])  # pad bytes disagree
    long_len = b"0" * 16 + struct.pack("!I", 9999) + b"<xml></xml>"
    long_len += bytes([32 - len(long_len) % 32]) * (32 - len(long_len) % 32)
    doctype = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
               b"<xml><Encrypt>&e;</Encrypt></xml>")
    forged = {
        "bad base64": "!!!not base64!!!",
        "short cipher": base64.b64encode(b"abc").decode(),
        "bad padding": _raw_encrypt(bad_pad),
        "inconsistent padding": _raw_encrypt(lying_pad),
        "length past the end": _raw_encrypt(long_len),
    }
    return [
        ("bad signature", bad_sig, good_body, 403),
        ("stale timestamp", stale_query, stale_body, 400),
        ("future timestamp", future_query, future_body, 400),
        ("wrong corp", corp_query, corp_body, 400),
        ("missing query", {}, good_body, 400),
        ("missing nonce", {k: v for k, v in good_query.items() if k != "nonce"}, good_body, 400),
        ("not xml", good_query, b"hello there", 400),
        ("empty body", good_query, b"", 400),
        ("no Encrypt", good_query, b"<xml><ToUserName>x</ToUserName></xml>", 400),
        ("doctype and entity", good_query, doctype, 400),
        ("oversize body", good_query, b"<xml>" + b"a" * (64 * 1024) + b"</xml>", 413),
        *((name, *_envelope_for(encrypt), 400) for name, encrypt in forged.items()),
    ]


def test_bad_envelopes_are_refused_and_write_nothing(app, client, sim, member):
    """Does each malformed or forged callback get its status, a short reason and no writes?"""
    before = written(app)
    for name, query, body, status in _bad_cases(sim):
        response = _post(client, query, body)
        assert response.status_code == status, name
        assert len(response.data) < 100 and b"Traceback" not in response.data, name
        assert written(app) == before, name


def test_inner_xml_problems_are_400(app, client, sim, member):
    """Is a correctly encrypted but broken inner message a 400 with nothing written?"""
    before = written(app)
    for inner in ["not xml at all", "<xml><MsgType>text</MsgType></xml>",
                  '<!DOCTYPE x [<!ENTITY a "aaaa">]><xml>&a;</xml>',
                  "<xml><FromUserName>u</FromUserName><CreateTime>x</CreateTime>"
                  "<MsgType>text</MsgType></xml>"]:
        query, body = sim.envelope(inner)
        assert _post(client, query, body).status_code == 400, inner
    assert written(app) == before


def test_clock_skew_zero_turns_the_check_off(app, client, sim, member):
    """With WECOM_MAX_CLOCK_SKEW=0 is an old timestamp accepted?"""
    app.extensions["pioneer_crypto"].max_skew = 0
    query, body = sim.envelope(_help_inner(sim), timestamp=str(int(time.time()) - 86400))
    assert _post(client, query, body).status_code == 200
