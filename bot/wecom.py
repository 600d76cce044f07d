"""The outbound WeCom client: wechatpy's enterprise client, a shared token, retries, batching."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any, TypeVar

import redis
import requests
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

from bot import keys

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_USERS, MAX_PARTIES, MAX_TAGS = 1000, 100, 100
BUSY_BACKOFF_S = (1, 2, 4)  # for errcode -1 and network failures
TOKEN_MARGIN_S = 300  # drop our copy of the token this long before WeCom expires it
TOKEN_ERRORS = {40014, 42001}
RATE_ERRORS = {45009, 45033}
NO_RECIPIENTS = 81013
INVALID_CODE = 40029  # an OAuth / web-login code that is unknown, used or expired


class WeComError(Exception):
    """WeCom answered with a non-zero errcode (or not at all)."""

    def __init__(self, errcode: int | None, errmsg: str = "") -> None:
        super().__init__(f"WeCom error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WeComRateLimited(WeComError):
    """45009/45033: back off and try again later, do not hammer."""


class WeComUnavailable(WeComError):
    """-1, HTTP errors or timeouts that outlasted the retries."""


class WeComNoRecipients(WeComError):
    """81013: every recipient was invalid; not retriable."""


@dataclass
class SendResult:
    """What message/send said over all batches."""

    msgids: list[str] = field(default_factory=list)
    invalid_users: list[str] = field(default_factory=list)
    invalid_parties: list[str] = field(default_factory=list)
    invalid_tags: list[str] = field(default_factory=list)
    unlicensed_users: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RecipientBatch:
    """Recipients of one message/send call, within WeCom's limits."""

    users: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def _chunks(items: Sequence[str], size: int) -> list[tuple[str, ...]]:
    return [tuple(items[i : i + size]) for i in range(0, len(items), size)]


def batches(users: Sequence[str] = (), parties: Sequence[str] = (),
            tags: Sequence[str] = ()) -> list[RecipientBatch]:
    """Split recipients into calls of at most 1000 users, 100 parties and 100 tags."""
    if "@all" in users:
        return [RecipientBatch(users=("@all",))]
    rows = zip_longest(
        _chunks(users, MAX_USERS), _chunks(parties, MAX_PARTIES), _chunks(tags, MAX_TAGS),
        fillvalue=(),
    )
    return [RecipientBatch(u, p, t) for u, p, t in rows]


def wait_next(backoff: Iterator[int], sleep: Callable[[float], None]) -> bool:
    """Sleep the next delay of a backoff; False when the backoff is used up."""
    delay = next(backoff, None)
    if delay is None:
        return False
    sleep(delay)
    return True


class _RedisLock:
    """A small Redis lock (SET NX PX); works on fakeredis, which has no Lua."""

    def __init__(self, client: redis.Redis, name: str, ttl_ms: int = 10_000) -> None:
        self.client, self.name, self.ttl_ms = client, name, ttl_ms
        self.value = secrets.token_hex(8)

    def __enter__(self) -> _RedisLock:
        deadline = time.monotonic() + self.ttl_ms / 1000
        while not self.client.set(self.name, self.value, nx=True, px=self.ttl_ms):
            if time.monotonic() > deadline:
                raise WeComUnavailable(None, "timed out waiting for the token lock")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client.get(self.name) == self.value.encode():
            self.client.delete(self.name)


