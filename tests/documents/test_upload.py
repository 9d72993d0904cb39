"""The admin upload: a file is staged and previewed, corrected, then imported or discarded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Document, StagedImport
from documents.uploads import (
    EDITED,
    NOT_FOUND,
    ParserProcess,
    ParseTimeout,
    region_choice_ok,
    split_names,
    staged_import_confirm,
    word_diff,
)
from measures.models import Measure

pytestmark = pytest.mark.django_db

ITEMS = [
    ("一", "支持企业建设海外仓。对符合条件的企业给予资金支持。（市商务局牵头，市财政局配合）"),
    ("二", "加强人才培养。支持高校开设跨境电商课程。（市教育局负责）"),
    ("三", "完善物流体系。建设国际物流枢纽，开通更多国际航线。（市交通运输局负责）"),
    ("四", "优化通关服务。推行跨境电商零售进口退货中心仓模式。（深圳海关负责）"),
    ("五", "加大金融支持。鼓励银行为跨境电商企业提供信用贷款。（市地方金融监管局负责）"),
]
UPLOAD_URL = "/admin/documents/document/upload/"


def policy(items=ITEMS, *, issuer="深圳市商务局", signed="2023年5月6日") -> bytes:
    """A small policy text; its region comes from the issuer's name (市商务局 alone names none)."""
    lines = [f"{issuer}关于支持海外仓建设的若干措施", "", "一、总体安排"]
    lines += [f"（{number}）{text}" for number, text in items]
    lines += ["", issuer, signed] if signed else []
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "pw"))
    return client


@pytest.fixture
def clerk(client, django_user_model):
    """Staff who may look at documents but not add them."""
    user = django_user_model.objects.create_user("clerk", "clerk@example.org", "pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(user)
    return client


def upload(client, *files: tuple[str, bytes]):
    return client.post(UPLOAD_URL, {"files": [SimpleUploadedFile(name, data) for name, data in files]})


def stage_page(stage: StagedImport) -> str:
    return reverse("admin:documents_stagedimport_change", args=[stage.pk])


def uploaded(client, data: bytes = b"", name: str = "haiwaicang.txt") -> StagedImport:
    response = upload(client, (name, data or policy()))
    stage = StagedImport.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == stage_page(stage)
    return stage


def as_posted(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def decide(client, stage: StagedImport, action: str = "confirm", *, choices: dict | None = None, **changes):
    """POST the preview form as the page fills it, with ``changes`` typed in and conflict ``choices`` made."""
    form = client.get(stage_page(stage)).context["form"]
    data = {field.name: as_posted(field.value()) for field in form}
    data |= {name: as_posted(value) for name, value in changes.items()}
    data |= {f"choice:{key}": value for key, value in (choices or {}).items()}
    return client.post(stage_page(stage), {**data, "action": action})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- upload and preview --------------------------------------------------------------------------


def test_upload_stages_the_file_and_the_preview_shows_what_would_be_imported(editor):
    stage = uploaded(editor)

    assert stage.status == StagedImport.Status.PENDING and stage.created_by.username == "editor"
    assert not Document.objects.exists() and not Measure.objects.exists()  # only the stage is written
    response = editor.get(stage_page(stage))
    page = response.content.decode()
    preview = response.context["preview"]
    assert preview.creates and preview.changes is None
    assert "深圳市商务局关于支持海外仓建设的若干措施" in page
    assert "取自正文第1段" in page and "由发文机关“深圳市商务局”推定" in page  # where values came from
    assert [(row.number, row.title) for row in preview.measures] == [
        ("（一）", "支持企业建设海外仓"),
        ("（二）", "加强人才培养"),
        ("（三）", "完善物流体系"),
        ("（四）", "优化通关服务"),
        ("（五）", "加大金融支持"),
    ]
    first = preview.measures[0]
    assert first.departments == (("市商务局", "牵头", ""), ("市财政局", "配合", "")) and first.kind == "措施"
    assert all(row.themes for row in preview.measures)
    assert all(f">{theme}<" in page for row in preview.measures for theme in row.themes)
    assert "对符合条件的企业给予资金支持。" in page and "确认导入" in page and "放弃" in page


def test_the_document_changelist_offers_the_upload(editor):
    page = editor.get(reverse("admin:documents_document_changelist")).content.decode()

    assert f'href="{UPLOAD_URL}"' in page and "上传文件" in page
    assert editor.get(UPLOAD_URL).status_code == 200


def test_confirm_imports_exactly_the_previewed_measures_in_the_editors_name(editor):
    stage = uploaded(editor)
    previewed = editor.get(stage_page(stage)).context["preview"].measures

    response = decide(editor, stage)

    document = Document.objects.get()
    assert response["Location"] == reverse("admin:documents_document_change", args=[document.pk])
    assert messages_of(response) == [
        "已导入“haiwaicang.txt”：新建《深圳市商务局关于支持海外仓建设的若干措施》，措施 新增 5 / 更新 0 / 删除 0。"
    ]
    stored = list(document.measures.order_by("ordinal"))
    assert [(m.number, m.title, m.text, m.chapter) for m in stored] == [
        (row.number, row.title, row.text, row.chapter) for row in previewed
    ]
    for measure, row in zip(stored, previewed, strict=True):
        assert set(measure.theme_links.filter(active=True).values_list("theme__name", flat=True)) == set(row.themes)
    stage.refresh_from_db()
    assert (stage.status, stage.decided_by.username, stage.document) == ("imported", "editor", document)
    assert document.history.latest().history_user.username == "editor"
    assert document.source_name == "haiwaicang.txt" and document.region.name == "深圳市" and document.year == 2023


def test_corrections_in_the_form_are_applied_and_marked_as_the_editors(editor):
    stage = uploaded(editor, policy(issuer="市商务局"))  # names no region
    response = editor.get(stage_page(stage))
    assert response.context["form"]["region"].help_text == NOT_FOUND
    assert response.context["preview"].needed == ["地区"] and not response.context["preview"].problem

    decide(editor, stage, region="珠海市", doc_number="珠商〔2023〕8号", co_issuers="市财政局、 市科技局")

    document = Document.objects.get()
    assert (document.region.name, document.doc_number) == ("珠海市", "珠商〔2023〕8号")
    assert list(document.co_issuers.values_list("name", flat=True).order_by("name")) == ["珠海市科技局", "珠海市财政局"]
    assert document.provenance["region"] == EDITED and document.provenance["title"] == "取自正文第1段"
    stage.refresh_from_db()
    assert stage.parsed["region"] == "珠海市"  # the stage keeps what was imported


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({}, "请填写地区。"),  # the region the text does not give was left empty
        ({"region": "随便写写"}, "“随便写写”不像地区名称"),
        ({"region": "珠海市", "year": ""}, "请填写年份。"),
    ],
)
def test_a_missing_or_unlikely_region_or_year_shows_the_form_again_and_writes_nothing(editor, changes, error):
    stage = uploaded(editor, policy(issuer="市商务局"))

    response = decide(editor, stage, **changes)

    assert response.status_code == 200 and error in response.content.decode()
    assert not Document.objects.exists()
    stage.refresh_from_db()
    assert stage.status == StagedImport.Status.PENDING


