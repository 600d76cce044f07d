"""Tests for the local WeCom API sandbox, driven over real HTTP with `requests`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from sandbox import errcodes
from sandbox.server import SandboxServer
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET, SandboxState

AGENT = SANDBOX_AGENT_ID


class FakeClock:
    """A manually advanced clock for the sandbox state."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        """Start at a fixed epoch time."""
        self.now = start

    def __call__(self) -> float:
        """Current fake time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


class Api:
    """Tiny WeCom client for the tests: fetches a token and adds it to every call."""

    def __init__(self, server: SandboxServer) -> None:
        """Bind to a running sandbox."""
        self.base = server.base_url
        self.control = server.control_url
        self.token = self.fetch_token()

    def fetch_token(self) -> str:
        """GET gettoken with the sandbox credentials."""
        params = {"corpid": SANDBOX_CORP_ID, "corpsecret": SANDBOX_SECRET}
        answer = requests.get(self.base + "gettoken", params=params, timeout=5).json()
        assert answer["errcode"] == 0, answer
        return answer["access_token"]

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        """GET an API path with the token; the JSON answer."""
        return self.raw_get(path, **params).json()

    def raw_get(self, path: str, **params: Any) -> requests.Response:
        """GET an API path with the token; the raw response."""
        params.setdefault("access_token", self.token)
        return requests.get(self.base + path, params=params, timeout=5)

    def post(self, path: str, body: Any, **params: Any) -> dict[str, Any]:
        """POST JSON to an API path with the token; the JSON answer."""
        params.setdefault("access_token", self.token)
        return requests.post(self.base + path, params=params, json=body, timeout=5).json()

    def send(self, msgtype: str = "text", payload: Any = None, **fields: Any) -> dict[str, Any]:
        """POST message/send for this app."""
        if payload is None and msgtype == "text":
            payload = {"content": "hello"}
        body = {"agentid": AGENT, "msgtype": msgtype, msgtype: payload, **fields}
        return self.post("message/send", body)


def seed(state: SandboxState) -> None:
    """Root(1) > Branch A(2) > Group A1(4); Root > Branch B(3); five members; two tags."""
    state.add_department(2, "Branch A", parentid=1, order=2)
    state.add_department(3, "Branch B", parentid=1, order=1)
    state.add_department(4, "Group A1", parentid=2)
    state.add_user("alice", "Alice", [2], position="Secretary")
    state.add_user("bob", "Bob", [4])
    state.add_user("carol", "Carol", [3])
    state.add_user("dave", "Dave", [4], status=5)
    state.add_user("erin", "Erin", [3], status=2)
    state.add_tag(10, "secretaries", users=["alice"])
    state.add_tag(11, "branch-b", parties=[3])
    state.add_media(b"\x89PNG-bytes", "image/png", "badge.png", media_id="m-1")


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    """One sandbox server for the whole module."""
    with SandboxServer(SandboxState()) as srv:
        yield srv


@pytest.fixture
def clock() -> FakeClock:
    """A fresh fake clock."""
    return FakeClock()


@pytest.fixture
def state(server: SandboxServer, clock: FakeClock) -> SandboxState:
    """The server's state, reset, on a fake clock and seeded."""
    server.state.reset()
    server.state.clock = clock
    seed(server.state)
    return server.state


@pytest.fixture
def api(server: SandboxServer, state: SandboxState) -> Api:
    """A client holding a valid token."""
    return Api(server)


def inbox_texts(state: SandboxState, userid: str) -> list[str]:
    """Text contents delivered to a member."""
    return [m["content"]["content"] for m in state.inbox.get(userid, [])]


# ------------------------------------------------------------------ tokens
def test_gettoken_issues_token(server: SandboxServer, state: SandboxState) -> None:
    params = {"corpid": SANDBOX_CORP_ID, "corpsecret": SANDBOX_SECRET}
    answer = requests.get(server.base_url + "gettoken", params=params, timeout=5).json()
    assert answer["errcode"] == 0 and answer["errmsg"] == "ok"
    assert answer["expires_in"] == 7200 and len(answer["access_token"]) <= 512