class _WeChat(WeChatClient):
    """wechatpy's client with our base URL and our shared token."""

    def __init__(self, owner: WeComClient, timeout: float) -> None:
        super().__init__(owner.corp_id, owner.secret, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = owner.base_url
        self._owner = owner

    @property
    def access_token(self) -> str:  # type: ignore[override]
        """The token shared by every process, through Redis."""
        return self._owner.token()

    def fetch_access_token(self) -> dict[str, Any]:
        """Fetch from WECOM_API_BASE, not wechatpy's hard-coded host."""
        return self._owner.fetch_token()


class WeComClient:
    """Calls the WeCom API (or the sandbox) with the token policy and retries we need."""

    def __init__(
        self,
        base_url: str,
        corp_id: str,
        secret: str,
        agent_id: int,
        redis_client: redis.Redis,
        timeout: float = 4.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url
        self.corp_id = corp_id
        self.secret = secret
        self.agent_id = agent_id
        self.redis = redis_client
        self.sleep = sleep
        self.api = _WeChat(self, timeout)
        self._token_key = keys.access_token(corp_id, agent_id)
        self._lock_key = keys.access_token_lock(corp_id, agent_id)

    # -- token -----------------------------------------------------------------------

    def token(self) -> str:
        """The cached access token; fetched by exactly one process when missing."""
        cached = self.redis.get(self._token_key)
        if cached:
            return cached.decode()
        with _RedisLock(self.redis, self._lock_key):
            cached = self.redis.get(self._token_key)  # another process may have fetched it
            if cached:
                return cached.decode()
            return self.fetch_token()["access_token"]

    def fetch_token(self) -> dict[str, Any]:
        """Call gettoken and cache the token in Redis (callers hold the lock)."""
        try:
            response = self.api._http.get(
                self.base_url + "gettoken",
                params={"corpid": self.corp_id, "corpsecret": self.secret},
                timeout=self.api.timeout,
            )
            result = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise WeComUnavailable(None, f"gettoken failed: {exc}") from exc
        if result.get("errcode", 0) != 0:
            raise WeComError(result.get("errcode"), result.get("errmsg", ""))
        ttl = max(60, int(result.get("expires_in", 7200)) - TOKEN_MARGIN_S)
        self.redis.set(self._token_key, result["access_token"], ex=ttl)
        log.info("fetched a new WeCom access token (valid %s s)", ttl)
        return result

    def invalidate(self, token: str) -> None:
        """Drop the cached token if it is still the one that failed."""
        with self.redis.pipeline() as pipe:
            try:
                pipe.watch(self._token_key)
                if pipe.get(self._token_key) == token.encode():
                    pipe.multi()
                    pipe.delete(self._token_key)
                    pipe.execute()
            except redis.WatchError:
                pass  # someone replaced it already

    # -- calls -----------------------------------------------------------------------

    def call(self, fn: Callable[[WeChatClient], T]) -> T:
        """Run one API call with the policy: token refresh once, -1 backoff, no hammering."""
        refreshed = False
        busy = iter(BUSY_BACKOFF_S)
        while True:
            token = self.token()
            try:
                return fn(self.api)
            except WeChatClientException as exc:
                code = exc.errcode
                if code in TOKEN_ERRORS and not refreshed:
                    refreshed = True
                    self.invalidate(token)
                    continue
                if code in RATE_ERRORS:
                    raise WeComRateLimited(code, str(exc.errmsg)) from exc
                if code == NO_RECIPIENTS:
                    raise WeComNoRecipients(code, str(exc.errmsg)) from exc
                if code in (-1, None) and wait_next(busy, self.sleep):
                    continue
                if code in (-1, None):
                    raise WeComUnavailable(code, str(exc.errmsg)) from exc
                raise WeComError(code, str(exc.errmsg)) from exc
            except requests.RequestException as exc:
                if wait_next(busy, self.sleep):
                    continue
                raise WeComUnavailable(None, str(exc)) from exc

    def send_batch(self, batch: RecipientBatch, payload: dict[str, Any],
                   duplicate_check_s: int | None = None) -> dict[str, Any]:
        """One message/send call for one batch of recipients; with `duplicate_check_s`, WeCom
        does not deliver again what a recipient got with the same content that long ago."""
        data: dict[str, Any] = {
            "touser": "|".join(batch.users),
            "toparty": "|".join(batch.parties),
            "totag": "|".join(batch.tags),
            "agentid": self.agent_id,
            **payload,
        }
        if duplicate_check_s is not None:
            data["enable_duplicate_check"] = 1
            data["duplicate_check_interval"] = duplicate_check_s
        return self.call(lambda api: api.post("message/send", data=data))

    def send(self, payload: dict[str, Any], users: Sequence[str] = (),
             parties: Sequence[str] = (), tags: Sequence[str] = (),
             duplicate_check_s: int | None = None) -> SendResult:
        """Send one message to any number of recipients, batched at WeCom's limits."""
        result = SendResult()
        for batch in batches(users, parties, tags):
            try:
                answer = self.send_batch(batch, payload, duplicate_check_s)
            except WeComNoRecipients:
                result.invalid_users.extend(batch.users)
                result.invalid_parties.extend(batch.parties)
                result.invalid_tags.extend(batch.tags)
                continue
            record_answer(result, answer)
        return result

    def recall(self, msgid: str) -> None:
        """Recall a message sent in the last 24 hours."""
        self.call(lambda api: api.post("message/recall", data={"msgid": msgid}))

    def user_for_code(self, code: str) -> str | None:
        """The userid behind an OAuth or web-login code; None for someone outside the corp
        (WeCom then answers with an openid only). A bad code raises WeComError INVALID_CODE."""
        answer = self.call(lambda api: api.get("auth/getuserinfo", params={"code": code}))
        userid = answer.get("userid") if isinstance(answer, dict) else None
        return str(userid) if userid else None

    def create_menu(self, menu: dict[str, Any]) -> None:
        """Replace the app's menu."""
        self.call(lambda api: api.post("menu/create", params={"agentid": self.agent_id},
                                       data=menu))


def record_answer(result: SendResult, answer: dict[str, Any]) -> None:
    """Add one message/send answer's msgid and invalid recipients to a result."""
    if answer.get("msgid"):
        result.msgids.append(str(answer["msgid"]))
    for field_name, target in (("invaliduser", result.invalid_users),
                               ("invalidparty", result.invalid_parties),
                               ("invalidtag", result.invalid_tags),
                               ("unlicenseduser", result.unlicensed_users)):
        value = answer.get(field_name) or ""
        target.extend(v for v in str(value).split("|") if v)
