"""The materials library: content/materials/<slug>.md files, checked whole, synced by slug.

A file is YAML front matter between two `---` lines, then the Markdown body. Every file is
checked before anything is written; each problem names the file and the line of the field.
The console's material form goes through the same checks (`check_fields`, study/editing.py).

The database is the source of truth: a sync imports the files, but leaves alone (and names)
a material edited in the console since its file was last imported, unless forced, and never
retires one the console created for having no file. Every change it makes is a version.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from sqlalchemy import select

from bot.fields import Invalid, Kept, Problem, ProblemsError, SyncResult, slug
from bot.fields import text as text_field
from models import Material, MaterialKind, PushOccurrence, Series, audit, db, utcnow
from study.versions import ensure_baseline, record_version, snapshot

LIBRARY_DIR = Path(__file__).resolve().parents[1] / "content" / "materials"
# Materials Pioneer writes itself (digests of featured reflections) have no file here.
GENERATED_PREFIX = "digest-"
SKIPPED = {"readme.md"}  # notes for authors, not materials
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
REQUIRED = ("slug", "title", "kind", "tags", "summary", "published", "minutes")
MINUTES_MAX = 600
URL_MAX = 500


class LibraryError(ProblemsError):
    """The library cannot be synced; carries every problem found."""


@dataclass
class MaterialFile:
    """One checked material file: its fields, its body and the line of each field."""

    path: str
    slug: str
    title: str
    kind: str
    tags: list[str]
    summary: str
    published: date
    minutes: int
    body: str = ""
    series: str | None = None
    position: int | None = None
    source_url: str | None = None
    cover: str | None = None
    campaign: str | None = None
    lines: dict[str, int] = field(default_factory=dict)


def _kind(value: Any) -> str:
    if not isinstance(value, str) or value not in {kind.value for kind in MaterialKind}:
        raise Invalid(f"{value!r} is not one of {', '.join(MaterialKind)}", "kind")
    return value


def _positive(limit: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            raise Invalid(f"{value!r} is not a whole number from 1 to {limit}", "number",
                          limit=limit)
        return value
    return check


def _tags(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise Invalid("must be a list of non-empty texts, e.g. [党史, 冬训]", "tags")
    return [t.strip() for t in value]


def _date(value: Any) -> date:
    with suppress(ValueError):
        if isinstance(value, str) and DATE.fullmatch(value):
            return date.fromisoformat(value)
    raise Invalid(f"{value!r} is not a date (YYYY-MM-DD)", "date")


def _url(value: Any) -> str:
    parts = None
    with suppress(ValueError):  # e.g. a broken [IPv6] host
        parts = urlsplit(value) if isinstance(value, str) else None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.netloc
            or len(value) > URL_MAX or any(c.isspace() for c in value)):
        raise Invalid(f"{value!r} is not an http(s) URL", "url", limit=URL_MAX)
    return value


def _cover(value: Any) -> str:
    if isinstance(value, str) and "://" in value:
        return _url(value)
    if not (isinstance(value, str) and re.fullmatch(r"[\w-]+(/[\w-]+)*\.\w+", value)):
        raise Invalid(f"{value!r} is neither an http(s) URL nor a relative path like covers/a.jpg",
                      "cover")
    return value


CHECKS: dict[str, Callable[[Any], Any]] = {
    "slug": slug, "title": text_field(200), "kind": _kind, "series": text_field(200),
    "position": _positive(10_000), "tags": _tags, "summary": text_field(300),
    "source_url": _url, "cover": _cover, "published": _date, "campaign": text_field(100),
    "minutes": _positive(MINUTES_MAX),
}


class _Loader(yaml.SafeLoader):
    """Safe YAML whose dates stay text, so a bad date is reported with its line."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def display_path(path: Path) -> str:
    """The path as people typed it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def split_file(text: str) -> tuple[str, str] | None:
    """(front matter, body) of a file's text; None when it has no closed front matter."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return None
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1:]).strip()


def parse_front(front: str) -> dict[str, tuple[Any, int]]:
    """Each front-matter field's value and its line in the file; yaml.YAMLError if malformed."""
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise yaml.MarkedYAMLError(problem="expected 'field: value' lines",
                                       problem_mark=node.start_mark)
        fields: dict[str, tuple[Any, int]] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node, deep=True))
            line = key_node.start_mark.line + 2  # the file's line 1 is the opening ---
            if key in fields:
                raise yaml.MarkedYAMLError(problem=f"field {key!r} given twice",
                                           problem_mark=key_node.start_mark)
            fields[key] = (loader.construct_object(value_node, deep=True), line)
        return fields
    finally:
        loader.dispose()