@pytest.mark.parametrize(
    ("corpid", "secret", "errcode"),
    [
        (SANDBOX_CORP_ID, "wrong", errcodes.INVALID_SECRET),
        ("ww-other", SANDBOX_SECRET, errcodes.INVALID_CORPID),
        ("", SANDBOX_SECRET, errcodes.MISSING_CORPID),
    ],
)
def test_gettoken_rejects_bad_credentials(
    server: SandboxServer, state: SandboxState, corpid: str, secret: str, errcode: int
) -> None:
    params = {"corpid": corpid, "corpsecret": secret}
    answer = requests.get(server.base_url + "gettoken", params=params, timeout=5).json()
    assert answer["errcode"] == errcode and "access_token" not in answer


def test_token_missing_unknown_and_expired(api: Api, state: SandboxState) -> None:
    assert api.get("user/get", userid="alice", access_token="")["errcode"] == 41001
    assert api.get("user/get", userid="alice", access_token="bogus")["errcode"] == 40014
    state.expire_tokens()
    assert api.get("user/get", userid="alice")["errcode"] == 42001
    api.token = api.fetch_token()
    assert api.get("user/get", userid="alice")["errcode"] == 0


def test_token_expires_after_7200_seconds(api: Api, clock: FakeClock) -> None:
    clock.advance(7199)
    assert api.get("user/get", userid="alice")["errcode"] == 0
    clock.advance(1)
    assert api.get("user/get", userid="alice")["errcode"] == 42001


# ------------------------------------------------------------ message/send
def test_send_to_users_reports_invalid_lowercased(api: Api, state: SandboxState) -> None:
    answer = api.send(touser="alice|BOB|Ghost")
    assert answer["errcode"] == 0
    assert answer["invaliduser"] == "ghost"
    assert answer["invalidparty"] == answer["invalidtag"] == answer["unlicenseduser"] == ""
    assert answer["msgid"] and "response_code" not in answer
    assert inbox_texts(state, "alice") == ["hello"] and inbox_texts(state, "bob") == ["hello"]
    message = state.inbox["alice"][0]
    assert message["msgid"] == answer["msgid"] and message["msgtype"] == "text"


def test_inactive_member_is_invalid(api: Api, state: SandboxState) -> None:
    answer = api.send(touser="alice|dave")
    assert answer["errcode"] == 0 and answer["invaliduser"] == "dave"
    assert "dave" not in state.inbox


def test_send_to_party_includes_child_departments(api: Api, state: SandboxState) -> None:
    answer = api.send(toparty="2|99")
    assert answer["errcode"] == 0 and answer["invalidparty"] == "99"
    assert set(state.inbox) == {"alice", "bob"}


def test_send_to_tag_expands_users_and_parties(api: Api, state: SandboxState) -> None:
    answer = api.send(totag="10|11|77")
    assert answer["errcode"] == 0 and answer["invalidtag"] == "77"
    assert set(state.inbox) == {"alice", "carol"}


def test_send_to_all_reaches_every_active_member(api: Api, state: SandboxState) -> None:
    answer = api.send(touser="@all", toparty="999", totag="999")
    assert answer["errcode"] == 0 and answer["invalidparty"] == ""
    assert set(state.inbox) == {"alice", "bob", "carol"}


def test_send_all_invalid_is_81013_and_echoes(api: Api, state: SandboxState) -> None:
    answer = api.send(touser="ghost", toparty="99", totag="77")
    assert answer["errcode"] == errcodes.ALL_RECIPIENTS_INVALID
    assert (answer["invaliduser"], answer["invalidparty"], answer["invalidtag"]) == (
        "ghost", "99", "77",
    )
    assert "msgid" not in answer and state.inbox == {}


def test_send_recipient_count_limits(api: Api) -> None:
    many = "|".join(f"u{i}" for i in range(1001))
    assert api.send(touser=many)["errcode"] == errcodes.INVALID_USERID_LIST_SIZE
    exactly = "|".join(["alice"] + [f"u{i}" for i in range(999)])
    assert api.send(touser=exactly)["errcode"] == 0
    parties = "|".join(str(i) for i in range(101))
    assert api.send(toparty=parties)["errcode"] == errcodes.INVALID_PARTY_LIST_SIZE
    tags = "|".join(str(i) for i in range(101))
    assert api.send(totag=tags)["errcode"] == errcodes.INVALID_TAG_LIST_SIZE
    assert api.send(totag="|".join(["10"] * 100))["errcode"] == 0
    assert api.send(touser="", toparty="")["errcode"] == errcodes.INVALID_PARAMETER


