"""The webhook benchmark's callbacks: the modes, signed requests and sample replies."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

from bench.webhook_state import AES_KEY, DB_URL, TOKEN
from content import answer_texts, reflection_texts, texts
from sandbox.simulator import HttpTransport, MemberSimulator
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID

MEMBER = "zhangwei"


def simulator(url: str = "http://127.0.0.1/") -> MemberSimulator:
    """A member simulator signing with the bench token and key."""
    return MemberSimulator(HttpTransport(url), TOKEN, AES_KEY, SANDBOX_CORP_ID, SANDBOX_AGENT_ID)


MODES = ("help", "step", "write", "stranger", "answer")
MODE_NAMES = {"help": "帮助", "step": "conversation step (完成 re-asked)",
              "write": "reflection part (write path)",
              "stranger": "a stranger's message (in the corp, not in the roster)",
              "answer": "问答 (a question the demo library answers)"}
MODE_REPLIES = {"help": texts.HELP.split("{")[0],
                "step": reflection_texts.TOO_SHORT.split("{")[0],
                "write": reflection_texts.PART_SAVED.split("{")[0],
                "stranger": texts.NOT_IN_ROSTER,
                "answer": answer_texts.FOUND_HEAD}
CONVERSATION_MODES = ("step", "write")  # members inside 写心得, opened before the bot's round
CONVERSATION_MEMBERS = 400  # step/write: members taking turns (one message each in flight)
STRANGERS = 50  # stranger: userids not in the roster taking turns (each noted once a day)
QUESTION = "提问 支部党员大会多久开一次？"  # answer: top-1 in bench/answers_questions.yaml


def mode_text(mode: str, n: int) -> str:
    """The text of the n-th callback of a mode (distinct for write: a new part each time)."""
    if mode == "help":
        return "帮助"
    if mode == "step":
        return reflection_texts.FINISH_WORD
    if mode == "stranger":
        return "你好，请问怎么使用学习助手？"
    if mode == "answer":
        return QUESTION
    return f"第{n}条：学习体会，联系实际，把学习成果落实到本职工作中。"


def mode_members(mode: str) -> list[str]:
    """Who sends a mode's callbacks: zhangwei for help and answer, userids the roster does not
    have for stranger, else active demo members in turn."""
    if mode in ("help", "answer"):
        return [MEMBER]
    if mode == "stranger":
        return [f"bench_stranger_{n:03d}" for n in range(STRANGERS)]
    with psycopg.connect(DB_URL, connect_timeout=3) as conn:
        rows = conn.execute("SELECT userid FROM members WHERE status = 'active' AND userid <> "
                            "%s ORDER BY id LIMIT %s", (MEMBER, CONVERSATION_MEMBERS)).fetchall()
    if len(rows) < 64:
        raise RuntimeError(f"only {len(rows)} active demo members; step/write need >= 64")
    return [row[0] for row in rows]


def write_callbacks(path: Path, count: int, first_msg_id: int, mode: str = "help",
                    members: list[str] | None = None) -> None:
    """Write `count` distinct signed callbacks of a mode, one 'query<TAB>body' per line."""
    sim = simulator()
    senders = members or [MEMBER]
    with path.open("w") as out:
        for n in range(count):
            inner = sim.inner(senders[n % len(senders)], "text",
                              {"Content": mode_text(mode, first_msg_id + n),
                               "MsgId": first_msg_id + n})
            query, body = sim.envelope(inner)
            line = "&".join(f"{k}={v}" for k, v in query.items())
            out.write(f"{line}\t{body.decode()}\n")


def check_reply(url: str, expect: str, member: str = MEMBER, content: str = "帮助") -> str:
    """POST one fresh callback; its passive reply must decrypt to text containing `expect`."""
    sim = simulator(url)
    inner = sim.inner(member, "text", {"Content": content, "MsgId": time.time_ns()})
    delivery = sim.deliver(inner, retries=0)
    if delivery.status != 200 or expect not in delivery.text:
        raise RuntimeError(f"{url}: expected a 200 reply containing {expect!r}, got "
                           f"status {delivery.status}, text {delivery.text!r}")
    return delivery.text


def open_conversation(url: str, member: str) -> int:
    """Put one member inside 写心得 with an empty draft (subject 0 if asked); messages sent."""
    start = reflection_texts.START_WRITING.split("{")[0]
    text = check_reply(url, "", member, "写心得")
    if start in text:
        return 1
    if reflection_texts.CHOOSE_SUBJECT.split("{")[0] not in text:
        raise RuntimeError(f"{member}: 写心得 answered {text!r}")
    check_reply(url, start, member, "0")
    return 2


def open_conversations(url: str, members: list[str]) -> int:
    """Open 写心得 for every member through the running bot; returns the messages sent."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return sum(pool.map(lambda m: open_conversation(url, m), members))
