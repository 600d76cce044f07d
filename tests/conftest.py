"""Test fixtures: one app per test, on SQLite + in-process Redis, and on PostgreSQL + Redis
when PIONEER_TEST_DATABASE_URL and PIONEER_TEST_REDIS_URL point at them (as .ci/run does).
Every test that takes `app` runs once per backend (the browser tests on one:
tests/browser/conftest.py).

The whole suite runs in two pytest-xdist workers (pytest_cmdline_main); worker gwN uses the
database named in PIONEER_TEST_DATABASE_URL plus "_gwN" (created when missing: test_gw0,
test_gw1) and the Redis db number there minus N (15 and 14 for .../15). Naming test paths
runs them in one process on the databases named, as before. A database named there that does
not exist is created (through the server's maintenance database `postgres`) before any test
runs; a server that cannot be reached stops the run at once with one line naming the URL.

PIONEER_TEST_CLOCK="2027-01-01T02:30+08:00" runs the tests with the clock set to that moment
(ticking on from it; time-machine), as .ci/run does once more for the tests marked `clock`, so
a cut of a UTC day where the committee's belongs fails whatever the hour of the run. The
`travel` fixture sets the clock inside one test.

The test modules sit in a folder per package they test (tests/study/, tests/bot/, ...;
tests/project/ for the repository-wide checks). The folders have no __init__.py (a
tests/study/__init__.py would make pytest import study.test_x, hiding the product's `study`),
so pytest imports each test module by its file name: keep the names unique across the tree.
Fixtures shared by a folder live in its conftest.py, by several folders here. Helpers that
are not fixtures live in modules without the test_ prefix: shared ones beside this file
(helpers.py, console_helpers.py, study_helpers.py), a folder's own in it (imported as
`tests.<folder>.<module>`); a test module never imports another."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from importlib.metadata import version
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import Table, create_engine, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import OperationalError
from werkzeug.routing.rules import Rule, RulePart

from bot.extensions import redis_store
from models import Base, Member, db
from pioneer import create_app
from roster.demo import named_committee
from roster.manage import add_member, ensure_organization
from sandbox.seed import seed_directory
from sandbox.server import SandboxServer
from sandbox.simulator import Delivery, FlaskTransport, MemberSimulator
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET, SandboxState
from tests.helpers import AES_KEY, SHANGHAI, TOKEN, forget_test_engines

# pytest rewrites the asserts of test modules and conftest files only; these helper modules
# (shared by test modules in several folders) assert too, and report as the tests' own do.
pytest.register_assert_rewrite("tests.console_helpers", "tests.study_helpers",
                               "tests.browser.browser_helpers")

# The whole suite runs in two processes (pytest-xdist; see pytest_cmdline_main below), and
# each worker gets its own PostgreSQL database and Redis db, named by its slot: gw0 and gw1
# are slots 0 and 1, and a worker started in place of a crashed one (gw2, ...) takes the slot
# of its number modulo the worker count.
WORKERS = 2
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
SLOT = (int(WORKER.removeprefix("gw")) % int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
        if WORKER else 0)


def _redis_db(url: str) -> int:
    return int(urlsplit(url).path.lstrip("/") or 0)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """A run that names no test paths (the whole suite: `./dev test`, .ci/run) goes to two
    pytest-xdist workers, which share out the tests as each finishes (worksteal).

    Naming files or tests keeps one process: starting the workers, each migrating both
    backends, costs more than it saves on a few files. `-n N` decides either way (`-n 0`: one
    process); --pdb, --trace and -s keep one process, and so does a machine with one core."""
    option = config.option
    if (hasattr(config, "workerinput") or not config.pluginmanager.has_plugin("xdist")
            or option.numprocesses is not None
            or config.args_source != pytest.Config.ArgsSource.TESTPATHS
            or option.usepdb or option.trace or option.capture == "no" or option.collectonly
            or (os.cpu_count() or 1) < WORKERS):
        return
    redis_url = os.environ.get("PIONEER_TEST_REDIS_URL")
    if redis_url and _redis_db(redis_url) < WORKERS - 1:
        raise pytest.UsageError(
            f"PIONEER_TEST_REDIS_URL names Redis db {_redis_db(redis_url)}; the {WORKERS} "
            f"workers use it and the {WORKERS - 1} below it: name db {WORKERS - 1} or higher, "
            "or run in one process with -n 0")
    option.numprocesses = WORKERS
    if option.dist == "no":
        option.dist = "worksteal"


def _run_clock() -> datetime | None:
    """The moment PIONEER_TEST_CLOCK names (aware), or None; a bad value stops the run."""
    value = os.environ.get("PIONEER_TEST_CLOCK", "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise pytest.UsageError(f"PIONEER_TEST_CLOCK must be an ISO time with its offset, e.g. "
                                f"2027-01-01T02:30+08:00; got {value!r}")
    return moment


# The modules whose tests cut days, weeks, months, quarters or years (besides those that mark
# themselves): .ci/run runs them once more under an early-morning Shanghai clock.
CLOCK_MODULES = frozenset({
    "test_annual_report", "test_broadcast", "test_broadcast_idle", "test_campaign_progress",
    "test_campaigns", "test_checkin", "test_console_pages", "test_console_security",
    "test_lecture_dispatch", "test_lecture_followup", "test_lecture_orders", "test_live_import",
    "test_meetings", "test_nudges", "test_participation_ledger", "test_pushes", "test_qiangguo",
    "test_rates", "test_reflection_digest", "test_reflection_export", "test_reflections",
    "test_standing", "test_study_chat", "test_console_campaigns", "test_console_pushes",
    "test_console_qiangguo", "test_console_home",
    "test_trainings_manage", "test_trainings_chat",
    "test_roster_refused_days",
    "test_publicity_console", "test_awards_console",
    "test_activities_console", "test_activities_demo", "test_activities_chat",
    "test_report_year_records", "test_report_candidates_and_links",
})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests of CLOCK_MODULES `clock`."""
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and module.__name__.rpartition(".")[2] in CLOCK_MODULES:
            item.add_marker(pytest.mark.clock)


