"""Re-imports keep what people did: corrections survive, identities follow content, conflicts are reported."""

from __future__ import annotations

import pytest

from documents.ingest import DocumentMeta, parse_text
from documents.merge import MeasureKey, align, merge
from documents.models import Document
from documents.services import document_ingest
from measures.models import Measure, MeasureDepartment

ITEMS = {
    "一": "支持企业建设海外仓。对符合条件的企业给予资金支持。（市商务局牵头，市财政局配合）",
    "二": "加强人才培养。支持高校开设跨境电商课程。（市教育局负责）",
    "三": "完善物流体系。建设国际物流枢纽，开通更多国际航线。（市交通运输局负责）",
    "四": "优化通关服务。推行跨境电商零售进口退货中心仓模式。（深圳海关负责）",
    "五": "加大金融支持。鼓励银行为跨境电商企业提供信用贷款。（市地方金融监管局负责）",
}
META = DocumentMeta(region="深圳市", issue_date=None, year=2023, doc_number="深商〔2023〕8号")


def document_text(items: list[tuple[str, str]], *, title="深圳市商务局关于支持海外仓建设的若干措施") -> str:
    lines = [title, "", "一、总体安排"]
    lines += [f"（{number}）{text}" for number, text in items]
    return "\n".join(lines) + "\n"


def ingest(items, *, take_theirs=(), meta=META, **kwargs):
    parsed = parse_text(document_text(items, **kwargs), meta=meta)
    return document_ingest(parsed=parsed, source_name="haiwaicang.txt", take_theirs=take_theirs)


def measures(document: Document) -> list[Measure]:
    return list(document.measures.order_by("ordinal"))


@pytest.fixture
def imported(db):
    return ingest(list(ITEMS.items())).document


def edit(measure: Measure, **values) -> None:
    """What the admin does: a person's change, saved."""
    for name, value in values.items():
        setattr(measure, name, value)
    measure.save()


def test_a_correction_survives_a_reimport_that_changes_another_measure(imported):
    third = imported.measures.get(number="（三）")
    edit(third, text="建设国际物流枢纽，开通更多国际货运航线。")
    changed = {**ITEMS, "五": "加大金融支持。鼓励银行为跨境电商企业提供信用贷款和保险服务。（市地方金融监管局负责）"}

    result = ingest(list(changed.items()))

    third.refresh_from_db()
    assert third.text == "建设国际物流枢纽，开通更多国际货运航线。"
    assert imported.measures.get(number="（五）").text.endswith("信用贷款和保险服务。")
    assert result.conflicts == []
    assert result.measures_updated == 1


def test_an_inserted_item_leaves_every_other_measure_its_identity(imported):
    before = {m.title: m.pk for m in measures(imported)}
    items = list(ITEMS.items())
    items.insert(1, ("六", "培育外贸新业态。支持市场采购贸易发展。（市商务局负责）"))
    renumbered = [(number, text) for (_, text), number in zip(items, ["一", "二", "三", "四", "五", "六"], strict=True)]

    result = ingest(renumbered)

    after = measures(imported)
    assert [m.title for m in after] == [text.split("。")[0] for _, text in items]
    assert {m.title: m.pk for m in after if m.title in before} == before
    assert result.measures_created == 1 and result.measures_deleted == 0
    assert [m.ordinal for m in after] == [1, 2, 3, 4, 5, 6]


def test_deleted_and_reordered_items_keep_identities(imported):
    before = {m.title: m.pk for m in measures(imported)}
    items = [ITEMS["五"], ITEMS["一"], ITEMS["三"], ITEMS["二"]]

    result = ingest(list(zip(["一", "二", "三", "四"], items, strict=True)))

    after = measures(imported)
    assert [before[m.title] for m in after] == [before[text.split("。")[0]] for text in items]
    assert result.measures_deleted == 1
    assert not Measure.objects.filter(pk=before["优化通关服务"]).exists()


def test_conflicting_changes_keep_the_persons_value_and_report_it(imported):
    third = imported.measures.get(number="（三）")
    edit(third, text="建设国际物流枢纽（人工校对）。")
    changed = {**ITEMS, "三": "完善物流体系。建设国际物流枢纽和海外仓配送网络。（市交通运输局负责）"}

    result = ingest(list(changed.items()))

    third.refresh_from_db()
    assert third.text == "建设国际物流枢纽（人工校对）。"
    assert [(c.key, c.ours, c.theirs) for c in result.conflicts] == [
        (f"measure:{third.pk}:text", "建设国际物流枢纽（人工校对）。", "建设国际物流枢纽和海外仓配送网络。")
    ]

    again = ingest(list(changed.items()))
    assert again.action == "unchanged"  # the same source: nothing to merge, the person's value stays

    ingest(list(changed.items()), take_theirs={f"measure:{third.pk}:text"})  # the editor takes the source's

    third.refresh_from_db()
    assert third.text == "建设国际物流枢纽和海外仓配送网络。"