def test_a_text_without_a_date_needs_the_year(editor):
    stage = uploaded(editor, policy(signed=""))
    assert editor.get(stage_page(stage)).context["preview"].needed == ["年份"]

    assert "请填写年份。" in decide(editor, stage).content.decode()
    assert not Document.objects.exists()

    decide(editor, stage, year=2021)
    assert Document.objects.get().year == 2021


def test_refresh_shows_the_preview_with_the_corrections_and_writes_nothing(editor):
    stage = uploaded(editor, policy(issuer="市商务局"))

    response = decide(editor, stage, "refresh", region="珠海市")

    assert response.status_code == 200 and response.context["preview"].parsed.region == "珠海市"
    assert response.context["preview"].creates and not response.context["preview"].problem
    assert not Document.objects.exists()


# --- re-uploading a changed file -----------------------------------------------------------------

CHANGED = [  # (二) and (三) reworded, (四) dropped, (五) moved up, a new (五)
    ITEMS[0],
    ("二", "加强人才培养。支持高校开设跨境电商专业。（市教育局负责）"),
    ("三", "完善物流体系。建设国际物流枢纽和海外仓配送网络。（市交通运输局负责）"),
    ("四", ITEMS[4][1]),
    ("五", "培育外贸新业态。支持市场采购贸易发展。（市商务局负责）"),
]
PERSONS_TEXT = "建设国际物流枢纽（人工校对）。"


@pytest.fixture
def imported_and_corrected(editor):
    """The file imported, then a person corrects measure (三) in the admin."""
    decide(editor, uploaded(editor))
    third = Measure.objects.get(number="（三）")
    third.text = PERSONS_TEXT
    third.save()
    return Document.objects.get()