def test_send_envelope_validation(api: Api) -> None:
    body = {"touser": "alice", "msgtype": "text", "text": {"content": "x"}}
    assert api.post("message/send", {**body, "agentid": 1})["errcode"] == 40056
    assert api.post("message/send", body)["errcode"] == 41011
    bad_type = {**body, "agentid": AGENT, "msgtype": "sticker"}
    assert api.post("message/send", bad_type)["errcode"] == 40008
    assert api.send(touser="alice", safe=2)["errcode"] == errcodes.INVALID_PARAMETER


def test_text_and_markdown_2048_byte_limit(api: Api, state: SandboxState) -> None:
    exact = "党" * 682 + "ab"  # 682 * 3 + 2 = 2048 bytes
    assert api.send("text", {"content": exact}, touser="alice")["errcode"] == 0
    over = {"content": exact + "c"}
    assert api.send("text", over, touser="alice")["errcode"] == 45002
    assert api.send("markdown", {"content": exact}, touser="alice")["errcode"] == 0
    assert api.send("markdown", over, touser="alice")["errcode"] == 45002
    assert api.send("text", {"content": ""}, touser="alice")["errcode"] == 44004
    assert len(state.inbox["alice"]) == 2


def test_news_needs_one_to_eight_articles(api: Api) -> None:
    def news(count: int) -> dict[str, Any]:
        return {"articles": [{"title": f"t{i}", "url": "https://x"} for i in range(count)]}

    assert api.send("news", news(1), touser="alice")["errcode"] == 0
    assert api.send("news", news(8), touser="alice")["errcode"] == 0
    assert api.send("news", news(0), touser="alice")["errcode"] == 45008
    assert api.send("news", news(9), touser="alice")["errcode"] == 45008


def test_media_textcard_and_template_card(api: Api) -> None:
    assert api.send("image", {"media_id": "m-1"}, touser="alice")["errcode"] == 0
    assert api.send("image", {"media_id": "nope"}, touser="alice")["errcode"] == 40007
    card = {"title": "t", "url": "https://x"}
    assert api.send("textcard", card, touser="alice")["errcode"] == 41033
    assert api.send("textcard", {**card, "description": "d"}, touser="alice")["errcode"] == 0
    template = {"card_type": "button_interaction", "task_id": "task-1@x",
                "button_list": [{"text": "接单", "key": "accept:1"}]}
    answer = api.send("template_card", template, touser="alice")
    assert answer["errcode"] == 0 and answer["response_code"]
    bad = {**template, "task_id": "bad id!"}
    assert api.send("template_card", bad, touser="alice")["errcode"] == 40058
    for buttons in (None, [], [{"text": "x"}], [{"text": "x", "key": "k"}] * 7):
        no_buttons = {**template, "button_list": buttons}
        assert api.send("template_card", no_buttons, touser="alice")["errcode"] == 40058


def test_vote_card_needs_its_checkbox_and_submit(api: Api) -> None:
    """A vote_interaction card: a question key, mode 0/1, unique option ids, a submit key."""
    checkbox = {"question_key": "answer", "mode": 1,
                "option_list": [{"id": "A", "text": "A. 一"}, {"id": "B", "text": "B. 二"}]}
    vote = {"card_type": "vote_interaction", "task_id": "quiz-1-ab", "checkbox": checkbox,
            "submit_button": {"text": "提交", "key": "quiz:1"}}
    assert api.send("template_card", vote, touser="alice")["errcode"] == 0
    twice = {**checkbox, "option_list": [{"id": "A", "text": "一"}, {"id": "A", "text": "二"}]}
    for wrong in ({**vote, "checkbox": twice}, {**vote, "checkbox": {**checkbox, "mode": 2}},
                  {**vote, "checkbox": {**checkbox, "question_key": ""}},
                  {**vote, "submit_button": {"text": "提交"}}):
        assert api.send("template_card", wrong, touser="alice")["errcode"] == 40058


def test_malformed_body_and_wrong_method(api: Api) -> None:
    url = api.base + "message/send"
    params = {"access_token": api.token}
    answer = requests.post(url, params=params, data=b"{not json", timeout=5).json()
    assert answer["errcode"] == errcodes.DATA_FORMAT_ERROR
    assert api.get("message/send")["errcode"] == errcodes.DATA_FORMAT_ERROR
    assert api.raw_get("no/such/api").status_code == 404


