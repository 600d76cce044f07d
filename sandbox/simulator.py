"""The member simulator: builds callbacks exactly as WeCom does and reads the passive reply."""

from __future__ import annotations

import itertools
import secrets
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from xml.sax.saxutils import escape

import requests

from bot.crypto import CallbackCrypto, sign

WECOM_TIMEOUT_S = 5.0
RETRIES = 3  # WeCom: "总共重试三次"; we send up to 1 + 3 times


class Transport(Protocol):
    """Sends one callback POST and returns (status, body); TimeoutError when nothing answers."""

    def __call__(self, query: dict[str, str], body: bytes, timeout: float) -> tuple[int, bytes]:
        """POST the envelope."""
        ...


class FlaskTransport:
    """Posts to a Flask test client (tests)."""

    def __init__(self, client: Any, path: str = "/wecom/callback") -> None:
        self.client, self.path = client, path

    def __call__(self, query: dict[str, str], body: bytes, timeout: float) -> tuple[int, bytes]:
        """POST through the test client (no real timeout)."""
        response = self.client.post(self.path, query_string=query, data=body,
                                    content_type="text/xml")
        return response.status_code, response.get_data()


class HttpTransport:
    """Posts over HTTP to a running bot (demo, benchmarks)."""

    def __init__(self, url: str, session: requests.Session | None = None) -> None:
        self.url, self.session = url, session or requests.Session()

    def __call__(self, query: dict[str, str], body: bytes, timeout: float) -> tuple[int, bytes]:
        """POST over HTTP; a timeout becomes TimeoutError, as WeCom sees it."""
        try:
            response = self.session.post(self.url, params=query, data=body, timeout=timeout,
                                         headers={"Content-Type": "text/xml"})
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise TimeoutError(str(exc)) from exc  # WeCom sees no answer either way
        return response.status_code, response.content


@dataclass
class Delivery:
    """What happened to one simulated message: every attempt's status and the reply."""

    statuses: list[int | None] = field(default_factory=list)
    reply: dict[str, Any] | None = None

    @property
    def status(self) -> int | None:
        """The last attempt's HTTP status (None for a timeout)."""
        return self.statuses[-1] if self.statuses else None

    @property
    def text(self) -> str:
        """The passive text reply's content ('' when there was none)."""
        return str((self.reply or {}).get("Content", ""))


def _field(name: str, value: Any) -> str:
    if isinstance(value, int):
        return f"<{name}>{value}</{name}>"
    return f"<{name}><![CDATA[{value}]]></{name}>"


_msg_ids = itertools.count(int(time.time() * 1000) * 1000)