def test_a_corrected_doc_number_still_identifies_the_document(imported):
    imported.doc_number = "深商〔2023〕9号"
    imported.save()
    changed = {**ITEMS, "二": "加强人才培养。支持高校开设跨境电商专业。（市教育局负责）"}

    result = ingest(list(changed.items()))

    assert result.document.pk == imported.pk
    assert Document.objects.count() == 1
    imported.refresh_from_db()
    assert imported.doc_number == "深商〔2023〕9号"
    assert "文号" in result.kept


def test_a_corrected_measure_the_source_dropped_is_kept_until_the_editor_removes_it(imported):
    fourth = imported.measures.get(number="（四）")
    edit(fourth, title="优化通关服务（已核对）")
    items = [(n, t) for n, t in ITEMS.items() if n != "四"]
    renumbered = [(number, text) for (_, text), number in zip(items, ["一", "二", "三", "四"], strict=True)]

    result = ingest(renumbered)

    assert Measure.objects.filter(pk=fourth.pk).exists()
    assert [c.key for c in result.conflicts] == [f"measure:{fourth.pk}:removed"]
    assert [m.ordinal for m in measures(imported)] == [1, 2, 3, 4, 5]

    ingest(renumbered, take_theirs={f"measure:{fourth.pk}:removed"})

    assert not Measure.objects.filter(pk=fourth.pk).exists()


def test_departments_a_person_set_are_kept(imported):
    second = imported.measures.get(number="（二）")
    link = second.department_links.get()
    link.role = MeasureDepartment.Role.LEAD
    link.save()

    ingest(list({**ITEMS, "一": ITEMS["一"].replace("资金支持", "资金奖励")}.items()))

    assert list(second.department_links.values_list("role", flat=True)) == ["lead"]


@pytest.mark.parametrize(
    ("old", "new", "pairs"),
    [
        (["a", "b", "c"], ["a", "b", "c"], [(0, 0), (1, 1), (2, 2)]),
        (["a", "b", "c"], ["a", "x", "b", "c"], [(0, 0), (None, 1), (1, 2), (2, 3)]),
        (["a", "b", "c"], ["c", "a", "b"], [(2, 0), (0, 1), (1, 2)]),
        (["a", "b", "c"], ["a", "c"], [(0, 0), (2, 1), (1, None)]),
    ],
)
def test_align_follows_content(old, new, pairs):
    text = {
        "a": "支持企业建设海外仓对符合条件的企业给予资金支持",
        "b": "加强人才培养支持高校开设跨境电商课程",
        "c": "完善物流体系建设国际物流枢纽",
        "x": "优化通关服务推行退货中心仓模式",
    }
    keys = lambda names: [MeasureKey(str(i), text[name]) for i, name in enumerate(names)]  # noqa: E731
    assert align(keys(old), keys(new)) == pairs


def test_align_pairs_a_changed_measure_with_its_old_self():
    old = [MeasureKey("（一）", "支持企业建设海外仓对符合条件的企业给予资金支持"), MeasureKey("（二）", "加强人才培养")]
    new = [
        MeasureKey("（一）", "支持企业建设海外仓对符合条件的企业给予资金奖励和用地支持"),
        MeasureKey("（二）", "加强人才培养"),
    ]
    assert align(old, new) == [(0, 0), (1, 1)]


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "value", "conflict"),
    [
        ("a", "a", "b", "b", False),  # nobody touched it: the source wins
        ("a", "x", "a", "x", False),  # a person corrected it, the source did not change: kept
        ("a", "x", "x", "x", False),  # both say the same
        ("a", "x", "b", "x", True),  # both changed it differently: kept, reported
    ],
)
def test_merge_rules(base, ours, theirs, value, conflict):
    merged = merge({"f": base}, {"f": ours}, {"f": theirs}, key="k", labels={})
    assert merged.values == {"f": value}
    assert bool(merged.conflicts) is conflict
    assert merged.base == {"f": theirs}


def test_the_import_base_keeps_digests_not_copies_of_long_texts(imported):
    long_text = "完善物流体系。" + "建设国际物流枢纽，开通更多国际航线，" * 10 + "（市交通运输局负责）"
    result = ingest(list({**ITEMS, "三": long_text}.items()))
    third = result.document.measures.get(number="（三）")
    assert third.import_base["text"].startswith("sha1:")
    assert third.import_base["title"] == "完善物流体系"
    assert len(str(third.import_base)) < 600


def test_jointly_issued_documents_name_each_issuer_once(db):
    text = "\n".join(
        [
            "广州市商务局 广州市财政局关于支持海外仓建设的通知",
            "（一）支持企业建设海外仓。给予资金支持。",
            "（二）加强人才培养。支持高校开设课程。",
            "广州市商务局 广州市财政局",
            "2021年3月1日",
        ]
    )
    result = document_ingest(parsed=parse_text(text), source_name="joint.txt")
    document = result.document
    assert (document.issuer.name, [o.name for o in document.co_issuers.all()]) == ("广州市商务局", ["广州市财政局"])
    assert (document.region.name, document.year, document.issuing_level) == ("广州市", 2021, "市级")