# -------------------------------------------------------------- rate limit
def test_member_rate_limit_drops_silently(
    api: Api, state: SandboxState, clock: FakeClock
) -> None:
    for i in range(30):
        assert api.send("text", {"content": f"m{i}"}, touser="alice|bob")["errcode"] == 0
    answer = api.send("text", {"content": "m30"}, touser="alice")
    assert answer["errcode"] == 0 and answer["invaliduser"] == ""
    assert len(state.inbox["alice"]) == 30 and "m30" not in inbox_texts(state, "alice")
    assert state.dropped[-1]["userid"] == "alice"
    assert state.dropped[-1]["msgid"] == answer["msgid"]
    clock.advance(60)
    assert api.send("text", {"content": "later"}, touser="alice")["errcode"] == 0
    assert inbox_texts(state, "alice")[-1] == "later"


def test_member_rate_limit_per_hour(state: SandboxState, clock: FakeClock) -> None:
    body = {"msgtype": "text", "text": {"content": "x"}}
    for _ in range(1000):
        state.send_message(body, ["carol"], [], [])
        clock.advance(3)  # 20/min: under the minute limit
    outcome = state.send_message(body, ["carol"], [], [])
    assert outcome.dropped == ["carol"] and len(state.inbox["carol"]) == 1000
    assert "hour" in state.dropped[-1]["reason"]
    clock.advance(600)  # the first deliveries leave the one-hour window
    assert state.send_message(body, ["carol"], [], []).delivered == ["carol"]


# ------------------------------------------------------ failure injection
def test_fail_next_answers_errcode_then_recovers(api: Api, state: SandboxState) -> None:
    state.fail_next("message/send", 45033, times=2)
    assert api.send(touser="alice")["errcode"] == 45033
    answer = api.send(touser="alice")
    assert answer == {"errcode": 45033, "errmsg": errcodes.ERRMSG.get(45033, "error")}
    assert api.send(touser="alice")["errcode"] == 0
    assert len(state.inbox["alice"]) == 1
    calls = state.calls_to("/cgi-bin/message/send")
    assert [c.response["errcode"] for c in calls] == [45033, 45033, 0]


def test_fail_next_on_gettoken_with_message(api: Api, state: SandboxState) -> None:
    state.fail_next("gettoken", -1, errmsg="system busy")
    with pytest.raises(AssertionError):
        api.fetch_token()
    assert state.calls_to("gettoken")[-1].response == {"errcode": -1, "errmsg": "system busy"}
    assert api.fetch_token()


def test_slow_next_delays(api: Api, state: SandboxState) -> None:
    state.slow_next("user/get", 0.3)
    started = time.monotonic()
    assert api.get("user/get", userid="alice")["errcode"] == 0
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    api.get("user/get", userid="alice")
    assert time.monotonic() - started < 0.3


def test_slow_next_can_trip_client_timeout(api: Api, state: SandboxState) -> None:
    state.slow_next("message/send", 0.5)
    with pytest.raises(requests.Timeout):
        requests.post(
            api.base + "message/send", params={"access_token": api.token},
            json={"agentid": AGENT, "touser": "alice", "msgtype": "text",
                  "text": {"content": "x"}},
            timeout=0.1,
        )


def test_http_error_next(api: Api, state: SandboxState) -> None:
    state.http_error_next("user/get", status=502, times=1)
    assert api.raw_get("user/get", userid="alice").status_code == 502
    assert api.raw_get("user/get", userid="alice").status_code == 200
    assert state.calls_to("user/get")[0].response == {"http_status": 502}


# ------------------------------------------------------------------ recall
def test_recall(api: Api, state: SandboxState, clock: FakeClock) -> None:
    msgid = api.send(touser="alice|bob")["msgid"]
    assert api.post("message/recall", {"msgid": msgid})["errcode"] == 0
    assert all(state.inbox[u][0]["recalled"] for u in ("alice", "bob"))
    assert api.post("message/recall", {"msgid": msgid})["errcode"] == errcodes.INVALID_MSGID
    assert api.post("message/recall", {"msgid": "nope"})["errcode"] == errcodes.INVALID_MSGID
    old = api.send(touser="alice")["msgid"]
    clock.advance(24 * 3600 + 1)
    api.token = api.fetch_token()  # the old token expired meanwhile
    assert api.post("message/recall", {"msgid": old})["errcode"] == errcodes.RECALL_EXPIRED


# ---------------------------------------------------------------- contacts
def test_user_get(api: Api) -> None:
    answer = api.get("user/get", userid="alice")
    assert answer["errcode"] == 0 and answer["name"] == "Alice"
    assert answer["department"] == [2] and answer["main_department"] == 2
    assert answer["position"] == "Secretary" and answer["status"] == 1
    assert "mobile" not in answer and "avatar" not in answer  # new self-built app
    assert api.get("user/get", userid="ghost")["errcode"] == 60111
    assert api.get("user/get")["errcode"] == 41009