@pytest.mark.parametrize(
    ("choice", "expected"), [("ours", PERSONS_TEXT), ("theirs", "建设国际物流枢纽和海外仓配送网络。")]
)
def test_reupload_shows_what_changes_and_the_conflict_choice_works(editor, imported_and_corrected, choice, expected):
    document = imported_and_corrected
    ids = {m.title: m.pk for m in document.measures.all()}
    stage = uploaded(editor, policy(CHANGED), name="haiwaicang-v2.txt")

    response = editor.get(stage_page(stage))

    changes = response.context["preview"].changes
    assert changes.document == document and not changes.same_content
    assert [row.title for row in changes.added] == ["培育外贸新业态"]
    assert [measure.title for measure, kept in changes.removed] == ["优化通关服务"]
    changed = {change.title: change for change in changes.changed}
    assert set(changed) == {"加强人才培养", "完善物流体系", "加大金融支持"}
    assert changed["加强人才培养"].text_diff == "支持高校开设跨境电商<del>课程</del><ins>专业</ins>。"
    assert changed["加大金融支持"].others == ("编号：（五） → （四）",)
    third_key = f"measure:{ids['完善物流体系']}:text"
    assert [(c.key, c.ours, c.theirs) for c in changes.conflicts] == [
        (third_key, PERSONS_TEXT, "建设国际物流枢纽和海外仓配送网络。")
    ]
    page = response.content.decode()
    assert f'name="choice:{third_key}" value="ours" checked' in page and "采用新原文" in page
    assert "<del>课程</del><ins>专业</ins>" in page
    assert Document.objects.get().measures.count() == 5  # the dry run was rolled back

    decide(editor, stage, choices={third_key: choice})

    assert Document.objects.count() == 1
    assert Measure.objects.get(pk=ids["完善物流体系"]).text == expected
    assert Measure.objects.get(pk=ids["支持企业建设海外仓"]).number == "（一）"  # identity kept
    assert not Measure.objects.filter(pk=ids["优化通关服务"]).exists()
    assert sorted(document.measures.values_list("title", flat=True)) == sorted(
        ["支持企业建设海外仓", "加强人才培养", "完善物流体系", "加大金融支持", "培育外贸新业态"]
    )


def test_updating_a_document_needs_the_change_permission(editor, imported_and_corrected, django_user_model):
    stage = uploaded(editor, policy(CHANGED), name="haiwaicang-v2.txt")
    adder = django_user_model.objects.create_user("adder", "adder@example.org", "pw", is_staff=True)
    adder.user_permissions.add(Permission.objects.get(codename="add_document"))

    with pytest.raises(PermissionDenied, match="修改政策文件"):
        staged_import_confirm(stage_id=stage.pk, user=adder, corrections={})
    editor.force_login(adder)
    response = decide(editor, stage)
    assert "这个文件会更新已有的政策文件，需要“修改政策文件”权限。" in response.content.decode()

    assert Measure.objects.filter(title="培育外贸新业态").count() == 0
    stage.refresh_from_db()
    assert stage.status == StagedImport.Status.PENDING


def test_word_diff_escapes_the_text():
    assert (
        word_diff("<b>旧</b>资金支持", "<b>旧</b>资金奖励") == "&lt;b&gt;旧&lt;/b&gt;资金<del>支持</del><ins>奖励</ins>"
    )


def test_word_diff_shortens_long_unchanged_text_around_a_change():
    before = "甲" * 100 + "给予资金支持" + "乙" * 100

    diff = word_diff(before, before.replace("支持", "奖励"), context=5)

    assert diff == "…甲给予资金<del>支持</del><ins>奖励</ins>乙乙乙乙乙…"


# --- files that cannot be imported ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "“empty.txt”是空文件（0 字节），没有可导入的内容。"),
        ("blank.txt", b"  \n\r\n ", "“blank.txt”只有空白，没有可导入的文字。"),
        ("table.xls", b"x", "“table.xls”的类型（.xls）无法导入：支持"),
    ],
)
def test_files_refused_before_parsing_show_the_form_again(editor, name, data, message):
    response = upload(editor, (name, data))

    assert response.status_code == 200 and message in response.content.decode()
    assert not StagedImport.objects.exists() and not Document.objects.exists()


def test_an_oversize_file_is_refused(editor, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024

    response = upload(editor, ("big.txt", policy() * 20_000))

    assert (
        "“big.txt”过大（" in response.content.decode() and "上限 1 MB）：请拆分后再上传。" in response.content.decode()
    )
    assert not StagedImport.objects.exists() and not Document.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "这是二进制文件（PNG 图片），不是文本"),
        ("只是一段话，没有编号。".encode(), "没有找到编号条目"),
        (b"\xff\xfe\xfa" * 50 + b"abc", "无法按 utf-16 解码"),
    ],
    ids=["binary", "no-items", "bad-encoding"],
)
def test_a_file_the_parser_refuses_is_staged_as_failed_with_its_reason(editor, data, message):
    stage = uploaded(editor, data, name="policy.txt")

    assert stage.status == StagedImport.Status.FAILED and message in stage.error and stage.parsed == {}
    page = editor.get(stage_page(stage)).content.decode()
    assert message in page and "确认导入" not in page
    assert not Document.objects.exists()