def _yaml_problem(where: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or str(exc)
    return Problem(where, mark.line + 2 if mark else 1, f"front matter: {reason}")


def check_fields(raw: Mapping[str, Any], body: str
                 ) -> tuple[dict[str, Any], list[tuple[str, Invalid]]]:
    """A material's fields checked by the library's rules, for a file and the console's form
    alike: each field's check, the required ones, a series with its position (and back), a
    source_url or a body. The clean values and every (field, problem), in the order given;
    names not in CHECKS are the caller's to refuse."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, Invalid]] = []
    for name, value in raw.items():
        try:
            values[name] = CHECKS[name](value)
        except Invalid as exc:
            problems.append((name, exc))
    problems.extend((name, Invalid(f"missing field {name!r}", "missing"))
                    for name in REQUIRED if name not in raw)
    if "series" in raw and "position" not in raw:
        problems.append(("series", Invalid("series needs a position", "needs_position")))
    if "position" in raw and "series" not in raw:
        problems.append(("position", Invalid("position needs a series", "needs_series")))
    if "source_url" not in raw and not body:
        problems.append(("body", Invalid("needs a source_url or a body", "needs_source")))
    return values, problems


def _check_fields(where: str, stem: str, fields: dict[str, tuple[Any, int]], body: str,
                  problems: list[Problem]) -> dict[str, Any]:
    """The checked values; every problem (with the field's line) goes into problems."""
    line_of = {name: line for name, (_, line) in fields.items()}
    problems.extend(Problem(where, line, f"unknown field {name!r}")
                    for name, (_, line) in fields.items() if name not in CHECKS)
    values, wrong = check_fields(
        {name: value for name, (value, _) in fields.items() if name in CHECKS}, body)
    for name, exc in wrong:
        whole = exc.reason in ("missing", "needs_position", "needs_series", "needs_source")
        problems.append(Problem(where, line_of.get(name, 1) if exc.reason != "missing" else 1,
                                str(exc) if whole else f"{name}: {exc}"))
    if values.get("slug") not in (None, stem):
        problems.append(Problem(where, line_of["slug"],
                                f"slug {values['slug']!r} does not match the file name {stem!r}"))
    return values


def read_material(path: Path) -> tuple[MaterialFile | None, list[Problem]]:
    """One file, checked on its own: the material, or None and its problems."""
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(where, 1, "not UTF-8 text")]
    parts = split_file(text)
    if parts is None:
        return None, [Problem(where, 1, "no front matter (fields between two --- lines)")]
    front, body = parts
    try:
        fields = parse_front(front)
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(where, exc)]
    problems: list[Problem] = []
    values = _check_fields(where, path.stem, fields, body, problems)
    if problems:
        return None, sorted(problems, key=lambda p: p.line or 0)
    lines = {name: line for name, (_, line) in fields.items()}
    return MaterialFile(path=where, body=body, lines=lines, **values), []


def _cross_check(files: list[MaterialFile]) -> list[Problem]:
    """Slugs unique across the library, positions unique within each series."""
    problems: list[Problem] = []
    slugs: dict[str, MaterialFile] = {}
    places: dict[tuple[str, int], MaterialFile] = {}
    for item in files:
        first = slugs.setdefault(item.slug, item)
        if first is not item:
            problems.append(Problem(item.path, item.lines["slug"],
                                    f"duplicate slug {item.slug!r} (also in {first.path})"))
        if item.series is None or item.position is None:
            continue
        first = places.setdefault((item.series, item.position), item)
        if first is not item:
            problems.append(Problem(item.path, item.lines["position"],
                                    f"duplicate position {item.position} in series "
                                    f"{item.series!r} (also in {first.path})"))
    return problems


def load_library(directory: Path = LIBRARY_DIR) -> list[MaterialFile]:
    """Every material file under the directory, checked; LibraryError with every problem."""
    if not directory.is_dir():
        raise LibraryError([Problem(display_path(directory), None, "no such directory")])
    paths = sorted(p for p in directory.rglob("*.md") if p.name.lower() not in SKIPPED)
    if not paths:  # syncing nothing would deactivate every material
        raise LibraryError([Problem(display_path(directory), None, "no material files (*.md)")])
    files: list[MaterialFile] = []
    problems: list[Problem] = []
    for path in paths:
        item, found = read_material(path)
        problems.extend(found)
        if item is not None:
            files.append(item)
    problems.extend(_cross_check(files))
    if problems:
        raise LibraryError(problems)
    return files


