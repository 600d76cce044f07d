"""The demo: Pioneer on its embedded defaults, a local WeCom sandbox, and a chat as a member.

    python -m sandbox.chat [--instance DIR] [--script FILE]      (or: ./dev demo)

No PostgreSQL, Redis or WeCom needed: SQLite under instance/, an in-process Redis, and the
sandbox standing in for qyapi.weixin.qq.com. Callbacks travel over real HTTP, signed and
encrypted exactly as WeCom sends them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

import requests
from flask import Flask
from werkzeug.serving import make_server

import clock
from bot import ROOT
from bot.config import ConfigError
from bot.demo_data import DEMO_CONSOLE_USER, NotADemoDatabase, check_demo_database, mark_demo
from bot.extensions import redis_store
from bot.services import wecom_client
from bot.wecom import WeComError
from console.accounts import create_admin, find_account, set_password
from content.menu import MENU
from models import db
from pioneer import create_app, demo_clock
from pioneer.demo import seed_demo_year
from roster.demo import NAMED_PEOPLE, demo_committee, seed_demo
from roster.sync import RosterSync, SyncError
from sandbox.seed import seed_sandbox
from sandbox.server import SandboxServer
from sandbox.simulator import Delivery, HttpTransport, MemberSimulator
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET, SandboxState

# The demo's fixed WeCom credentials: the sandbox's, useless anywhere real.
DEMO_TOKEN = "pioneer-demo-token"
DEMO_AES_KEY = "kcRtF1O0m9O/bRbPf5SEn/Ibr/shyPesbysQeeDOrvU"
DEMO_SECRET_KEY = "pioneer-demo-secret-key"
CALLS_SHOWN = 10

BANNER = """\
先锋学习助手 · 本地演示 / Pioneer local demo
数据库 SQLite，进程内 Redis，本地企业微信沙箱；您以党员身份和机器人对话。
SQLite, in-process Redis and a local WeCom sandbox; you chat with the bot as a member.
直接输入文字即发送消息 / type a line to send it as a text message. Commands:
  /as USERID      切换成员 switch member          /members   成员列表 list demo members
  /click [KEY]    点击菜单 tap a menu button      /menu      应用菜单 show the app menu
  /event NAME [KEY]  任意事件 any event (subscribe, enter_agent, ...)
  /tap [N] [A C]  点卡片按钮 tap button N of the last card (vote card: tick A C, submit)
  /image /location   图片、位置消息 send an image / a location
  /calls          最近的企业微信接口调用 last sandbox API calls
  /clock [+2h|+1d|2026-12-08 15:00|now]  演示时钟 move the demo's time ahead (now: real time)
  /sync           从沙箱通讯录同步名册 roster sync from the sandbox's contacts
  /contact CHANGE USERID [Name=..]  通讯录变更事件 a change_contact event from WeCom
  /help           本说明 this text                /quit      退出 quit