def test_a_parse_over_the_time_limit_is_stopped(editor, settings):
    settings.IMPORT_PARSE_SECONDS = 0.001
    long_text = policy([(str(n), f"第{n}项措施。支持企业发展，给予资金支持。（市商务局负责）") for n in range(1, 3000)])

    stage = uploaded(editor, long_text)

    assert stage.status == StagedImport.Status.FAILED
    assert stage.error.startswith("解析超过 0.001 秒仍未完成，已停止")
    assert "解析超过 0.001 秒仍未完成" in editor.get(stage_page(stage)).content.decode()
    assert not Document.objects.exists()


def test_the_parser_process_is_replaced_after_a_timeout():
    with ParserProcess(0.001) as parser:
        with pytest.raises(ParseTimeout):
            parser.parse(policy(), filename="a.txt")
        parser.seconds = 60
        assert len(parser.parse(policy(), filename="a.txt").measures) == 5


def test_several_files_are_listed_together(editor):
    response = upload(editor, ("a.txt", policy()), ("b.txt", b"\x00\x01\x02" * 50))

    stages = list(StagedImport.objects.order_by("pk"))
    assert [s.status for s in stages] == ["pending", "failed"]
    assert response["Location"] == (
        f"{reverse('admin:documents_stagedimport_changelist')}?id__in={stages[0].pk},{stages[1].pk}"
    )
    assert messages_of(response) == ["已上传 2 个文件：1 个待确认，1 个无法导入。"]
    listing = editor.get(response["Location"])
    assert list(listing.context["cl"].result_list) == stages[::-1]


# --- deciding once -------------------------------------------------------------------------------


def test_a_second_confirm_does_nothing(editor):
    stage = uploaded(editor)
    decide(editor, stage)
    stage.refresh_from_db()
    before = (Measure.objects.count(), Document.history.count(), Measure.history.count(), stage.decided_at)

    response = editor.post(stage_page(stage), {"action": "confirm"})

    assert response["Location"] == stage_page(stage)
    assert messages_of(response)[-1] == "“haiwaicang.txt”已处理（已导入），未作改动。"
    stage.refresh_from_db()
    assert (Measure.objects.count(), Document.history.count(), Measure.history.count(), stage.decided_at) == before
    assert staged_import_confirm(stage_id=stage.pk, user=stage.decided_by, corrections={}) is None


def test_discard_writes_no_document_and_the_stage_becomes_read_only(editor):
    stage = uploaded(editor)

    response = decide(editor, stage, "discard")

    assert messages_of(response) == ["已放弃“haiwaicang.txt”，未导入任何内容。"]
    stage.refresh_from_db()
    assert stage.status == StagedImport.Status.DISCARDED and stage.decided_by.username == "editor"
    assert not Document.objects.exists()
    page = editor.get(stage_page(stage))
    assert "确认导入" not in page.content.decode() and all(field.field.disabled for field in page.context["form"])
    decide(editor, stage)
    assert not Document.objects.exists()


# --- permissions ---------------------------------------------------------------------------------


def test_without_the_add_permission_upload_and_decisions_are_forbidden(clerk):
    stage = StagedImport.objects.create(file_name="a.txt", file_size=1, content_hash="0" * 64, parsed={})

    assert clerk.get(UPLOAD_URL).status_code == 403
    assert upload(clerk, ("a.txt", policy())).status_code == 403
    assert clerk.post(stage_page(stage), {"action": "discard"}).status_code == 403
    assert "上传文件" not in clerk.get(reverse("admin:documents_document_changelist")).content.decode()
    stage.refresh_from_db()
    assert stage.status == StagedImport.Status.PENDING and StagedImport.objects.count() == 1


# --- the rules the form applies ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("深圳市", True),
        ("全国", True),
        ("南山区", True),
        ("延边朝鲜族自治州", True),
        ("新疆维吾尔自治区", True),
        ("深圳", False),
        ("本市", False),
        ("全省", False),
        ("Shenzhen", False),
        ("", False),
    ],
)
def test_region_choice_ok(name, ok):
    assert region_choice_ok(name) is ok


@pytest.mark.parametrize(
    ("typed", "names"),
    [("深圳市财政局、深圳海关", ("深圳市财政局", "深圳海关")), (" a，b, a ;c ", ("a", "b", "c")), ("", ())],
)
def test_split_names(typed, names):
    assert split_names(typed) == names


def test_the_preview_names_departments_never_seen_before(editor):
    from documents.models import Organization, Region

    Organization.objects.create(name="深圳市财政局", region=Region.objects.create(name="深圳市", level="city"))
    stage = uploaded(editor, policy())
    response = editor.get(stage_page(stage))
    new = response.context["preview"].new_departments
    assert "深圳市财政局" not in new
    assert "深圳市商务局" in new  # 市商务局 written in a Shenzhen document, spelled out
    assert "首次出现的部门" in response.content.decode()
