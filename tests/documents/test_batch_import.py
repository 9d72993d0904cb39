"""Large imports: new documents written in batches give exactly what one-by-one ingestion gives.

Also: which sources count as the same document (documents.identity), parallel preparation,
and a batch that fails falling back to file-by-file without losing the good files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from documents import batch, importing
from documents.identity import Identity, same_document
from documents.models import Citation, Document, Organization
from measures.models import Measure, MeasureDepartment, MeasureTheme

pytestmark = pytest.mark.django_db

CITIES = [("汕头市", "汕府办"), ("深圳市", "深府办"), ("广州市", "穗府办")]
TOPICS = ["推进农村电子商务发展", "支持直播电商发展", "促进服务贸易创新发展"]


def notice(*, city: str, prefix: str, topic: str, number: int, date: dt.date, cite: str = "") -> str:
    """A notice in the shape of the seed and benchmark documents, with three measures."""
    citation = f"根据《{cite}》，" if cite else ""
    return f"""{city}人民政府办公厅关于印发{topic}若干措施的通知
{prefix}〔{date.year}〕{number}号

各区人民政府，市政府各部门、各直属机构：
《关于{topic}的若干措施》已经市人民政府同意，现印发给你们，请认真贯彻执行。

{city}人民政府办公厅
{date.year}年{date.month}月{date.day}日

关于{topic}的若干措施
{citation}为{topic}，结合本市实际，现制定以下措施：

一、实施市场主体强本固元行动
（一）加强国际交流合作{number}。支持和引导电子商务企业引入风险投资，建设海外仓。（市财政局、市市场监管局牵头；市商务局配合）
（二）降低准入门槛。积极配合广东省成立跨境电商海外风险防范专家委员会，加强人才培养。

二、实施金融创新助企惠企行动
（三）完善电子商务信用体系。对电子商务企业上市融资给予支持。（市商务局负责）