"""


def configure_environment(instance: str | None, api_base: str) -> str:
    """Set every setting the demo runs on, whatever the environment and `.env` say (a
    DATABASE_URL or REDIS_URL there is a real deployment's: the demo never touches it);
    returns the demo's SQLite file."""
    folder = os.path.abspath(instance or os.path.join(ROOT, "instance"))
    os.makedirs(folder, exist_ok=True)
    database = os.path.join(folder, "pioneer.db")
    settings = {
        "WECOM_CORP_ID": SANDBOX_CORP_ID, "WECOM_SECRET": SANDBOX_SECRET,
        "WECOM_AGENT_ID": str(SANDBOX_AGENT_ID), "WECOM_TOKEN": DEMO_TOKEN,
        "WECOM_AES_KEY": DEMO_AES_KEY, "SECRET_KEY": DEMO_SECRET_KEY,
        "DATABASE_URL": "sqlite:///" + database,
        "REDIS_URL": "",  # present and empty, so `.env` cannot fill it: in-process Redis
        "WECOM_API_BASE": api_base,
        # Tracked links sign in through the sandbox's stand-in for WeCom's OAuth page.
        "WECOM_OAUTH_URL": api_base.removesuffix("cgi-bin/") + "connect/oauth2/authorize",
        # The web console's QR login goes to the sandbox's stand-in for WeCom's web login.
        "WECOM_WEB_LOGIN_URL": api_base.removesuffix("cgi-bin/") + "wwlogin/sso/login",
    }
    ignored = [name for name in ("DATABASE_URL", "REDIS_URL")
               if os.environ.get(name) or _dotenv_has(name)]
    os.environ.update(settings)
    if ignored:
        print(f"(demo: {' and '.join(ignored)} from the environment or .env ignored; the demo "
              "runs only on its own SQLite and an in-process Redis)", file=sys.stderr)
    return database


def _dotenv_has(name: str) -> bool:
    """Does the repo's .env set `name`?"""
    from dotenv import dotenv_values

    path = os.path.join(ROOT, ".env")
    return os.path.exists(path) and bool(dotenv_values(path).get(name))


@contextmanager
def serve_http(app: Flask) -> Iterator[str]:
    """Serve the app over HTTP on 127.0.0.1 (a free port) in a daemon thread; yield its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="pioneer-demo", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Demo:
    """The demo's app, where its data lives and the console password of this start."""

    app: Flask
    database: str
    console_password: str


def prepare_app(sandbox: SandboxServer, instance: str | None) -> Demo:
    """Build the app on the demo's own SQLite and in-process Redis, migrate the schema, seed
    the demo committee (NotADemoDatabase if the file holds data the demo did not write)."""
    from flask_migrate import upgrade

    database = configure_environment(instance, sandbox.base_url)
    app = create_app()
    state = sandbox.state  # the sandbox corp answers to whatever credentials the app uses
    state.corp_id = app.config["WECOM_CORP_ID"]
    state.secret = app.config["WECOM_SECRET"]
    state.agent_id = app.config["WECOM_AGENT_ID"]
    with app.app_context():
        try:
            check_demo_database()  # before migrating: a file not the demo's stays as it was
        except NotADemoDatabase:
            db.session.remove()
            db.engine.dispose()
            raise
        upgrade()
        mark_demo()
        seed_demo()
        password = ensure_demo_console_account()
        db.session.commit()
        seed_demo_year()  # the library, menu, quiz bank; months of participation; the year
        try:
            wecom_client().create_menu(MENU)
        except WeComError as exc:
            print(f"(menu not pushed to the sandbox: {exc})")
    seed_sandbox(state)
    demo_clock.enable(app)  # /clock: only here, on the demo's own database
    return Demo(app, database, password)


def ensure_demo_console_account() -> str:
    """The demo's local console admin (the web console's fallback login) with a new random
    password for this start (not committed); returns the password."""
    password = secrets.token_urlsafe(12)
    if find_account(DEMO_CONSOLE_USER) is None:
        create_admin(DEMO_CONSOLE_USER, password, "demo")
    else:
        set_password(DEMO_CONSOLE_USER, password, "demo")
    return password


def console_lines(url: str, password: str) -> list[str]:
    """How to open the web console of this demo."""
    return [f"管理后台 / web console: {url}/console/",
            "  扫码登录 (sandbox QR page): pick 陈静 (chenjing, admin), 李娜 (lina, contact) "
            "or 刘洋 (liuyang, lecturer)",
            f"  本地账号 / local account: {DEMO_CONSOLE_USER} / {password} "
            "(本次启动随机生成 / new at every start)"]


def store_line(database: str) -> str:
    """Where the demo keeps its data, and what it never touches."""
    return (f"演示数据 / demo data: SQLite {database}, in-process Redis "
            "(DATABASE_URL and REDIS_URL from the environment and .env are never used)")


# -- printing ---------------------------------------------------------------------------


def reply_lines(delivery: Delivery) -> list[str]:
    """The passive reply as lines: text content, news articles, or a note that there was none."""
    reply = delivery.reply
    statuses = "" if delivery.statuses == [200] else f"  HTTP {delivery.statuses}"
    if reply is None:
        return [f"(no passive reply){statuses}"]
    lines = [f"<< {line}" for line in str(reply.get("Content", "")).splitlines()]
    for article in reply.get("Articles", []):
        lines.append(f"<< [{article.get('Title', '')}] {article.get('Url', '')}".rstrip())
    if not lines:
        lines = [f"<< ({reply.get('MsgType', '?')} reply) {json.dumps(reply, ensure_ascii=False)}"]
    return lines + ([statuses.strip()] if statuses else [])


def pushed_lines(message: dict[str, Any]) -> list[str]:
    """One inbox message (delivered by message/send) as lines marked as pushed."""
    kind, content = message.get("msgtype", "?"), message.get("content") or {}
    mark = f"[pushed {kind}{', recalled' if message.get('recalled') else ''}]"
    if kind == "template_card" and isinstance(content, dict):
        body = card_lines(content)
    elif isinstance(content, dict) and "content" in content:
        body = str(content["content"]).splitlines()
    elif isinstance(content, dict) and "articles" in content:
        body = [f"[{a.get('title', '')}] {a.get('url', '')}" for a in content["articles"]]
    elif isinstance(content, dict) and "title" in content:
        body = [str(content["title"]), *str(content.get("description", "")).splitlines()]
    else:
        body = [json.dumps(content, ensure_ascii=False)]
    return [f"{mark} {body[0] if body else ''}", *(f"   {line}" for line in body[1:])]


def card_lines(card: dict[str, Any]) -> list[str]:
    """A template card as lines: its titles, its list, its numbered buttons or checkboxes."""
    title = card.get("main_title") or {}
    lines = [str(title.get("title", "")), str(card.get("sub_title_text") or title.get("desc", ""))]
    lines += [f"{item.get('keyname', '')}  {item.get('value', '')}"
              for item in card.get("horizontal_content_list", [])]
    lines += [f"[{i}] {b.get('text', '')}" for i, b in enumerate(card.get("button_list", []), 1)]
    options = (card.get("checkbox") or {}).get("option_list", [])
    lines += [f"[ ] {o.get('id', '')}: {o.get('text', '')}" for o in options]
    if card.get("submit_button"):
        lines.append(f"[1] {card['submit_button'].get('text', '')}  (/tap 1 A C)")
    return [line for line in lines if line.strip()]


def menu_lines(buttons: list[dict[str, Any]], depth: int = 0) -> list[str]:
    """The app menu as an indented tree: name, type and key or url."""
    lines = []
    for button in buttons:
        target = button.get("key") or button.get("url") or ""
        kind = button.get("type", "submenu")
        lines.append(f"{'  ' * (depth + 1)}{button.get('name', '')}  ({kind} {target})".rstrip())
        lines += menu_lines(button.get("sub_button", []), depth + 1)
    return lines


def menu_keys(buttons: list[dict[str, Any]]) -> list[str]:
    """Every click key in the menu."""
    keys = [b["key"] for b in buttons if b.get("key")]
    return keys + [k for b in buttons for k in menu_keys(b.get("sub_button", []))]


def member_lines() -> list[str]:
    """The named demo people (userid, name, organisation, roles) and how many more there are."""
    committee = demo_committee()
    orgs = {o.dept_id: o.name for o in committee.orgs}
    lines = [f"  {m.userid:<10} {m.name}  {orgs[m.dept_id]}  roles: "
             f"{', '.join(('member', *m.roles))}" for m in NAMED_PEOPLE]
    others = len(committee.people) - len(NAMED_PEOPLE)
    return [*lines, f"  … and {others} more (dy00001 … , admin1, admin2)"]


def person_name(userid: str) -> str | None:
    """The demo person's name, or None for someone not in the demo roster."""
    return next((p.name for p in demo_committee().people if p.userid == userid), None)


# -- the chat ---------------------------------------------------------------------------


@dataclass
class Chat:
    """The REPL's state: who is speaking and how much of each inbox was already shown."""

    sim: MemberSimulator
    state: SandboxState
    out: TextIO
    app: Flask | None = None
    userid: str = NAMED_PEOPLE[0].userid
    seen: dict[str, int] = field(default_factory=dict)

    def say(self, *lines: str) -> None:
        """Print lines to the chat's output."""
        print(*lines, sep="\n", file=self.out, flush=True)

    @property
    def prompt(self) -> str:
        """e.g. '张伟(zhangwei)> '."""
        return f"{person_name(self.userid) or '陌生人'}({self.userid})> "

    def show_inbox(self) -> None:
        """Print what message/send delivered to the current member since last shown."""
        start = self.seen.get(self.userid, 0)
        messages = self.state.inbox_since(self.userid, start)
        self.seen[self.userid] = start + len(messages)
        for message in messages:
            self.say(*pushed_lines(message))

    def send(self, action: str, *args: Any, **fields: Any) -> None:
        """Run one simulator call for the current member and print the reply and pushes."""
        try:
            delivery: Delivery = getattr(self.sim, action)(self.userid, *args, **fields)
        except (requests.RequestException, TimeoutError, ValueError) as exc:
            self.say(f"(send failed: {exc})")
            return
        self.say(*reply_lines(delivery))
        self.show_inbox()

    def tap(self, args: list[str]) -> None:
        """Tap button N (default 1) of the member's last card; letters after it are the
        options ticked on a vote card before its submit."""
        found = [m for m in self.state.inbox_since(self.userid) if m["msgtype"] == "template_card"]
        if not found:
            self.say("(no card in this member's inbox)")
            return
        card = found[-1]
        content = card["content"] or {}
        number = int(args[0]) if args and args[0].isdecimal() else 1
        ticked = [a.upper() for a in args if not a.isdecimal()]
        keys = [b["key"] for b in content.get("button_list", [])] or [
            content.get("submit_button", {}).get("key", "")]
        if not 1 <= number <= len(keys):
            self.say(f"(the card has buttons 1 to {len(keys)})")
            return
        self.send("tap", card, keys[number - 1], ticked or None)

    def switch(self, userid: str) -> None:
        """Speak as another member; an unknown userid is allowed (to see the refusal)."""
        if not userid:
            self.say("usage: /as USERID", *member_lines())
            return
        if person_name(userid) is None:
            self.say(f"warning: {userid} is not in the demo roster (expect the refusal).",
                     "demo members:", *member_lines())
        self.userid = userid
        self.say(f"now chatting as {self.prompt.rstrip('> ')}")
        self.show_inbox()

    def calls(self) -> None:
        """Print the last sandbox API calls with their errcode."""
        recent = list(self.state.calls)[-CALLS_SHOWN:]
        for call in recent:
            body = json.dumps(call.body, ensure_ascii=False) if call.body else ""
            errcode = call.response.get("errcode", "?")
            self.say(f"  {call.path}  errcode={errcode}  {body[:100]}".rstrip())
        if not recent:
            self.say("  (no API calls yet)")

    def sync(self) -> None:
        """Run `roster sync` against the sandbox's contacts and print the summary."""
        if self.app is None:
            self.say("(no app to sync)")
            return
        with self.app.app_context():
            try:
                summary = RosterSync(self.app.extensions["pioneer_wecom"],
                                     redis_store.client, actor="demo").run()
            except SyncError as exc:
                self.say(f"sync stopped: {exc}")
                return
        members = ", ".join(f"{k} {v}" for k, v in sorted(summary.members.items()))
        self.say(f"roster sync: members {members}; WeCom API calls {summary.api_calls}")

    def contact_event(self, change: str, userid: str, fields: list[str]) -> None:
        """Play a change_contact event from WeCom, e.g. /contact update_user lina Name=李娜娜."""
        extra = dict(f.split("=", 1) for f in fields if "=" in f)
        key = "Id" if change.endswith("_party") else "TagId" if change == "update_tag" else "UserID"
        delivery = self.sim.change_contact(change, **{key: userid, **extra})
        self.say(f"change_contact {change}: HTTP {delivery.statuses}")

    def handle(self, line: str) -> bool:
        """Act on one input line; False means quit."""
        if not line.startswith("/"):
            self.send("text", line)
            return True
        command, *args = line[1:].split() or ["help"]
        arg = args[0] if args else ""
        if command in ("quit", "exit", "q"):
            return False
        if command == "as":
            self.switch(arg)
        elif command == "members":
            self.say(*member_lines())
        elif command == "click" and arg:
            self.send("click", arg)
        elif command == "click":
            self.say("usage: /click KEY; keys: " + ", ".join(menu_keys(MENU["button"])))
        elif command == "tap":
            self.tap(args)
        elif command == "event" and arg:
            self.send("event", arg, args[1] if len(args) > 1 else "")
        elif command == "image":
            self.send("message", "image", PicUrl="https://example.com/demo.jpg",
                      MediaId="sbx-media-demo-image")
        elif command == "location":
            self.send("message", "location", Location_X="31.4912", Location_Y="120.3120",
                      Scale=15, Label="江苏省无锡市新吴区")
        elif command == "menu":
            self.say("app menu (content/menu.py):", *menu_lines(MENU["button"]))
        elif command == "calls":
            self.calls()
        elif command == "sync":
            self.sync()
        elif command == "contact" and len(args) >= 2:
            self.contact_event(args[0], args[1], args[2:])
        elif command == "clock":
            self.say(*demo_clock.command(self.app, " ".join(args)))
            self.show_inbox()  # e.g. the reminder the lecture tick just sent
        elif command == "help":
            self.say(BANNER, f"demo time / 演示时间: {demo_clock.describe()}")
        else:
            self.say(f"unknown command /{command}; /help lists them")
        return True


def input_lines(chat: Chat, script: TextIO | None) -> Iterator[str]:
    """Lines to act on: typed at the prompt, or read from a script or pipe and echoed."""
    if script is None and sys.stdin.isatty():
        while True:
            try:
                yield input(chat.prompt)
            except EOFError:
                chat.say("")
                return
    for raw in script or sys.stdin:
        line = raw.rstrip("\n")
        if line.strip() and not line.lstrip().startswith("#"):
            chat.say(chat.prompt + line)
            yield line


def run(chat: Chat, script: TextIO | None) -> None:
    """Greet the first member with enter_agent, then act on every line until /quit or EOF."""
    chat.say(BANNER, f"now chatting as {chat.prompt.rstrip('> ')}")
    chat.send("event", "enter_agent")
    for line in input_lines(chat, script):
        if line.strip() and not chat.handle(line.strip()):
            break


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    """Start the sandbox and the bot, then chat; returns the exit status."""
    out = out or sys.stdout
    parser = argparse.ArgumentParser(description="Chat with Pioneer on a local WeCom sandbox.")
    parser.add_argument("--instance", help="directory for the demo's SQLite file "
                        "(default: instance/; DATABASE_URL and REDIS_URL are never used)")
    parser.add_argument("--script", type=argparse.FileType("r", encoding="utf-8"),
                        help="read chat lines from FILE instead of the keyboard")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no per-request lines
    with SandboxServer() as sandbox:
        try:
            demo = prepare_app(sandbox, args.instance)
        except ConfigError as error:
            print(f"Pioneer cannot start: {error}", file=sys.stderr)
            return 1
        except NotADemoDatabase as error:
            print(f"The demo will not start: {error}. Move that file away or give another "
                  "folder with --instance DIR.", file=sys.stderr)
            return 1
        app = demo.app
        try:
            with serve_http(app) as url:
                app.config["PUBLIC_URL"] = url  # tracked links open in this machine's browser
                print(store_line(demo.database), *console_lines(url, demo.console_password),
                      sep="\n", file=out, flush=True)
                sim = MemberSimulator(HttpTransport(url + "/wecom/callback"),
                                      app.config["WECOM_TOKEN"], app.config["WECOM_AES_KEY"],
                                      app.config["WECOM_CORP_ID"], app.config["WECOM_AGENT_ID"])
                run(Chat(sim, sandbox.state, out, app), args.script)
        except KeyboardInterrupt:
            print("", file=out)
        finally:
            if args.script:
                args.script.close()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            clock.allow_offset(False)  # real time again for whatever runs next in this process
    print("bye / 再见", file=out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C while starting up
        sys.exit(130)