def test_user_list_and_simplelist(api: Api) -> None:
    direct = api.get("user/list", department_id=2)
    assert [u["userid"] for u in direct["userlist"]] == ["alice"]
    nested = api.get("user/list", department_id=2, fetch_child=1)
    assert {u["userid"] for u in nested["userlist"]} == {"alice", "bob", "dave"}
    assert "position" in nested["userlist"][0]
    simple = api.get("user/simplelist", department_id=1, fetch_child=1)
    assert len(simple["userlist"]) == 5
    assert set(simple["userlist"][0]) == {"userid", "name", "department", "open_userid"}
    assert api.get("user/list", department_id=42)["errcode"] == 60123
    assert api.get("user/simplelist")["errcode"] == 41019


def test_department_list(api: Api) -> None:
    everything = api.get("department/list")
    assert [d["id"] for d in everything["department"]] == [1, 2, 4, 3]
    branch = api.get("department/list", id=2)["department"]
    assert [d["id"] for d in branch] == [2, 4]
    assert set(branch[0]) >= {"id", "name", "name_en", "department_leader", "parentid", "order"}
    assert api.get("department/list", id=42)["errcode"] == 60123


def test_tag_get(api: Api) -> None:
    answer = api.get("tag/get", tagid=10)
    assert answer["tagname"] == "secretaries"
    assert answer["userlist"] == [{"userid": "alice", "name": "Alice"}]
    assert api.get("tag/get", tagid=11)["partylist"] == [3]
    assert api.get("tag/get", tagid=99)["errcode"] == 40068


# -------------------------------------------------------------------- menu
def test_menu_create_validation(api: Api, state: SandboxState) -> None:
    leaf = {"type": "click", "name": "学习", "key": "STUDY"}
    good = {"button": [leaf, {"name": "更多", "sub_button": [
        {"type": "view", "name": "官网", "url": "https://example.com"}]}]}
    assert api.post("menu/create", good, agentid=AGENT)["errcode"] == 0
    assert state.menu == good
    assert api.get("menu/get", agentid=AGENT)["button"] == good["button"]
    cases = [
        ({"button": [leaf] * 4}, 40016),
        ({"button": [{"name": "更多", "sub_button": [leaf] * 6}]}, 40023),
        ({"button": [{**leaf, "name": "一二三四五六"}]}, 40018),  # 18 bytes > 16
        ({"button": [{**leaf, "type": "dance"}]}, 40017),
        ({"button": [{"name": "更多", "sub_button": [{**leaf, "name": "x" * 41}]}]}, 40025),
    ]
    for body, errcode in cases:
        assert api.post("menu/create", body, agentid=AGENT)["errcode"] == errcode, body
    assert api.post("menu/create", good, agentid=1)["errcode"] == 40056
    assert state.menu == good


# ------------------------------------------------------------------- media
def test_media_get_and_upload(api: Api) -> None:
    response = api.raw_get("media/get", media_id="m-1")
    assert response.content == b"\x89PNG-bytes"
    assert response.headers["Content-Type"] == "image/png"
    assert 'filename="badge.png"' in response.headers["Content-Disposition"]
    assert api.get("media/get", media_id="nope")["errcode"] == 40007
    uploaded = requests.post(
        api.base + "media/upload", params={"access_token": api.token, "type": "file"},
        files={"media": ("学习.txt", b"hello", "text/plain")}, timeout=5,
    ).json()
    assert uploaded["errcode"] == 0 and uploaded["type"] == "file"
    again = api.raw_get("media/get", media_id=uploaded["media_id"])
    assert again.content == b"hello" and "UTF-8''" in again.headers["Content-Disposition"]


# ------------------------------------------------------------------- OAuth
def test_getuserinfo_code_is_single_use(api: Api, state: SandboxState) -> None:
    code = state.issue_code("alice")
    answer = api.get("auth/getuserinfo", code=code)
    assert answer == {"errcode": 0, "errmsg": "ok", "userid": "alice"}
    assert api.get("auth/getuserinfo", code=code)["errcode"] == 40029
    assert api.get("auth/getuserinfo", code="made-up")["errcode"] == 40029


