"""Typed inbound messages and events, parsed from the decrypted inner XML.

wechatpy 1.8.18 leaves change_contact and template_card_event as UnknownMessage, so every
type is read here from the raw fields, into one small dataclass per kind.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from bot.crypto import bad_request, parse_xml

MAX_FIELD = 16 * 1024


@dataclass(frozen=True)
class Inbound:
    """What every inbound message and event has."""

    msg_type: str
    from_user: str
    to_user: str
    create_time: int
    agent_id: str
    raw: dict[str, str] = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        """The dedup key of this message (docs/architecture.md, the way of one message, step 4)."""
        return bounded(f"msg:{self.raw.get('MsgId', '')}")

    @property
    def kind(self) -> str:
        """A short name of what this is, for logs and the processed record."""
        return self.msg_type


@dataclass(frozen=True)
class TextMessage(Inbound):
    """A text message."""

    msg_id: str = ""
    content: str = ""


@dataclass(frozen=True)
class ImageMessage(Inbound):
    """A picture."""

    msg_id: str = ""
    pic_url: str = ""
    media_id: str = ""


@dataclass(frozen=True)
class VoiceMessage(Inbound):
    """A voice note."""

    msg_id: str = ""
    media_id: str = ""
    format: str = ""


@dataclass(frozen=True)
class VideoMessage(Inbound):
    """A video."""

    msg_id: str = ""
    media_id: str = ""
    thumb_media_id: str = ""


@dataclass(frozen=True)
class LocationMessage(Inbound):
    """A location the member sent."""

    msg_id: str = ""
    latitude: float = 0.0
    longitude: float = 0.0
    scale: int = 0
    label: str = ""


@dataclass(frozen=True)
class LinkMessage(Inbound):
    """A shared link."""

    msg_id: str = ""
    title: str = ""
    description: str = ""
    url: str = ""
    pic_url: str = ""


@dataclass(frozen=True)
class UnknownMessage(Inbound):
    """A message or event type the bot does not know; logged and answered politely."""

    @property
    def key(self) -> str:
        """Dedup by MsgId when there is one, else like an event."""
        if self.raw.get("MsgId"):
            return bounded(f"msg:{self.raw['MsgId']}")
        return _event_key(self.raw)


@dataclass(frozen=True)
class Event(Inbound):
    """An event: subscribe, unsubscribe, enter_agent, click, view, and the rest."""

    event: str = ""
    event_key: str = ""

    @property
    def key(self) -> str:
        """FromUserName + CreateTime + Event + EventKey (events carry no MsgId)."""
        return _event_key(self.raw)

    @property
    def kind(self) -> str:
        """event:<name>."""
        return f"event:{self.event}"


@dataclass(frozen=True)
class ScanEvent(Event):
    """scancode_push / scancode_waitmsg: the member scanned a code from the menu."""

    scan_type: str = ""
    scan_result: str = ""


@dataclass(frozen=True)
class LocationEvent(Event):
    """LOCATION: the client reported the member's position."""

    latitude: float = 0.0
    longitude: float = 0.0
    precision: float = 0.0


@dataclass(frozen=True)
class ChangeContactEvent(Event):
    """change_contact: a member, department or tag changed in the WeCom contacts."""

    change_type: str = ""

    @property
    def key(self) -> str:
        """Two edits of one user in one second differ only in their fields: hash them all.

        A WeCom retry repeats the message field for field, so it still gets the same key.
        """
        subject = self.raw.get("UserID") or self.raw.get("Id") or self.raw.get("TagId") or ""
        digest = hashlib.sha1(
            "\n".join(f"{k}={v}" for k, v in sorted(self.raw.items())).encode()
        ).hexdigest()[:16]
        return bounded(f"{_event_key(self.raw)}:{self.change_type}:{subject}:{digest}")

    @property
    def kind(self) -> str:
        """event:change_contact:<ChangeType>."""
        return f"event:change_contact:{self.change_type}"


