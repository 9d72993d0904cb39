"""Importing files: idempotence, updates in place, and bad input that changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from documents.models import Citation, Document, Organization
from measures.models import Measure, MeasureDepartment, MeasureTheme, Theme
from measures.services import measure_theme_set, measures_classify

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.SEED_CORPUS_DIR)
SEED_000 = "000_55caf7c8ee19f35e.txt"
SEED_002 = "002_3c56c2009a91f803.txt"

MINIMAL = """深圳市商务局关于支持海外仓建设的若干措施

一、总体安排
（一）支持企业建设海外仓。对符合条件的企业给予资金支持。（市商务局牵头，市财政局配合）
（二）加强人才培养。支持高校开设跨境电商课程。（市教育局负责）
"""


def snapshot() -> dict[str, object]:
    """Everything an import could change, in comparable form."""
    return {
        "documents": sorted(Document.objects.values_list("id", "title", "content_hash", "updated_at")),
        "measures": sorted(Measure.objects.values_list("id", "document_id", "ordinal", "title", "text", "updated_at")),
        "departments": sorted(MeasureDepartment.objects.values_list("measure_id", "organization_id", "role")),
        "themes": sorted(MeasureTheme.objects.values_list("measure_id", "theme_id", "source", "active")),
        "citations": sorted(Citation.objects.values_list("citing_id", "cited_id", "cited_title"), key=repr),
        "organizations": Organization.objects.count(),
        "history": Measure.history.count() + Document.history.count(),
    }


def run_import(*args: str) -> None:
    call_command("import_documents", *args, verbosity=0)


def test_loading_the_seed_corpus_again_changes_nothing(seed):
    before = snapshot()
    call_command("load_seed_corpus", verbosity=0)
    assert snapshot() == before


def test_forced_reimport_updates_in_place_and_keeps_manual_themes(seed):
    measure = Measure.objects.get(document__source_name=SEED_002, number="（一）")
    removed = measure.theme_links.filter(active=True).first().theme
    added = Theme.objects.exclude(measure_links__measure=measure).first()
    measure_theme_set(measure=measure, theme=removed, active=False)
    measure_theme_set(measure=measure, theme=added, active=True)
    ids_before = set(Measure.objects.values_list("id", flat=True))

    call_command("load_seed_corpus", "--force", verbosity=0)
    measures_classify()

    assert set(Measure.objects.values_list("id", flat=True)) == ids_before
    assert Document.objects.count() == 5
    links = {link.theme_id: link for link in MeasureTheme.objects.filter(measure=measure)}
    assert links[removed.pk].active is False and links[removed.pk].source == "manual"
    assert links[added.pk].active is True and links[added.pk].source == "manual"


def test_changed_source_updates_the_same_document(seed, tmp_path):
    original = Document.objects.get(source_name=SEED_002)
    text = (SEEDS / SEED_002).read_text(encoding="utf-8")
    changed = tmp_path / SEED_002
    changed.write_text(text.replace("加快培育电子商务集聚区", "加快培育电子商务产业集聚区"), encoding="utf-8")
    measure_ids = list(original.measures.order_by("ordinal").values_list("id", flat=True))

    run_import(str(changed), "--region", "广州市")

    assert Document.objects.filter(source_name=SEED_002).count() == 1
    updated = Document.objects.get(pk=original.pk)
    assert updated.content_hash != original.content_hash
    assert list(updated.measures.order_by("ordinal").values_list("id", flat=True)) == measure_ids
    assert updated.measures.get(ordinal=1).title == "加快培育电子商务产业集聚区"


def test_gbk_copy_of_a_seed_gives_the_same_records(seed, tmp_path):
    original = Document.objects.get(source_name=SEED_000)
    expected = list(original.measures.order_by("ordinal").values_list("number", "title", "text", "chapter", "kind"))
    gbk = tmp_path / SEED_000
    gbk.write_bytes((SEEDS / SEED_000).read_text(encoding="utf-8").encode("gbk"))

    run_import(str(gbk), "--region", "深圳市")

    assert Document.objects.filter(source_name=SEED_000).count() == 1
    document = Document.objects.get(pk=original.pk)
    assert document.encoding in {"gb18030", "gbk"}
    assert (
        list(document.measures.order_by("ordinal").values_list("number", "title", "text", "chapter", "kind"))
        == expected
    )


def test_import_a_new_document_with_options(db, tmp_path):
    source = tmp_path / "haiwaicang.md"
    source.write_text(MINIMAL, encoding="utf-8")
    run_import(str(source), "--region", "深圳市", "--date", "2023-05-06", "--doc-number", "深商〔2023〕8号")
    document = Document.objects.get(source_name="haiwaicang.md")
    assert document.doc_number == "深商〔2023〕8号"
    assert document.year == 2023
    assert document.measures.count() == 2
    lead = MeasureDepartment.objects.get(measure__document=document, measure__ordinal=1, role="lead")
    assert lead.organization.name == "深圳市商务局"

    run_import(str(source), "--region", "深圳市", "--date", "2023-05-06")
    assert Document.objects.filter(source_name="haiwaicang.md").count() == 1


def test_dry_run_writes_nothing(db, tmp_path, capsys):
    source = tmp_path / "haiwaicang.txt"
    source.write_text(MINIMAL, encoding="utf-8")
    call_command("import_documents", str(source), "--region", "深圳市", "--year", "2023", "--dry-run")
    out = capsys.readouterr().out
    assert "试运行" in out and "措施：2 条" in out
    assert not Document.objects.filter(source_name="haiwaicang.txt").exists()
    assert not Measure.objects.filter(title="支持企业建设海外仓").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "文件为空"),
        ("blank.txt", "\u3000\n  \n".encode(), "文件为空"),
        ("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n", "PDF"),
        ("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制"),
        ("garbage.txt", bytes(range(256)) * 4, "二进制"),
        ("prose.txt", "这是一段没有编号条目的说明文字。\n只是普通的段落。\n".encode(), "编号"),
        ("table.csv", b"a,b\n1,2\n", "不支持的文件类型"),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(seed, tmp_path, capsys, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(MINIMAL, encoding="utf-8")
    before = Document.objects.count()

    with pytest.raises(CommandError, match="1 个文件导入失败"):
        call_command("import_documents", str(bad), str(good), "--region", "深圳市", "--year", "2023")

    err = capsys.readouterr().err
    assert name in err and message in err
    assert Document.objects.count() == before + 1  # the good file still imported
    assert Document.objects.filter(source_name="good.txt").exists()


def test_missing_path_is_reported(db, capsys):
    with pytest.raises(CommandError):
        call_command("import_documents", "/nonexistent/policy.txt")
    assert "不存在" in capsys.readouterr().err


def test_failure_inside_ingest_rolls_the_file_back(seed, tmp_path, monkeypatch, capsys):
    source = tmp_path / "haiwaicang.txt"
    source.write_text(MINIMAL, encoding="utf-8")
    before = snapshot()

    def explode(**kwargs):
        raise RuntimeError("disk full")

    # The last step of writing a new document: everything before it must roll back with the file.
    monkeypatch.setattr("documents.services.create.citations_resolve", explode)
    with pytest.raises(CommandError):
        run_import(str(source), "--region", "深圳市", "--year", "2023")
    assert "disk full" in capsys.readouterr().err
    assert snapshot() == before


def test_oversized_file_is_refused(db, tmp_path, settings, capsys):
    settings.IMPORT_MAX_BYTES = 1024
    before = Document.objects.count()
    big = tmp_path / "big.txt"
    big.write_text(MINIMAL * 40, encoding="utf-8")
    with pytest.raises(CommandError):
        run_import(str(big), "--region", "深圳市", "--year", "2023")
    assert "文件过大" in capsys.readouterr().err
    assert Document.objects.count() == before


def test_folder_import_recurses_and_skips_what_is_imported_already(seed, tmp_path, capsys):
    folder = tmp_path / "batch" / "nested"
    folder.mkdir(parents=True)
    shutil.copy(SEEDS / SEED_002, folder / SEED_002)
    (folder / "haiwaicang.md").write_text(MINIMAL, encoding="utf-8")
    (folder / "notes.csv").write_text("ignored", encoding="utf-8")
    before = Document.objects.count()

    run_import(str(tmp_path / "batch"), "--region", "深圳市", "--year", "2023")

    assert Document.objects.count() == before + 1
    assert Document.objects.get(source_name="haiwaicang.md").measures.count() == 2
    assert Document.objects.get(source_name=SEED_002).region.name == "广州市"  # unchanged, not re-tagged


def test_docx_imports_like_text(db, tmp_path):
    import docx

    word = docx.Document()
    for line in MINIMAL.splitlines():
        word.add_paragraph(line)
    path = tmp_path / "haiwaicang.docx"
    word.save(str(path))

    run_import(str(path), "--region", "深圳市", "--year", "2023")

    document = Document.objects.get(source_name="haiwaicang.docx")
    assert list(document.measures.order_by("ordinal").values_list("title", flat=True)) == [
        "支持企业建设海外仓",
        "加强人才培养",
    ]


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx"])
def test_corrupt_office_and_pdf_files_are_refused(db, tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(b"this is not really a " + name.encode())
    before = Document.objects.count()
    with pytest.raises(CommandError):
        run_import(str(path), "--region", "深圳市", "--year", "2023")
    assert name in capsys.readouterr().err
    assert Document.objects.count() == before


def test_import_by_a_user_names_them_in_the_history(db, tmp_path, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x")
    source = tmp_path / "haiwaicang.md"
    source.write_text(MINIMAL, encoding="utf-8")
    run_import(str(source), "--region", "深圳市", "--year", "2023", "--user", "editor")
    document = Document.objects.get(source_name="haiwaicang.md")
    created = [*document.history.all(), *Measure.history.filter(document_id=document.pk)]
    assert created and {row.history_user for row in created} == {editor}
    assert {row.history_user for row in MeasureDepartment.history.all()} == {editor}

    source.write_text(MINIMAL.replace("给予资金支持", "给予资金和用地支持"), encoding="utf-8")  # an update in place
    run_import(str(source), "--region", "深圳市", "--year", "2023")  # without --user: nobody named
    changed = Measure.history.filter(document_id=document.pk, history_type="~").latest("history_date")
    assert "用地" in changed.text and changed.history_user is None
    source.write_text(MINIMAL.replace("给予资金支持", "给予资金和人才支持"), encoding="utf-8")
    run_import(str(source), "--region", "深圳市", "--year", "2023", "--user", "editor")
    changed = Measure.history.filter(document_id=document.pk, history_type="~").latest("history_date")
    assert "人才支持" in changed.text and changed.history_user == editor


def test_import_by_an_unknown_user_is_refused_before_anything_is_written(db, tmp_path):
    source = tmp_path / "haiwaicang.md"
    source.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(CommandError, match="没有用户“nobody”"):
        run_import(str(source), "--region", "深圳市", "--year", "2023", "--user", "nobody")
    assert not Document.objects.exists()
