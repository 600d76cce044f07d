"""The 学习材料 editor's rules (study.editing): the files' checks with Chinese messages and
nothing written, versions, diff and restore, one material per create form, and the sync's
conflict rule (the database is the source of truth)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from models import AuditEntry, Material, MaterialVersion, db
from study import editing
from study.editing import (
    EditError,
    create_material,
    diff_versions,
    restore_version,
    set_active,
    update_material,
)
from study.library import sync_library
from study.versions import BASELINE_ACTOR, versions_of
from tests.helpers import written
from tests.study.library_helpers import material_text, write
from tests.study_helpers import make_library

GOOD = {"title": "学习党章", "kind": "article", "tags": "党章、冬训, 基层", "summary": "党章的总纲",
        "published": "2026-03-01", "minutes": "8", "body": "# 总纲\n\n第一段。\n\n第二段。"}
ADMIN = "c-admin"


def key() -> str:
    """A fresh one-time create-form key."""
    return secrets.token_urlsafe(24)


def create(app: Flask, form: dict[str, str] | None = None, form_key: str | None = None,
           actor: str = ADMIN) -> int:
    """Create a material from GOOD (overridden by form) and commit; its id."""
    with app.app_context():
        material, created = create_material(actor, {**GOOD, **(form or {})}, form_key or key())
        assert created
        db.session.commit()
        return material.id


def update(app: Flask, material_id: int, form: dict[str, str], base: int | None = None
           ) -> int | None:
    """Save GOOD overridden by form over the material and commit; the new version's number."""
    with app.app_context():
        material = db.session.get(Material, material_id)
        saved = update_material(ADMIN, material, {**GOOD, **form}, base)
        db.session.commit()
        return saved.number if saved else None