def test_getuserinfo_expiry_privateinfo_and_outsider(
    api: Api, state: SandboxState, clock: FakeClock
) -> None:
    stale = state.issue_code("alice")
    clock.advance(301)
    assert api.get("auth/getuserinfo", code=stale)["errcode"] == 40029
    private = api.get("auth/getuserinfo", code=state.issue_code("bob", "snsapi_privateinfo"))
    assert private["userid"] == "bob" and private["user_ticket"]
    outsider = api.get("auth/getuserinfo", code=state.issue_code("stranger"))
    assert "userid" not in outsider and outsider["openid"]


# ------------------------------------------------------------ control API
def test_control_api_roster_codes_and_inbox(server: SandboxServer, api: Api) -> None:
    control = server.control_url
    assert requests.post(control + "reset", timeout=5).json()["ok"]
    depts = [{"id": 5, "name": "Branch C"}]
    assert requests.post(control + "departments", json=depts, timeout=5).json()["added"] == 1
    users = {"users": [{"userid": "zoe", "name": "Zoe", "department": [5]}]}
    assert requests.post(control + "users", json=users, timeout=5).json()["added"] == 1
    tags = [{"tagid": 7, "tagname": "c", "userlist": ["zoe"]}]
    assert requests.post(control + "tags", json=tags, timeout=5).json()["added"] == 1
    api.token = api.fetch_token()  # reset forgot the old token
    code = requests.post(control + "code/zoe", timeout=5).json()["code"]
    assert api.get("auth/getuserinfo", code=code)["userid"] == "zoe"
    for text in ("one", "two", "three"):
        assert api.send("text", {"content": text}, totag="7")["errcode"] == 0
    box = requests.get(control + "inbox/zoe", params={"since": 1}, timeout=5).json()
    assert [m["content"]["content"] for m in box["messages"]] == ["two", "three"]
    assert box["next"] == 3


def test_control_api_faults_and_calls(server: SandboxServer, api: Api) -> None:
    control = server.control_url
    fail = {"path": "user/get", "errcode": 45009, "times": 1}
    assert requests.post(control + "fail", json=fail, timeout=5).json()["ok"]
    slow = {"path": "user/get", "seconds": 0.2}
    assert requests.post(control + "slow", json=slow, timeout=5).json()["ok"]
    started = time.monotonic()
    assert api.get("user/get", userid="alice")["errcode"] == 45009
    assert time.monotonic() - started >= 0.2
    requests.post(control + "http_error", json={"path": "user/get", "status": 503}, timeout=5)
    assert api.raw_get("user/get", userid="alice").status_code == 503
    calls = requests.get(control + "calls", params={"path": "user/get"}, timeout=5).json()
    assert [c["response"].get("errcode") for c in calls["calls"]] == [45009, None]
    assert calls["calls"][0]["params"]["userid"] == "alice"
    requests.post(control + "expire_tokens", timeout=5)
    assert api.get("user/get", userid="alice")["errcode"] == 42001
    assert requests.post(control + "fail", json={"path": "x"}, timeout=5).status_code == 400


def test_control_api_advance_and_dropped(
    server: SandboxServer, api: Api, state: SandboxState
) -> None:
    for _ in range(31):
        api.send(touser="carol")
    dropped = requests.get(server.control_url + "dropped", timeout=5).json()["dropped"]
    assert [d["userid"] for d in dropped] == ["carol"]
    requests.post(server.control_url + "advance", json={"seconds": 61}, timeout=5)
    api.send(touser="carol")
    assert len(state.inbox["carol"]) == 31


def test_calls_are_recorded_with_body(api: Api, state: SandboxState, clock: FakeClock) -> None:
    api.send(touser="alice")
    call = state.calls_to("message/send")[-1]
    assert call.path == "message/send" and call.params["access_token"] == api.token
    assert call.body is not None and call.body["touser"] == "alice"
    assert call.response["errcode"] == 0 and call.at == clock.now


def test_server_context_manager_picks_free_port() -> None:
    with SandboxServer() as extra:
        assert extra.base_url.startswith("http://127.0.0.1:") and extra.port > 0
        assert extra.base_url.endswith("/cgi-bin/")
        assert extra.state.agent_id == SANDBOX_AGENT_ID
        params = {"corpid": SANDBOX_CORP_ID, "corpsecret": SANDBOX_SECRET}
        answer = requests.get(extra.base_url + "gettoken", params=params, timeout=5).json()
        assert answer["errcode"] == 0