def pytest_configure(config: pytest.Config) -> None:
    """Register the `clock` marker; set the run's clock; make the test databases exist."""
    config.addinivalue_line("markers", "clock: cuts days, months or years; .ci/run runs these "
                                       "once more under an early-morning Shanghai clock")
    moment = _run_clock()
    if moment is not None:
        time_machine.travel(moment, tick=True).start()  # for the whole run (process)
    if not hasattr(config, "workerinput"):  # once, in the process that starts the workers
        _ensure_databases(config)


def _worker_database(url: str | None) -> str | None:
    """The worker's own database: .../test becomes .../test_gw0 (made on first use)."""
    if not url or not WORKER:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_gw{SLOT}"))


def _worker_redis(url: str | None) -> str | None:
    """The worker's own Redis db: slot N uses the given db number minus N (15, 14, ...)."""
    if not url or not WORKER:
        return url
    number = _redis_db(url) - SLOT
    if number < 0:
        raise pytest.UsageError(f"PIONEER_TEST_REDIS_URL names db {_redis_db(url)}: too low "
                                f"for worker {WORKER}, which uses the db {SLOT} below it")
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


SERVICES_DB = _worker_database(os.environ.get("PIONEER_TEST_DATABASE_URL"))
SERVICES_REDIS = _worker_redis(os.environ.get("PIONEER_TEST_REDIS_URL"))
BACKENDS = ["embedded"] + (["services"] if SERVICES_DB and SERVICES_REDIS else [])
if os.environ.get("PIONEER_TEST_CLOCK") and len(BACKENDS) > 1:
    # The clock pass (.ci/run's second) runs on the services only: every day, month or year is
    # cut in Python through clock/ and reaches SQL as UTC instants (docs/time.md), so the
    # backend cannot move where a committee day begins; the first pass ran both backends.
    BACKENDS = ["services"]

_migrated: set[str] = set()
_superuser = False  # may the PostgreSQL test role switch triggers off (set when migrating)?