@dataclass(frozen=True)
class TemplateCardEvent(Event):
    """template_card_event / template_card_menu_event: a button on a card was tapped."""

    task_id: str = ""
    card_type: str = ""
    response_code: str = ""
    selected: dict[str, list[str]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Taps on two cards in one second differ by their TaskId."""
        return bounded(f"{_event_key(self.raw)}:{self.task_id}")


MAX_KEY = 200  # processed_messages.key holds 255


def bounded(key: str) -> str:
    """A dedup key that fits the processed records: long ones (a view event's URL) end in a hash."""
    if len(key) <= MAX_KEY:
        return key
    return key[: MAX_KEY - 17] + ":" + hashlib.sha1(key.encode()).hexdigest()[:16]


def _event_key(raw: dict[str, str]) -> str:
    return bounded("evt:{}:{}:{}:{}".format(
        raw.get("FromUserName", ""),
        raw.get("CreateTime", ""),
        raw.get("Event", ""),
        raw.get("EventKey", ""),
    ))


def _flatten(root: ET.Element) -> dict[str, str]:
    """Top-level fields as text; nested ones (ScanCodeInfo) are flattened one level."""
    fields: dict[str, str] = {}
    for child in root:
        if len(child):
            for grandchild in child:
                if not len(grandchild):
                    fields.setdefault(grandchild.tag, (grandchild.text or "").strip())
        text = (child.text or "").strip()
        if len(text) > MAX_FIELD:
            raise bad_request(f"field {child.tag} too long")
        fields.setdefault(child.tag, text)
    return fields


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def _int(value: str) -> int:
    return int(value) if value.isdecimal() else 0


def _selected(root: ET.Element) -> dict[str, list[str]]:
    picks: dict[str, list[str]] = {}
    for item in root.iter("SelectedItem"):
        question = (item.findtext("QuestionKey") or "").strip()
        picks[question] = [(opt.text or "").strip() for opt in item.iter("OptionId")]
    return picks


def parse_inbound(inner_xml: str) -> Inbound:
    """Parse the decrypted inner XML into a typed message or event."""
    root = parse_xml(inner_xml)
    raw = _flatten(root)
    msg_type = raw.get("MsgType", "").lower()
    from_user = raw.get("FromUserName", "")
    if not msg_type or not from_user or not raw.get("CreateTime", "").isdecimal():
        raise bad_request("inner message lacks MsgType, FromUserName or CreateTime")
    common = {
        "msg_type": msg_type,
        "from_user": from_user,
        "to_user": raw.get("ToUserName", ""),
        "create_time": int(raw["CreateTime"]),
        "agent_id": raw.get("AgentID", ""),
        "raw": raw,
    }
    msg_id = raw.get("MsgId", "")
    if msg_type == "text":
        return TextMessage(**common, msg_id=msg_id, content=raw.get("Content", ""))
    if msg_type == "image":
        return ImageMessage(
            **common, msg_id=msg_id, pic_url=raw.get("PicUrl", ""), media_id=raw.get("MediaId", "")
        )
    if msg_type == "voice":
        return VoiceMessage(
            **common, msg_id=msg_id, media_id=raw.get("MediaId", ""), format=raw.get("Format", "")
        )
    if msg_type == "video":
        return VideoMessage(
            **common,
            msg_id=msg_id,
            media_id=raw.get("MediaId", ""),
            thumb_media_id=raw.get("ThumbMediaId", ""),
        )
    if msg_type == "location":
        return LocationMessage(
            **common,
            msg_id=msg_id,
            latitude=_float(raw.get("Location_X", "")),
            longitude=_float(raw.get("Location_Y", "")),
            scale=_int(raw.get("Scale", "")),
            label=raw.get("Label", ""),
        )
    if msg_type == "link":
        return LinkMessage(
            **common,
            msg_id=msg_id,
            title=raw.get("Title", ""),
            description=raw.get("Description", ""),
            url=raw.get("Url", ""),
            pic_url=raw.get("PicUrl", ""),
        )
    if msg_type == "event":
        return _parse_event(root, raw, common)
    return UnknownMessage(**common)


def _parse_event(root: ET.Element, raw: dict[str, str], common: dict) -> Inbound:
    event = raw.get("Event", "")
    name = event.lower()
    base = {**common, "event": event if name == "location" else name,
            "event_key": raw.get("EventKey", "")}
    if name in ("scancode_push", "scancode_waitmsg"):
        return ScanEvent(
            **base, scan_type=raw.get("ScanType", ""), scan_result=raw.get("ScanResult", "")
        )
    if name == "location":
        return LocationEvent(
            **base,
            latitude=_float(raw.get("Latitude", "")),
            longitude=_float(raw.get("Longitude", "")),
            precision=_float(raw.get("Precision", "")),
        )
    if name == "change_contact":
        return ChangeContactEvent(**base, change_type=raw.get("ChangeType", ""))
    if name in ("template_card_event", "template_card_menu_event"):
        return TemplateCardEvent(
            **base,
            task_id=raw.get("TaskId", ""),
            card_type=raw.get("CardType", ""),
            response_code=raw.get("ResponseCode", ""),
            selected=_selected(root),
        )
    if not name:
        raise bad_request("event without Event")
    return Event(**base)