class MemberSimulator:
    """Plays WeCom: signs and encrypts callbacks for members, retries, decrypts replies."""

    def __init__(self, transport: Transport, token: str, aes_key: str, corp_id: str,
                 agent_id: int, clock: Callable[[], float] = time.time) -> None:
        self.transport = transport
        self.crypto = CallbackCrypto(token, aes_key, corp_id, max_skew=0)
        self.token, self.corp_id, self.agent_id = token, corp_id, agent_id
        self.clock = clock

    # -- building --------------------------------------------------------------------

    def inner(self, userid: str, msg_type: str, fields: dict[str, Any],
              create_time: int | None = None) -> str:
        """The inner XML of a message or event, as WeCom writes it."""
        body = "".join(_field(k, v) for k, v in fields.items())
        return (
            f"<xml>{_field('ToUserName', self.corp_id)}{_field('FromUserName', userid)}"
            f"<CreateTime>{create_time or int(self.clock())}</CreateTime>"
            f"{_field('MsgType', msg_type)}{body}<AgentID>{self.agent_id}</AgentID></xml>"
        )

    def envelope(self, inner_xml: str, timestamp: str | None = None,
                 nonce: str | None = None) -> tuple[dict[str, str], bytes]:
        """The signed query string and encrypted body for an inner XML."""
        timestamp = timestamp or str(int(self.clock()))
        nonce = nonce or secrets.token_hex(5)
        encrypt = self.crypto.encrypt(inner_xml)
        query = {"msg_signature": sign(self.token, timestamp, nonce, encrypt),
                 "timestamp": timestamp, "nonce": nonce}
        body = (f"<xml><ToUserName><![CDATA[{escape(self.corp_id)}]]></ToUserName>"
                f"<AgentID><![CDATA[{self.agent_id}]]></AgentID>"
                f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>").encode()
        return query, body

    def verify_query(self, echo: str) -> dict[str, str]:
        """The GET query WeCom sends to verify the callback URL."""
        timestamp, nonce = str(int(self.clock())), secrets.token_hex(5)
        echostr = self.crypto.encrypt(echo)
        return {"msg_signature": sign(self.token, timestamp, nonce, echostr),
                "timestamp": timestamp, "nonce": nonce, "echostr": echostr}

    # -- sending ---------------------------------------------------------------------

    def deliver(self, inner_xml: str, retries: int = RETRIES) -> Delivery:
        """Send as WeCom does: on a non-200 or no answer in 5 s, send the same message again."""
        delivery = Delivery()
        query, body = self.envelope(inner_xml)
        for _attempt in range(1 + retries):
            try:
                status, answer = self.transport(query, body, WECOM_TIMEOUT_S)
            except TimeoutError:
                delivery.statuses.append(None)
                continue
            delivery.statuses.append(status)
            if status == 200:
                delivery.reply = self.open_reply(answer) if answer.strip() else None
                break
        return delivery

    def open_reply(self, body: bytes) -> dict[str, Any]:
        """Check the passive reply's signature and decrypt it into a dict of its fields."""
        root = ET.fromstring(body)
        encrypt = root.findtext("Encrypt") or ""
        expected = sign(self.token, root.findtext("TimeStamp") or "",
                        root.findtext("Nonce") or "", encrypt)
        if expected != root.findtext("MsgSignature"):
            raise ValueError("passive reply signature does not match")
        inner = ET.fromstring(self.crypto.decrypt(encrypt))
        reply: dict[str, Any] = {child.tag: (child.text or "") for child in inner}
        articles = inner.find("Articles")
        if articles is not None:
            reply["Articles"] = [{c.tag: c.text or "" for c in item} for item in articles]
        return reply

    # -- one helper per kind of message ----------------------------------------------

    def text(self, userid: str, content: str, msg_id: int | None = None) -> Delivery:
        """A member types a text message."""
        return self.deliver(self.inner(userid, "text", {
            "Content": content, "MsgId": msg_id or next(_msg_ids)}))

    def message(self, userid: str, msg_type: str, **fields: Any) -> Delivery:
        """Any message type (image, voice, video, location, link) with its fields."""
        fields.setdefault("MsgId", next(_msg_ids))
        return self.deliver(self.inner(userid, msg_type, fields))

    def event(self, userid: str, event: str, event_key: str = "", **fields: Any) -> Delivery:
        """An event (subscribe, enter_agent, click, view, scancode_waitmsg, LOCATION, ...)."""
        return self.deliver(self.inner(userid, "event", {
            "Event": event, "EventKey": event_key, **fields}))

    def click(self, userid: str, key: str) -> Delivery:
        """A member taps a menu button."""
        return self.event(userid, "click", key)

    def card_event(self, userid: str, message: dict[str, Any], key: str,
                   selected: list[str] | None = None, create_time: int | None = None) -> str:
        """The inner XML of a tap on a template card the member received (an inbox message
        of msgtype template_card): a button of a button_interaction card by its key, or the
        submit button of a vote_interaction card with the options `selected`. ValueError for
        a key or an option the card does not have, as WeCom's client offers no such tap."""
        card = message.get("content") or {}
        if message.get("msgtype") != "template_card" or "task_id" not in card:
            raise ValueError("not an interactive template card")
        keys = [b.get("key") for b in card.get("button_list", [])]
        submit = (card.get("submit_button") or {}).get("key")
        if key not in keys and key != submit:
            raise ValueError(f"the card has no button {key!r}")
        picks = ""
        checkbox = card.get("checkbox")
        if checkbox is not None and key == submit:
            offered = [o.get("id") for o in checkbox.get("option_list", [])]
            chosen = list(selected or [])
            if any(option not in offered for option in chosen):
                raise ValueError(f"the card offers {offered}, not {chosen}")
            if checkbox.get("mode", 0) == 0 and len(chosen) > 1:
                raise ValueError("a single-choice checkbox takes one option")
            options = "".join(_field("OptionId", option) for option in chosen)
            question = _field("QuestionKey", checkbox.get("question_key", ""))
            picks = (f"<SelectedItems><SelectedItem>{question}<OptionIds>{options}</OptionIds>"
                     "</SelectedItem></SelectedItems>")
        inner = self.inner(userid, "event", {
            "Event": "template_card_event", "EventKey": key, "TaskId": card["task_id"],
            "CardType": card.get("card_type", ""),
            "ResponseCode": message.get("response_code", "")}, create_time)
        return inner.replace("<AgentID>", picks + "<AgentID>", 1)

    def tap(self, userid: str, message: dict[str, Any], key: str,
            selected: list[str] | None = None, create_time: int | None = None) -> Delivery:
        """A member taps a button of a template card in their inbox (see card_event)."""
        return self.deliver(self.card_event(userid, message, key, selected, create_time))

    def change_contact(self, change_type: str, **fields: Any) -> Delivery:
        """A contact change pushed by WeCom itself (FromUserName 'sys')."""
        return self.deliver(self.inner("sys", "event", {
            "Event": "change_contact", "ChangeType": change_type, **fields}))