def _share_url_builders() -> None:
    """Build each URL rule's builder function once per session instead of once per app.

    Werkzeug compiles two Python functions for every URL rule when an app registers it, most
    of create_app's time; every test builds an app with the same rules. The code it generates
    depends only on what the key below holds (the rule's text, its parsed parts, the names of
    its defaults and the URL form of those filling a variable), and the function takes the rule
    as its `self`, so rules of later apps bind the one compiled first. Checked against
    werkzeug 3.1 (what Flask 3.1 installs); another version keeps werkzeug's own compiling.
    """
    if not version("werkzeug").startswith("3.1."):
        return
    compile_builder = Rule._compile_builder
    builders: dict[tuple[Any, ...], Any] = {}

    def cached(self: Rule, append_unknown: bool = True) -> Any:
        defaults = self.defaults or {}
        key = (append_unknown, self.rule, tuple(self._trace), tuple(defaults),
               tuple((name, self._converters[name].to_url(value))
                     for name, value in defaults.items() if name in self._converters))
        builder = builders.get(key)
        if builder is None:
            builder = builders[key] = compile_builder(self, append_unknown)
        return builder

    Rule._compile_builder = cached  # type: ignore[method-assign]


_share_url_builders()

ConverterCall = tuple[str, str, tuple[Any, ...], dict[str, Any]]


def _share_rule_parts() -> None:
    """Parse each URL rule's text once per session instead of once per app.

    Werkzeug's Rule._parse_rule, run for every rule an app registers, is about 40 % of
    create_app. What it yields (the rule's parts: regex text and weights, which werkzeug only
    reads) and what it records on the rule (the trace, the converters by variable, the
    variable names) depend only on the rule's text and the map's converter classes, the key
    below. A rule parsed before gets the same parts and trace, and new converter objects of its
    own map made from the same calls (recorded the first time). Checked against werkzeug 3.1;
    another version keeps werkzeug's own parsing. tests/project/test_rule_cache.py compares
    every rule of an app with werkzeug's own result."""
    if not version("werkzeug").startswith("3.1."):
        return
    parse = Rule._parse_rule
    parsed: dict[tuple[Any, ...], tuple[list[RulePart], list[tuple[bool, str]],
                                        list[ConverterCall]]] = {}

    def cached(self: Rule, rule: str) -> Iterable[RulePart]:
        key = (rule, tuple((name, id(kind)) for name, kind in self.map.converters.items()))
        known = parsed.get(key)
        if known is None:
            calls: list[ConverterCall] = []
            make = self.get_converter

            def recorded(variable: str, name: str, args: tuple[Any, ...],
                         kwargs: Mapping[str, Any]) -> Any:
                calls.append((variable, name, tuple(args), dict(kwargs)))
                return make(variable, name, args, kwargs)

            start = len(self._trace)
            self.get_converter = recorded  # type: ignore[method-assign]
            try:
                parts = list(parse(self, rule))
            finally:
                del self.get_converter
            known = parsed[key] = parts, self._trace[start:], calls
            return parts
        parts, trace, calls = known
        self._trace.extend(trace)
        for variable, name, args, kwargs in calls:
            self._converters[variable] = self.get_converter(variable, name, args, kwargs)
            self.arguments.add(variable)
        return list(parts)

    cached.__wrapped__ = parse  # type: ignore[attr-defined]  (werkzeug's own, for the check)
    Rule._parse_rule = cached  # type: ignore[method-assign]


