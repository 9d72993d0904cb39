"""No lost updates: two editors saving the same record; the second is refused with who changed what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from documents.ingest import parse_text
from documents.services import document_ingest
from measures.models import Measure

pytestmark = pytest.mark.django_db

TEXT = "深圳市商务局关于支持海外仓建设的若干措施\n（一）支持企业建设海外仓。给予资金支持。\n（二）加强人才培养。支持高校开设课程。\n深圳市商务局\n2023年5月6日"


@pytest.fixture
def measure():
    document = document_ingest(parsed=parse_text(TEXT), source_name="a.txt").document
    return document.measures.get(number="（一）")


def editor(django_user_model, name):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser(name, f"{name}@example.org", "pw"))
    return client


def _values(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    return data


def form_data(response) -> dict:
    """What the browser would post back for the admin change form in ``response``, unchanged."""
    data = _values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {
            f"{formset.prefix}-TOTAL_FORMS": len(formset.initial_forms),
            f"{formset.prefix}-INITIAL_FORMS": len(formset.initial_forms),
        }
        for form in formset.initial_forms:
            data |= _values(form)
    return data


def test_the_second_of_two_editors_is_refused_and_told_who_changed_what(measure, django_user_model):
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    first, second = editor(django_user_model, "张三"), editor(django_user_model, "李四")
    first_form = form_data(first.get(url))
    second_form = form_data(second.get(url))

    first_form["text"] = "对符合条件的企业给予资金支持（张三校对）。"
    assert first.post(url, first_form).status_code == 302
    second_form["text"] = "对符合条件的企业给予资金支持（李四校对）。"
    response = second.post(url, second_form)

    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert "保存失败" in page and "张三" in page and "正文" in page
    measure.refresh_from_db()
    assert measure.text == "对符合条件的企业给予资金支持（张三校对）。"
    assert measure.version == 2


def test_every_save_bumps_the_version_even_outside_the_admin(measure):
    assert measure.version == 1
    measure.title = "支持企业建设海外仓（修订）"
    measure.save()
    assert measure.version == 2
    assert Measure.objects.get(pk=measure.pk).version == 2


def test_control_characters_typed_or_pasted_are_stripped_on_save(measure):
    measure.title = "支持企业\x0b建设海外仓\x01"
    measure.text = "第一段\x0c第二段\x07。"
    measure.save()
    measure.refresh_from_db()
    assert (measure.title, measure.text) == ("支持企业\n建设海外仓", "第一段\n第二段。")
    assert measure.document.raw_text == TEXT  # the original stays as it came
