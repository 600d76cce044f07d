"""Is every incoming type parsed into its typed message?"""

from __future__ import annotations

import pytest

from bot.crypto import CallbackError
from bot.inbound import (
    ChangeContactEvent,
    Event,
    ImageMessage,
    LinkMessage,
    LocationEvent,
    LocationMessage,
    ScanEvent,
    TemplateCardEvent,
    TextMessage,
    UnknownMessage,
    VideoMessage,
    VoiceMessage,
    parse_inbound,
)

HEAD = ("<ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[u1]]></FromUserName>"
        "<CreateTime>1700000000</CreateTime><AgentID>1000002</AgentID>")


def xml(msg_type: str, body: str) -> str:
    """An inner message of that type."""
    return f"<xml>{HEAD}<MsgType><![CDATA[{msg_type}]]></MsgType>{body}</xml>"


def test_text():
    """Text: content and MsgId key."""
    message = parse_inbound(xml("text", "<Content><![CDATA[学习]]></Content><MsgId>99</MsgId>"))
    assert isinstance(message, TextMessage)
    assert (message.content, message.key, message.from_user) == ("学习", "msg:99", "u1")


@pytest.mark.parametrize(("msg_type", "body", "cls", "attr", "value"), [
    ("image", "<PicUrl>http://p</PicUrl><MediaId>m</MediaId><MsgId>1</MsgId>",
     ImageMessage, "media_id", "m"),
    ("voice", "<MediaId>v</MediaId><Format>amr</Format><MsgId>2</MsgId>",
     VoiceMessage, "format", "amr"),
    ("video", "<MediaId>v</MediaId><ThumbMediaId>t</ThumbMediaId><MsgId>3</MsgId>",
     VideoMessage, "thumb_media_id", "t"),
    ("location", "<Location_X>31.5</Location_X><Location_Y>120.3</Location_Y><Scale>15</Scale>"
     "<Label>无锡</Label><MsgId>4</MsgId>", LocationMessage, "latitude", 31.5),
    ("link", "<Title>标题</Title><Description>d</Description><Url>http://x</Url>"
     "<PicUrl></PicUrl><MsgId>5</MsgId>", LinkMessage, "title", "标题"),
])
def test_media_and_other_messages(msg_type, body, cls, attr, value):
    """Image, voice, video, location, link: each field read."""
    message = parse_inbound(xml(msg_type, body))
    assert isinstance(message, cls) and getattr(message, attr) == value


@pytest.mark.parametrize("name", ["subscribe", "unsubscribe", "enter_agent", "view", "click"])
def test_plain_events(name):
    """Plain events keep their name and key; the dedup key is sender+time+event+key."""
    message = parse_inbound(xml("event", f"<Event>{name}</Event><EventKey>k</EventKey>"))
    assert isinstance(message, Event) and message.event == name
    assert message.key == f"evt:u1:1700000000:{name}:k"


@pytest.mark.parametrize("name", ["scancode_push", "scancode_waitmsg"])
def test_scan_events(name):
    """Scan events carry ScanCodeInfo's type and result."""
    body = (f"<Event>{name}</Event><EventKey>scan</EventKey><ScanCodeInfo>"
            "<ScanType>qrcode</ScanType><ScanResult>签到 123456</ScanResult></ScanCodeInfo>")
    message = parse_inbound(xml("event", body))
    assert isinstance(message, ScanEvent)
    assert (message.scan_type, message.scan_result) == ("qrcode", "签到 123456")


def test_location_event():
    """LOCATION carries latitude, longitude and precision."""
    body = ("<Event>LOCATION</Event><Latitude>23.1</Latitude><Longitude>113.3</Longitude>"
            "<Precision>30.0</Precision>")
    message = parse_inbound(xml("event", body))
    assert isinstance(message, LocationEvent) and message.latitude == 23.1


@pytest.mark.parametrize(("change", "fields", "subject"), [
    ("create_user", "<UserID>zs</UserID><Name>张三</Name><Department>1,2</Department>", "zs"),
    ("update_user", "<UserID>zs</UserID><NewUserID>zs2</NewUserID>", "zs"),
    ("delete_user", "<UserID>zs</UserID>", "zs"),
    ("create_party", "<Id>7</Id><Name>党支部</Name><ParentId>1</ParentId><Order>1</Order>", "7"),
    ("update_party", "<Id>7</Id><Name>新名</Name>", "7"),
    ("delete_party", "<Id>7</Id>", "7"),
    ("update_tag", "<TagId>3</TagId><AddUserItems>a,b</AddUserItems>", "3"),
])
def test_change_contact(change, fields, subject):
    """change_contact: every ChangeType parsed from the raw fields, keyed by its subject."""
    body = f"<Event>change_contact</Event><ChangeType>{change}</ChangeType>{fields}"
    message = parse_inbound(xml("event", body).replace("u1", "sys"))
    assert isinstance(message, ChangeContactEvent) and message.change_type == change
    assert f":{change}:{subject}:" in message.key
    assert message.kind == f"event:change_contact:{change}"


def test_template_card_event():
    """template_card_event: task, card type, response code and selections."""
    body = ("<Event>template_card_event</Event><EventKey>btn1</EventKey><TaskId>t1</TaskId>"
            "<CardType>vote_interaction</CardType><ResponseCode>rc</ResponseCode>"
            "<SelectedItems><SelectedItem><QuestionKey>q1</QuestionKey><OptionIds>"
            "<OptionId>o1</OptionId><OptionId>o2</OptionId></OptionIds></SelectedItem>"
            "</SelectedItems>")
    message = parse_inbound(xml("event", body))
    assert isinstance(message, TemplateCardEvent)
    assert message.task_id == "t1" and message.selected == {"q1": ["o1", "o2"]}


def test_unknown_type_is_kept_not_refused():
    """An unknown MsgType becomes UnknownMessage (answered politely later)."""
    message = parse_inbound(xml("file", "<MediaId>f</MediaId><MsgId>8</MsgId>"))
    assert isinstance(message, UnknownMessage) and message.key == "msg:8"


@pytest.mark.parametrize("inner", [
    "<xml><MsgType>text</MsgType></xml>",
    "plain",
    xml("event", "<EventKey>k</EventKey>"),
    xml("text", "<Content>" + "长" * 20000 + "</Content>"),
])
def test_broken_inner_messages_are_refused(inner):
    """Missing fields, non-XML, events without Event and huge fields are 400s."""
    with pytest.raises(CallbackError) as error:
        parse_inbound(inner)
    assert error.value.status == 400


def test_two_edits_in_one_second_have_different_keys():
    """Are two different update_user events of one user in one second told apart?"""
    body = "<Event>change_contact</Event><ChangeType>update_user</ChangeType><UserID>zs</UserID>"
    first = parse_inbound(xml("event", body + "<Name>甲</Name>"))
    second = parse_inbound(xml("event", body + "<Position>乙</Position>"))
    assert first.key != second.key
    assert first.key == parse_inbound(xml("event", body + "<Name>甲</Name>")).key


def test_long_event_keys_are_bounded():
    """Does a view event with a very long URL still get a key that fits the processed records?"""
    url = "http://example.com/" + "a" * 3000
    first = parse_inbound(xml("event", f"<Event>view</Event><EventKey>{url}</EventKey>"))
    second = parse_inbound(xml("event", f"<Event>view</Event><EventKey>{url}b</EventKey>"))
    assert len(first.key) <= 200 and first.key != second.key