_share_rule_parts()


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates kept in memory for the session and shared by the test apps.

    Each app has its own Jinja environment, which compiles a template on its first render;
    with this cache (a standard Jinja feature) a later app loads the code compiled before. The
    key is the template's name and file, and a changed source is compiled again."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill the bucket from memory when this template was compiled before."""
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a freshly compiled template."""
        self.codes[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


_furniture_frozen = False


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """After each test (its fixtures are gone by now): forget its engines; after the first,
    move what is still alive (modules, models, the caches above) out of the collector's way.

    Frozen objects (gc.freeze) are never scanned again; what every later test allocates is
    collected as usual. With forget_test_engines, measured on 2026-12-08: 758 tests in one
    process, full collections 36 s -> 9 s and the run 131 s -> 83 s; the whole suite in two
    workers 373 s -> 300 s."""
    global _furniture_frozen
    forget_test_engines()
    if not _furniture_frozen:
        _furniture_frozen = True
        gc.collect()
        gc.freeze()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    """One WeCom sandbox server for the session; its state is reset for every test."""
    server = SandboxServer(SandboxState())
    server.start()
    yield server
    server.stop()


def _backend_config(backend: str, tmp_root: str) -> dict[str, Any]:
    if backend == "services":
        return {"DATABASE_URL": SERVICES_DB, "REDIS_URL": SERVICES_REDIS}
    return {"DATABASE_URL": f"sqlite:///{tmp_root}/pioneer-test.db", "REDIS_URL": None}


_EMPTYING: dict[str, tuple[list[Table], str, str]] = {}


def _emptying(dialect: Dialect) -> tuple[list[Table], str, str]:
    """The tables children first, PostgreSQL's emptying script and SQLite's probe for rows
    (built once per kind of database)."""
    if dialect.name not in _EMPTYING:
        tables = list(reversed(Base.metadata.sorted_tables))
        quote = dialect.identifier_preparer.quote
        script = ("".join(f"DELETE FROM {quote(t.name)}; " for t in tables)
                  + "SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S'")
        probe = " UNION ALL ".join(f"SELECT {index} WHERE EXISTS (SELECT 1 FROM "
                                   f"{quote(t.name)})" for index, t in enumerate(tables))
        _EMPTYING[dialect.name] = tables, script, probe
    return _EMPTYING[dialect.name]


def _reset_database(backend: str) -> None:
    """Empty every table, children first, and restart the ids.

    DELETE is much faster than TRUNCATE on PostgreSQL for the few rows a test leaves (TRUNCATE
    rewrites each table). PostgreSQL gets every DELETE and the sequences' reset in one round
    trip, with the foreign-key triggers off for it when we are superuser (every table is
    emptied, and the triggers' first run on each new connection costs more than the rest).
    On SQLite (in process, no round trips) one query finds the few tables with rows and only
    those are emptied; its ids start again at 1 by themselves."""
    tables, script, probe = _emptying(db.engine.dialect)
    if backend == "services":
        no_triggers = "SET LOCAL session_replication_role = replica; " if _superuser else ""
        db.session.execute(text(no_triggers + script))
    else:
        filled = set(db.session.scalars(text(probe)))
        for index, table in enumerate(tables):
            if index in filled:
                db.session.execute(table.delete())
    db.session.commit()


def _fast_commits(backend: str) -> None:
    """The test database's commits do not wait for the disk (the data is thrown away).

    Rows are as visible to other connections as before; only a crash of the machine could
    lose them. Set on the test app's engine only, as each connection opens (on PostgreSQL a
    connection option, so no extra round trip)."""

    if backend == "services":
        def on_connect(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
            params["options"] = f"{params.get('options', '')} -c synchronous_commit=off"

        event.listen(db.engine, "do_connect", on_connect)
    else:
        def on_open(connection: Any, _record: Any) -> None:
            connection.execute("PRAGMA synchronous = OFF")

        event.listen(db.engine, "connect", on_open)


def _create_databases(names: list[str]) -> None:
    """Create each database that is missing on PIONEER_TEST_DATABASE_URL's server (connected
    through its maintenance database, since the named one may not exist yet)."""
    parts = urlsplit(os.environ["PIONEER_TEST_DATABASE_URL"])
    engine = create_engine(urlunsplit(parts._replace(scheme="postgresql+psycopg",
                                                     path="/postgres")),
                           isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for name in names:
                exists = connection.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
                if not exists:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def _ensure_databases(config: pytest.Config) -> None:
    """The databases this run will use exist before any test starts, or the run stops with
    one line: the configured one, and each xdist worker's beside it."""
    url = os.environ.get("PIONEER_TEST_DATABASE_URL")
    if not url or not os.environ.get("PIONEER_TEST_REDIS_URL"):
        return
    base = urlsplit(url).path.lstrip("/")
    workers = getattr(config.option, "numprocesses", None)  # None, a number or "auto"
    count = min(workers, WORKERS) if isinstance(workers, int) else (WORKERS if workers else 0)
    names = [base] + [f"{base}_gw{slot}" for slot in range(count)]
    try:
        _create_databases(names)
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise pytest.UsageError(
            f"PIONEER_TEST_DATABASE_URL={url}: cannot create or reach the test databases "
            f"({reason})") from None