def series_ids(titles: set[str]) -> dict[str, int]:
    """The id of each series title, creating the missing ones."""
    found = {s.title: s for s in db.session.scalars(select(Series).where(Series.title.in_(titles)))}
    for title in sorted(titles - found.keys()):
        found[title] = Series(title=title)
        db.session.add(found[title])
    db.session.flush()
    return {title: series.id for title, series in found.items()}


def _columns(item: MaterialFile, ids: dict[str, int]) -> dict[str, Any]:
    """The material's row as the file says it should be."""
    return {
        "title": item.title, "kind": item.kind,
        "series_id": ids[item.series] if item.series else None,
        "series_position": item.position, "tags": item.tags, "summary": item.summary,
        "source_url": item.source_url, "body": item.body, "cover": item.cover,
        "published_on": item.published, "campaign": item.campaign, "minutes": item.minutes,
        "active": True,
    }


@dataclass
class LibrarySync(SyncResult):
    """A library sync's counts and the materials it left alone (conflicts)."""

    kept: list[Kept] = field(default_factory=list)


def _forced(actor: str, material: Material, before: dict[str, Any]) -> None:
    """Audit a console edit that --force let the file overwrite (the version keeps both)."""
    after = snapshot(material)
    changed = [name for name in after if after[name] != before.get(name)]
    audit(actor, "material.import_forced", f"material {material.slug}", fields=changed)


def sync_library(directory: Path = LIBRARY_DIR, force: bool = False,
                 actor: str = "content-sync") -> LibrarySync:
    """Upsert every material by slug (all or nothing); deactivate those whose file is gone.

    The database is the source of truth: a material edited in the console since its file was
    last imported is left alone and listed in `kept` unless `force`, and one created in the
    console (never imported) is never deactivated for having no file. Every change is a
    version, recorded as `actor`."""
    files = load_library(directory)
    ids = series_ids({item.series for item in files if item.series})
    existing = {m.slug: m for m in db.session.scalars(select(Material))}
    now = utcnow()
    result = LibrarySync()
    for item in files:
        columns = _columns(item, ids)
        material = existing.pop(item.slug, None)
        if material is None:
            material = Material(slug=item.slug, updated_at=now, imported_at=now, **columns)
            db.session.add(material)
            record_version(material, actor)
            result.added += 1
        elif all(getattr(material, name) == value for name, value in columns.items()):
            if material.edited_since_import:
                material.imported_at = now  # the file now says what the console saved
            result.unchanged += 1
        elif material.edited_since_import and not force:
            result.kept.append(Kept(material.slug, retire=False))
        else:
            ensure_baseline(material)
            before = snapshot(material) if material.edited_since_import else None
            for name, value in columns.items():
                setattr(material, name, value)
            material.updated_at = material.imported_at = now
            record_version(material, actor)
            if before is not None:
                _forced(actor, material, before)
            result.updated += 1
    for material in existing.values():  # never deleted: reads and pushes point at them
        if (not material.active or material.slug.startswith(GENERATED_PREFIX)
                or material.imported_at is None):  # retired already, generated, console-born
            continue
        if material.edited_since_import and not force:
            result.kept.append(Kept(material.slug, retire=True))
            continue
        ensure_baseline(material)
        before = snapshot(material) if material.edited_since_import else None
        material.active = False
        material.updated_at = material.imported_at = now
        record_version(material, actor)
        if before is not None:
            _forced(actor, material, before)
        result.deactivated += 1
    db.session.flush()
    return result


def todays_materials(limit: int | None = None) -> list[Material]:
    """今日学习: the material pushed most recently (else the newest) first, then the newest
    (every active material when no limit is given)."""
    materials = list(db.session.scalars(
        select(Material).where(Material.active)
        .order_by(Material.published_on.desc(), Material.id.desc())))
    if not materials:
        return []
    pushed_id = db.session.scalar(
        select(PushOccurrence.material_id).where(PushOccurrence.material_id.is_not(None))
        .order_by(PushOccurrence.due_at.desc()).limit(1))
    first = next((m for m in materials if m.id == pushed_id), materials[0])
    return [first, *(m for m in materials if m.id != first.id)][:limit]