def audits(app: Flask, action: str) -> list[dict[str, Any]]:
    """The details of every audit row of this action, oldest first."""
    with app.app_context():
        return [row.detail for row in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def test_create_writes_the_material_a_version_and_an_audit_row(app: Flask):
    """Does a good form make the material (slug made from the date of a Chinese title), its
    version 1 by the actor with the form's key, and a material.create audit row?"""
    form_key = key()
    material_id = create(app, form_key=form_key)
    with app.app_context():
        material = db.session.get(Material, material_id)
        assert material.slug == "material-20260301"
        assert (material.title, material.kind, material.tags, material.minutes) == (
            "学习党章", "article", ["党章", "冬训", "基层"], 8)
        assert material.active and material.edited_at and material.imported_at is None
        [version] = versions_of(material_id)
        assert (version.number, version.actor, version.form_key) == (1, ADMIN, form_key)
        assert version.fields["body"] == GOOD["body"] and version.fields["published_on"] == (
            "2026-03-01")
    [detail] = audits(app, "material.create")
    assert detail["version"] == 1 and detail["after"]["title"] == "学习党章"
    assert detail["after"]["body"]["chars"] == len(GOOD["body"])


def test_slug_made_from_latin_title_is_free_and_typed_slug_is_kept(app: Flask):
    """Is a slug made from the title's Latin words, numbered when taken; a typed one kept?"""
    first = create(app, {"title": "Xi Jinping 讲话 2026"})
    second = create(app, {"title": "Xi Jinping 讲话 2026"})
    typed = create(app, {"slug": "my-own"})
    with app.app_context():
        assert [db.session.get(Material, i).slug for i in (first, second, typed)] == [
            "xi-jinping-2026", "xi-jinping-2026-2", "my-own"]


BAD_FORMS = [
    # (case, fields over GOOD, the field the error is beside, words of its message)
    ("no title", {"title": ""}, "title", "请填写标题"),
    ("long title", {"title": "长" * 201}, "title", "不能超过 200 个字"),
    ("unknown kind", {"kind": "podcast"}, "kind", "请选择类别"),
    ("no date", {"published": ""}, "published", "请填写发布日期"),
    ("bad date", {"published": "2026-02-30"}, "published", "请选择发布日期"),
    ("zero minutes", {"minutes": "0"}, "minutes", "1 到 600 之间的整数"),
    ("minutes in words", {"minutes": "很多"}, "minutes", "1 到 600 之间的整数"),
    ("no minutes", {"minutes": ""}, "minutes", "请填写阅读时长"),
    ("series without position", {"series": "专题"}, "position", "同时填写系列中的序号"),
    ("position without series", {"position": "2"}, "series", "同时填写所属系列"),
    ("bad position", {"series": "专题", "position": "0"}, "position", "1 到 10000"),
    ("ftp URL", {"source_url": "ftp://example.com/x"}, "source_url", "http:// 或 https://"),
    ("bad cover", {"cover": "a cover.jpg"}, "cover", "封面须为"),
    ("no summary", {"summary": "  "}, "summary", "请填写摘要"),
    ("no body, no URL", {"body": ""}, "body", "请填写正文，或填写原文链接"),
    ("bad slug", {"slug": "Bad Slug"}, "slug", "小写字母、数字和连字符"),
    ("long campaign", {"campaign": "活" * 101}, "campaign", "不能超过 100 个字"),
]


@pytest.mark.parametrize(("fields", "field", "words"), [case[1:] for case in BAD_FORMS],
                         ids=[case[0] for case in BAD_FORMS])
def test_bad_form_is_refused_in_chinese_and_nothing_written(app: Flask, fields: dict[str, str],
                                                            field: str, words: str):
    """Is each kind of mistake the files refuse refused by the form too, beside its field, in
    Chinese, with nothing written?"""
    before = written(app)
    with app.app_context(), pytest.raises(EditError) as caught:
        create_material(ADMIN, {**GOOD, **fields}, key())
    assert words in caught.value.errors[field], caught.value.errors
    assert written(app) == before


def test_every_problem_is_reported_at_once(app: Flask):
    """Does one form with three mistakes get three messages, one beside each field?"""
    with app.app_context(), pytest.raises(EditError) as caught:
        create_material(ADMIN, {**GOOD, "title": "", "kind": "x", "minutes": "0"}, key())
    assert set(caught.value.errors) == {"title", "kind", "minutes"}


def test_taken_slug_and_taken_position_are_refused(app: Flask):
    """Is a typed slug already in use refused, and a position another active material of the
    series holds (a retired one's is free)?"""
    ids = make_library(app)  # dangshi-1..3 at positions 1..3 of 党史学习教育
    before = written(app)
    with app.app_context():
        with pytest.raises(EditError) as caught:
            create_material(ADMIN, {**GOOD, "slug": "dangshi-1"}, key())
        assert "dangshi-1 已被其他材料使用" in caught.value.errors["slug"]
        with pytest.raises(EditError) as caught:
            create_material(ADMIN, {**GOOD, "series": "党史学习教育", "position": "2"}, key())
        assert "《星火燎原》" in caught.value.errors["position"]
    assert written(app) == before
    with app.app_context():
        set_active(ADMIN, db.session.get(Material, ids["dangshi-2"]), False)
        db.session.commit()
    create(app, {"series": "党史学习教育", "position": "2"})


def test_update_is_a_version_with_the_changes_audited(app: Flask):
    """Does a save write version 2 and an audit row with only the changed fields before and
    after (the body by length and digest); does a new series get created?"""
    material_id = create(app)
    assert update(app, material_id, {"title": "学习新党章", "body": "新正文",
                                     "series": "新专题", "position": "1"}) == 2
    [detail] = audits(app, "material.update")
    assert set(detail["before"]) == set(detail["after"]) == {"title", "body", "series",
                                                              "series_position"}
    assert (detail["before"]["title"], detail["after"]["title"]) == ("学习党章", "学习新党章")
    assert detail["after"]["body"]["chars"] == 3 and detail["after"]["series"] == "新专题"
    with app.app_context():
        material = db.session.get(Material, material_id)
        assert material.series.title == "新专题" and material.series_position == 1
        assert material.slug == "material-20260301"  # the slug never changes


def test_save_without_change_writes_nothing(app: Flask):
    """Is saving the unchanged form a no-op (no version, no audit row)?"""
    material_id = create(app)
    before = written(app)
    assert update(app, material_id, {}) is None
    assert written(app) == before


def test_save_over_a_newer_version_is_refused(app: Flask):
    """Is a form opened at version 1 refused once someone saved version 2 (no lost update)?"""
    material_id = create(app)
    assert update(app, material_id, {"title": "甲"}, base=1) == 2
    before = written(app)
    with app.app_context(), pytest.raises(EditError) as caught:
        update_material(ADMIN, db.session.get(Material, material_id), {**GOOD, "title": "乙"}, 1)
    assert "第 2 版" in caught.value.errors[editing.FORM]
    assert written(app) == before


def test_first_edit_of_a_synced_material_keeps_its_state_first(app: Flask):
    """Does a material with no version yet (synced before versions existed) get its current
    state as version 1 (the baseline) before the edit's version 2?"""
    ids = make_library(app)
    with app.app_context():
        material = db.session.get(Material, ids["zhangcheng"])
        form = editing.form_of(material)
    assert update(app, ids["zhangcheng"], {**form, "minutes": "25"}) == 2
    with app.app_context():
        new, old = versions_of(ids["zhangcheng"])
        assert old.actor == BASELINE_ACTOR and old.fields["minutes"] == 20
        assert new.actor == ADMIN and new.fields["minutes"] == 25


def test_diff_and_restore(app: Flask):
    """Does the diff of two versions show the changed fields and the body's changed lines, and
    does restoring version 1 make a version 3 saying what version 1 said?"""
    material_id = create(app)
    update(app, material_id, {"title": "新标题", "body": "# 总纲\n\n第一段。\n\n改过的第二段。"})
    with app.app_context():
        diff = diff_versions(material_id, 2, 1)
        assert (diff.old.number, diff.new.number) == (1, 2)
        assert [(f.name, f.old, f.new) for f in diff.fields] == [("title", "学习党章", "新标题")]
        assert ("del", "-第二段。") in diff.body and ("add", "+改过的第二段。") in diff.body
        assert diff.body[0][0] == "hunk"
        assert diff_versions(material_id, 1, 9) is None
        saved = restore_version(ADMIN, db.session.get(Material, material_id), 1)
        db.session.commit()
        assert saved.number == 3
        material = db.session.get(Material, material_id)
        assert (material.title, material.body) == ("学习党章", GOOD["body"])
        assert restore_version(ADMIN, material, 1) is None  # says so already: nothing new
        with pytest.raises(LookupError):
            restore_version(ADMIN, material, 9)
    assert audits(app, "material.restore")[0]["source"] == 1


def test_retire_and_reactivate_are_versions(app: Flask):
    """Do 停用 and 恢复 each write a version and an audit row, and nothing when already so?"""
    material_id = create(app)
    with app.app_context():
        material = db.session.get(Material, material_id)
        assert set_active(ADMIN, material, False).number == 2
        assert set_active(ADMIN, material, False) is None
        assert set_active(ADMIN, material, True).number == 3
        db.session.commit()
        assert [v.fields["active"] for v in versions_of(material_id)] == [True, False, True]
    assert len(audits(app, "material.retire")) == len(audits(app, "material.reactivate")) == 1


def test_create_form_submitted_twice_makes_one_material(app: Flask):
    """Does the same form (same one-time key) submitted again give back the first material?"""
    form_key = key()
    material_id = create(app, form_key=form_key)
    before = written(app)
    with app.app_context():
        material, created = create_material(ADMIN, GOOD, form_key)
        assert (material.id, created) == (material_id, False)
    assert written(app) == before
    with app.app_context(), pytest.raises(EditError):
        create_material(ADMIN, GOOD, "short")  # not a key this page made


def test_create_form_racing_itself_makes_one_material(app: Flask, monkeypatch):
    """When the second submit checked before the first committed, does the unique key stop
    it (rolled back) and give back the first material?"""
    form_key = key()
    material_id = create(app, form_key=form_key)
    real = editing.find_created
    calls: list[str] = []

    def late(found_key: str) -> Material | None:
        calls.append(found_key)
        return None if len(calls) == 1 else real(found_key)  # the first look saw nothing yet

    monkeypatch.setattr(editing, "find_created", late)
    with app.app_context():
        material, created = create_material(ADMIN, GOOD, form_key)
        assert (material.id, created) == (material_id, False)
        db.session.commit()
        assert db.session.scalar(select(db.func.count()).select_from(Material)) == 1
        assert db.session.scalar(select(db.func.count()).select_from(MaterialVersion)) == 1


# -- content sync: the database is the source of truth -----------------------------------


def sync_cli(app: Flask, folder: Path, *extra: str) -> Any:
    """Run `flask content sync --dir folder`."""
    return app.test_cli_runner().invoke(args=["content", "sync", "--dir", str(folder), *extra])


def row(app: Flask, slug: str) -> Material:
    """The material of a slug (detached)."""
    with app.app_context():
        material = db.session.scalars(select(Material).where(Material.slug == slug)).one()
        db.session.expunge(material)
        return material


def console_edit(app: Flask, slug: str, **changes: str) -> None:
    """Edit the material in the console as an admin would."""
    with app.app_context():
        material = db.session.scalars(select(Material).where(Material.slug == slug)).one()
        update_material(ADMIN, material, {**editing.form_of(material), **changes})
        db.session.commit()


def test_sync_records_versions_and_leaves_console_edits_alone(app: Flask, tmp_path: Path):
    """Is each import a version; is a material edited in the console since its import left as
    the console saved it (one conflict line naming it), until --force imports the file?"""
    write(tmp_path, "a.md", material_text("a", minutes="5"))
    write(tmp_path, "b.md", material_text("b"))
    assert sync_cli(app, tmp_path).exit_code == 0
    console_edit(app, "a", title="控制台改的标题")
    path = tmp_path / "a.md"
    path.write_text(path.read_text().replace("minutes: 5", "minutes: 9"), encoding="utf-8")
    write(tmp_path, "b.md", material_text("b", minutes="7"))  # not edited in the console
    result = sync_cli(app, tmp_path)
    assert result.exit_code == 0, result.output
    assert "kept a: edited in the console since its last import" in result.output
    assert "--force to overwrite it" in result.output and "kept b" not in result.output
    assert "updated 1" in result.output and "conflicts 1" in result.output
    assert (row(app, "a").title, row(app, "a").minutes) == ("控制台改的标题", 5)
    assert row(app, "b").minutes == 7
    forced = sync_cli(app, tmp_path, "--force")
    assert forced.exit_code == 0
    assert "kept " not in forced.output and "conflicts" not in forced.output
    assert (row(app, "a").title, row(app, "a").minutes) == ("标题", 9)
    with app.app_context():
        assert [(v.number, v.actor.startswith("cli:")) for v in versions_of(row(app, "a").id)
                ] == [(3, True), (2, False), (1, True)]
    assert audits(app, "material.import_forced")[0]["fields"] == ["title", "minutes"]
    assert "kept " not in sync_cli(app, tmp_path).output


def test_file_saying_what_the_console_saved_ends_the_conflict(app: Flask, tmp_path: Path):
    """Once the file says what the console saved, is the material in step again, so that the
    file's next change is imported?"""
    write(tmp_path, "a.md", material_text("a"))
    sync_cli(app, tmp_path)
    console_edit(app, "a", title="新标题")
    write(tmp_path, "a.md", material_text("a", title="新标题"))
    assert "unchanged 1" in sync_cli(app, tmp_path).output
    assert not row(app, "a").edited_since_import
    write(tmp_path, "a.md", material_text("a", title="再改"))
    assert "updated 1" in sync_cli(app, tmp_path).output
    assert row(app, "a").title == "再改"


def test_sync_never_retires_console_materials_and_asks_before_retiring_edited_ones(
        app: Flask, tmp_path: Path):
    """Is a material created in the console (no file) never retired by the sync; one whose
    file is gone retired as before, unless the console edited it (a conflict until --force)?"""
    write(tmp_path, "a.md", material_text("a"))
    write(tmp_path, "b.md", material_text("b"))
    write(tmp_path, "keep.md", material_text("keep"))
    sync_cli(app, tmp_path)
    create(app, {"slug": "console-born"})
    console_edit(app, "b", title="控制台改过")
    (tmp_path / "a.md").unlink()
    (tmp_path / "b.md").unlink()
    with app.app_context():
        result = sync_library(tmp_path)
        db.session.commit()
    assert (result.deactivated, [str(k.slug) for k in result.kept]) == (1, ["b"])
    assert "--force to retire it" in str(result.kept[0])
    assert (row(app, "a").active, row(app, "b").active, row(app, "console-born").active) == (
        False, True, True)
    with app.app_context():
        result = sync_library(tmp_path, force=True)
        db.session.commit()
    assert (result.deactivated, result.kept) == (1, [])
    assert (row(app, "b").active, row(app, "console-born").active) == (False, True)


def test_console_retirement_is_not_undone_by_the_file(app: Flask, tmp_path: Path):
    """Does a file-born material retired in the console stay retired though its file is still
    there (a conflict), and stay quiet once the file is removed?"""
    write(tmp_path, "a.md", material_text("a"))
    write(tmp_path, "keep.md", material_text("keep"))
    sync_cli(app, tmp_path)
    with app.app_context():
        set_active(ADMIN, db.session.scalars(select(Material).where(Material.slug == "a")).one(),
                   False)
        db.session.commit()
    assert "kept a: edited in the console" in sync_cli(app, tmp_path).output
    assert row(app, "a").active is False
    (tmp_path / "a.md").unlink()
    output = sync_cli(app, tmp_path).output
    assert "kept " not in output and "deactivated 0" in output