（四）本措施自印发之日起施行，有效期2年。
"""


def write_corpus(folder: Path, count: int = 12) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        city, prefix = CITIES[i % len(CITIES)]
        topic = TOPICS[i % len(TOPICS)]
        date = dt.date(2015 + i % 5, 1 + i % 12, 1 + i % 27)
        cite = f"关于{TOPICS[0]}的若干措施" if i % 4 == 1 else ""
        path = folder / f"doc_{i:03d}.txt"
        path.write_text(
            notice(city=city, prefix=prefix, topic=topic, number=100 + i, date=date, cite=cite), encoding="utf-8"
        )
        paths.append(path)
    return paths


def content() -> dict[str, object]:
    """What an import wrote, independent of ids and times."""
    by_measure = {
        pk: (name, ordinal)
        for pk, name, ordinal in Measure.objects.values_list("pk", "document__source_name", "ordinal")
    }
    return {
        "documents": sorted(
            Document.objects.values_list(
                "source_name", "title", "doc_number", "region__name", "issuer__name", "issue_date", "valid_until"
            )
        ),
        "measures": sorted(
            Measure.objects.values_list(
                "document__source_name",
                "ordinal",
                "number",
                "chapter",
                "title",
                "text",
                "kind",
                "search_title",
                "search_body",
                "search_version",
            )
        ),
        "departments": sorted(
            (by_measure[m], o, r, p, n)
            for m, o, r, p, n in MeasureDepartment.objects.values_list(
                "measure_id", "organization__name", "role", "position", "name_as_written"
            )
        ),
        "themes": sorted(
            (by_measure[m], t, s, a, sc)
            for m, t, s, a, sc in MeasureTheme.objects.values_list(
                "measure_id", "theme__code", "source", "active", "score"
            )
        ),
        "citations": sorted(
            Citation.objects.values_list("citing__source_name", "cited_title", "cited__source_name"), key=repr
        ),
        "organizations": sorted(Organization.objects.values_list("name", "region__name")),
        "history": (
            Document.history.filter(history_type="+").count(),
            Measure.history.filter(history_type="+").count(),
            MeasureDepartment.history.filter(history_type="+").count(),
        ),
    }


def clear() -> None:
    Document.objects.all().delete()
    Organization.objects.all().delete()
    for model in (Document, Measure, MeasureDepartment):
        model.history.all().delete()


def run(paths, **options) -> list[importing.FileOutcome]:
    return list(importing.import_paths(paths, **options))


def test_batches_write_exactly_what_file_by_file_ingestion_writes(tmp_path):
    folder = tmp_path / "corpus"
    write_corpus(folder)

    outcomes = run([folder], batch_size=1)  # every file through document_ingest
    assert all(o.ok and o.result.action == "created" for o in outcomes), [o.error for o in outcomes]
    one_by_one = content()
    clear()

    outcomes = run([folder], batch_size=5)
    assert all(o.ok and o.result.action == "created" for o in outcomes), [o.error for o in outcomes]
    assert [o.path.name for o in outcomes] == sorted(p.name for p in folder.iterdir())
    batched = content()

    assert batched == one_by_one
    assert len(batched["documents"]) == 12
    assert len(batched["measures"]) == 36
    assert batched["history"] == (12, 36, len(batched["departments"]))
    assert any(cited for _, _, cited in batched["citations"])  # citations resolved within and across batches


def test_search_finds_what_a_batch_wrote(tmp_path):
    from measures.selectors import measure_search

    write_corpus(tmp_path / "corpus", count=6)
    run([tmp_path / "corpus"], batch_size=10)
    result = measure_search(query="海外仓", filters={})
    assert result.total == 6
    assert Measure.objects.filter(theme_links__isnull=True).count() == 0  # every measure has a theme


def test_importing_the_folder_again_changes_nothing(tmp_path):
    folder = tmp_path / "corpus"
    write_corpus(folder)
    run([folder], batch_size=5)
    before = content()
    outcomes = run([folder], batch_size=5)
    assert {o.result.action for o in outcomes} == {"unchanged"}
    assert content() == before


def test_parallel_preparation_gives_the_same_records(tmp_path):
    folder = tmp_path / "corpus"
    write_corpus(folder)
    run([folder], batch_size=5, workers=1)
    sequential = content()
    clear()
    outcomes = run([folder], batch_size=5, workers=2)
    assert all(o.ok for o in outcomes)
    assert content() == sequential


def test_a_failing_batch_is_retried_file_by_file_and_only_the_bad_file_fails(tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    paths = write_corpus(folder, count=6)
    # A chapter heading longer than the field allows (294 > 200 characters): the batch's check raises,
    # and so does the file's own ingest.
    text = paths[2].read_text(encoding="utf-8")
    paths[2].write_text(text.replace("助企惠企行动", "助企惠企行动" + "并持续完善配套" * 40), encoding="utf-8")

    outcomes = run([folder], batch_size=10)

    failed = [o for o in outcomes if not o.ok]
    assert [o.path.name for o in failed] == [paths[2].name]
    assert "所属章节" in failed[0].error
    assert Document.objects.count() == 5
    assert not Document.objects.filter(source_name=paths[2].name).exists()
    assert Measure.objects.count() == 15


def test_a_database_error_in_a_batch_loses_no_good_file(tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    write_corpus(folder, count=6)

    def broken(**kwargs):
        raise RuntimeError("connection reset")

    monkeypatch.setattr(importing, "documents_create", broken)
    outcomes = run([folder], batch_size=10)
    assert all(o.ok for o in outcomes)
    assert Document.objects.count() == 6


def test_a_reused_doc_number_is_a_new_document_with_a_warning(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        notice(city="深圳市", prefix="深府办", topic=TOPICS[0], number=7, date=dt.date(2021, 3, 1)), encoding="utf-8"
    )
    (folder / "b.txt").write_text(
        notice(city="深圳市", prefix="深府办", topic=TOPICS[1], number=7, date=dt.date(2021, 9, 1)), encoding="utf-8"
    )
    outcomes = run([folder], batch_size=1)
    assert [o.result.action for o in outcomes] == ["created", "created"]
    assert any("深府办〔2021〕7号" in w and "核对文号" in w for w in outcomes[1].result.warnings)
    assert Document.objects.count() == 2


def test_an_edited_copy_under_the_same_file_name_updates_the_document(tmp_path):
    folder = tmp_path / "corpus"
    paths = write_corpus(folder, count=3)
    run([folder], batch_size=10)
    measure_ids = set(Measure.objects.values_list("pk", flat=True))
    paths[1].write_text(
        paths[1].read_text(encoding="utf-8").replace("降低准入门槛", "降低市场准入门槛"), encoding="utf-8"
    )

    outcomes = run([folder], batch_size=10)

    assert [o.result.action for o in outcomes] == ["unchanged", "updated", "unchanged"]
    assert Document.objects.count() == 3
    assert set(Measure.objects.values_list("pk", flat=True)) == measure_ids
    assert Measure.objects.filter(title="降低市场准入门槛").count() == 1


@pytest.mark.parametrize(
    ("other", "same"),
    [
        ({"doc_number": "深府办〔2021〕7号", "title": "甲"}, True),  # 文号 + title, date unknown
        ({"doc_number": "深府办〔2021〕7号", "title": "甲", "source_name": "renamed.txt"}, True),
        ({"doc_number": "深府办〔2021〕7号", "source_name": "a.txt"}, True),  # title not read this time
        ({"doc_number": "深府办〔2021〕7号", "title": "乙", "source_name": "x.txt"}, False),  # 文号 alone
        ({"title": "甲", "issue_date": dt.date(2021, 3, 1)}, True),  # title + date, no 文号 known
        ({"title": "甲", "issue_date": dt.date(2022, 3, 1)}, False),  # a title reused next year
        ({"doc_number": "深府办〔2021〕8号", "title": "甲", "issue_date": dt.date(2021, 3, 1)}, False),  # other 文号
        ({"doc_number": "深府办〔2021〕7号", "title": "乙", "source_name": "a.txt"}, False),  # title differs
        ({"source_name": "a.txt", "issue_date": dt.date(2021, 3, 1)}, True),
        ({"region": "广州市", "doc_number": "深府办〔2021〕7号", "title": "甲"}, False),  # another region
    ],
)
def test_two_agreeing_fields_and_no_conflict_make_the_same_document(other, same):
    base = Identity("深圳市", "深府办〔2021〕7号", "甲", "a.txt", dt.date(2021, 3, 1))
    candidate = Identity(**{"region": "深圳市", "doc_number": "", "title": "", "source_name": "", **other})
    assert same_document(base, candidate) is same


def test_split_new_sends_repeats_within_a_batch_one_by_one(tmp_path):
    paths = write_corpus(tmp_path / "corpus", count=2)
    prepared = [importing.prepare_file(p, meta=None, rules=importing.IngestContext().rules.compiled) for p in paths]
    items = [batch.NewDocument(p.parsed, p.derived, p.path.name) for p in prepared]
    twin = batch.NewDocument(prepared[0].parsed, prepared[0].derived, "copy.txt")  # same bytes, other name
    new, one_by_one, _ = batch.split_new([*items, twin])
    assert new == items
    assert one_by_one == [twin]


def test_unreadable_files_in_a_batch_are_reported_and_the_others_import(tmp_path):
    folder = tmp_path / "corpus"
    write_corpus(folder, count=4)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "no_measures.txt").write_text("深圳市商务局关于开会的通知\n\n请准时参加。\n", encoding="utf-8")

    outcomes = {o.path.name: o for o in run([folder], batch_size=10, workers=2)}

    assert {name for name, o in outcomes.items() if not o.ok} == {"empty.txt", "image.txt", "no_measures.txt"}
    assert all(outcomes[name].error for name in ("empty.txt", "image.txt", "no_measures.txt"))
    assert Document.objects.count() == 4
    assert Measure.objects.count() == 12