def _migrate(backend: str) -> None:
    """Build the schema from the migrations, once per backend and session (worker)."""
    global _superuser
    if backend == "services":
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        _superuser = db.session.scalar(text("SHOW is_superuser")) == "on"
    upgrade()
    _migrated.add(backend)


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, sandbox: SandboxServer,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on one backend, schema migrated, tables and Redis emptied, sandbox reset."""
    backend = request.param
    root = str(tmp_path_factory.getbasetemp())
    sleeps: list[float] = []
    app = create_app({
        "TESTING": True,
        "WECOM_CORP_ID": SANDBOX_CORP_ID,
        "WECOM_AGENT_ID": str(SANDBOX_AGENT_ID),
        "WECOM_SECRET": SANDBOX_SECRET,
        "WECOM_TOKEN": TOKEN,
        "WECOM_AES_KEY": AES_KEY,
        "WECOM_API_BASE": sandbox.base_url,
        "WECOM_MAX_CLOCK_SKEW": "300",
        "WECOM_SLEEP": sleeps.append,
        "SECRET_KEY": "test",
        "RQ_INLINE": True,
        "MEDIA_DIR": os.path.join(root, "media"),  # never the repo's instance/
        **_backend_config(backend, root),
    })
    app.config["TEST_SLEEPS"] = sleeps
    app.config["TEST_BACKEND"] = backend
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    with app.app_context():
        _fast_commits(backend)
        if backend not in _migrated:
            _migrate(backend)
        _reset_database(backend)
        redis_store.client.flushdb()
    sandbox.state.reset()
    seed_directory(sandbox.state, named_committee())
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _root_logging_kept() -> Iterator[None]:
    """The root logger's handlers and level as they were before each test: the demo, run
    in-process, installs a handler on the test's captured stderr, which is closed after the
    test; a later test's log record would then print "--- Logging error ---" into its output."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def travel() -> Iterator[Any]:
    """Builder: travel("2027-01-01 02:30") sets the clock to that Shanghai time (or an aware
    datetime) for the rest of the test; tick=False freezes it there."""
    started: list[Any] = []

    def go(when: str | datetime, tick: bool = True) -> datetime:
        moment = (when if isinstance(when, datetime)
                  else datetime.fromisoformat(when).replace(tzinfo=SHANGHAI))
        if started:
            started.pop().stop()
        traveller = time_machine.travel(moment, tick=tick)
        traveller.start()
        started.append(traveller)
        return moment

    yield go
    for traveller in started:
        traveller.stop()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def sim(client: FlaskClient) -> MemberSimulator:
    """The member simulator, posting to the app through the test client."""
    return MemberSimulator(FlaskTransport(client), TOKEN, AES_KEY, SANDBOX_CORP_ID,
                           SANDBOX_AGENT_ID)


@pytest.fixture
def make_member(app: Flask, sandbox: SandboxServer) -> Any:
    """Builder: make_member("zhangsan", org="华芯党支部", roles=("contact",)); also in WeCom."""

    def build(userid: str, name: str | None = None, org: str | None = "测试党支部",
              roles: tuple[str, ...] = ()) -> Member:
        with app.app_context():
            orgs = [ensure_organization(org)] if org else []
            member = add_member(userid, name or userid, orgs, roles)
            db.session.commit()
            db.session.refresh(member)
            db.session.expunge(member)
        sandbox.state.add_user(userid, name or userid)
        return member

    return build


@pytest.fixture
def send_text(sim: MemberSimulator) -> Any:
    """Builder: send_text(member_or_userid, "帮助") -> Delivery."""

    def send(member: Member | str, content: str) -> Delivery:
        userid = member if isinstance(member, str) else member.userid
        return sim.text(userid, content)

    return send
