"""What a handler returns, and how it becomes a passive reply or outbound messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TEXT_LIMIT = 2048  # bytes, for a passive text reply and for message/send text
NEWS_LIMIT = 8


@dataclass(frozen=True)
class Article:
    """One item of a news reply."""

    title: str
    description: str = ""
    url: str = ""
    pic_url: str = ""


@dataclass(frozen=True)
class Text:
    """A plain text reply."""

    content: str


@dataclass(frozen=True)
class News:
    """A news reply: 1 to 8 articles."""

    articles: tuple[Article, ...]

    def __post_init__(self) -> None:
        if not 1 <= len(self.articles) <= NEWS_LIMIT:
            raise ValueError(f"a news reply holds 1 to {NEWS_LIMIT} articles")


@dataclass(frozen=True)
class Markdown:
    """Markdown; WeCom cannot take it as a passive reply, so it goes out by message/send."""

    content: str


Reply = Text | News | Markdown


@dataclass
class Rendered:
    """A reply made ready: the passive part (inner XML or None) and what must be pushed."""

    passive: str | None
    pushes: list[dict[str, Any]] = field(default_factory=list)


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split text into parts of at most `limit` UTF-8 bytes, at line breaks where possible."""
    if len(text) * 4 <= limit or len(text.encode()) <= limit:  # the usual case: one part
        return [text.rstrip("\n") or text]
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line.encode()) > limit:  # a single overlong line: cut by characters
            cut = len(line)
            while len(line[:cut].encode()) > limit:
                cut = cut * limit // len(line[:cut].encode()) or 1
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:cut])
            line = line[cut:]
        if len((current + line).encode()) > limit:
            parts.append(current)
            current = line
        else:
            current += line
    if current or not parts:
        parts.append(current)
    return [part.rstrip("\n") or part for part in parts]


def _head(to_user: str, corp_id: str, now: int, msg_type: str) -> str:
    return (
        f"<ToUserName>{_cdata(to_user)}</ToUserName><FromUserName>{_cdata(corp_id)}</FromUserName>"
        f"<CreateTime>{now}</CreateTime><MsgType>{_cdata(msg_type)}</MsgType>"
    )


def _news_xml(news: News) -> str:
    items = "".join(
        f"<item><Title>{_cdata(a.title)}</Title><Description>{_cdata(a.description)}</Description>"
        f"<PicUrl>{_cdata(a.pic_url)}</PicUrl><Url>{_cdata(a.url)}</Url></item>"
        for a in news.articles
    )
    return f"<ArticleCount>{len(news.articles)}</ArticleCount><Articles>{items}</Articles>"


def render(reply: Reply | None, to_user: str, corp_id: str, now: int) -> Rendered:
    """Turn a handler's reply into passive XML plus message/send payloads for the overflow."""
    if reply is None:
        return Rendered(None)
    if isinstance(reply, Text):
        first, *rest = split_text(reply.content)
        xml = f"<xml>{_head(to_user, corp_id, now, 'text')}<Content>{_cdata(first)}</Content></xml>"
        return Rendered(xml, [{"msgtype": "text", "text": {"content": part}} for part in rest])
    if isinstance(reply, News):
        return Rendered(f"<xml>{_head(to_user, corp_id, now, 'news')}{_news_xml(reply)}</xml>")
    parts = split_text(reply.content)
    return Rendered(None, [{"msgtype": "markdown", "markdown": {"content": p}} for p in parts])
