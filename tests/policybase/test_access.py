"""Roles, the site-wide login requirement, login lockout (django-axes) and API throttling."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from policybase.access import client_ip
from policybase.roles import ADMINISTRATOR, EDITOR, EDITOR_ACTIONS, ROLES, VIEWER, role_assign, roles_setup
from tests.pages.factories import make_document

pytestmark = pytest.mark.django_db


def _user(django_user_model, role=None, name="someone"):
    user = django_user_model.objects.create_user(name, password="correct-horse-9")
    if role is not None:
        role_assign(user=user, role=role)
    return django_user_model.objects.get(pk=user.pk)  # fresh: permissions are cached on the instance


# --- roles ---------------------------------------------------------------------------------------------


def test_a_fresh_database_has_the_role_groups():
    # The test database was just migrated: post_migrate created them.
    groups = {group.name: group for group in Group.objects.filter(name__in=[role.name for role in ROLES])}
    assert set(groups) == {"查看者", "编辑者", "管理员"}
    assert groups["管理员"].permissions.count() == Permission.objects.count()


def test_every_permission_the_editor_role_names_exists():
    codenames = set(Permission.objects.values_list("content_type__app_label", "content_type__model", "codename"))
    for label, actions in EDITOR_ACTIONS.items():
        app_label, model = label.split(".")
        for action in actions:
            assert (app_label, model, f"{action}_{model}") in codenames


def test_a_viewer_sees_everything_and_changes_nothing(django_user_model):
    viewer = _user(django_user_model, VIEWER)
    assert viewer.is_staff
    assert viewer.has_perm("documents.view_document") and viewer.has_perm("measures.view_measure")
    assert viewer.has_perm("measures.view_historicalmeasure") and viewer.has_perm("documents.view_stagedimport")
    assert not viewer.has_perm("documents.change_document") and not viewer.has_perm("measures.add_theme")
    assert not viewer.has_perm("auth.view_user")


def test_an_editor_edits_content_but_deletes_no_record_and_no_user(django_user_model):
    editor = _user(django_user_model, EDITOR)
    for permission in (
        "documents.add_document",
        "documents.change_document",
        "documents.change_stagedimport",
        "documents.change_organization",
        "measures.change_measure",
        "measures.add_theme",
        "measures.delete_measuretheme",  # removing a theme from a measure
        "measures.delete_measuredepartment",
    ):
        assert editor.has_perm(permission), permission
    for permission in (
        "documents.delete_document",
        "measures.delete_measure",
        "measures.delete_theme",
        "documents.delete_organization",
        "documents.change_region",
        "measures.change_synonym",
        "auth.delete_user",
        "auth.change_user",
        "auth.change_group",
    ):
        assert not editor.has_perm(permission), permission


def test_an_administrator_may_do_everything(django_user_model):
    administrator = _user(django_user_model, ADMINISTRATOR)
    assert not administrator.is_superuser
    assert administrator.has_perm("auth.delete_user") and administrator.has_perm("documents.delete_document")
    assert administrator.has_perm("axes.delete_accessattempt")  # unlocking a locked-out account


def test_the_admin_follows_the_roles(client, django_user_model):
    document = make_document()
    viewer = _user(django_user_model, VIEWER, "viewer")
    editor = _user(django_user_model, EDITOR, "editor")
    administrator = _user(django_user_model, ADMINISTRATOR, "administrator")
    change = f"/admin/documents/document/{document.pk}/change/"
    delete = f"/admin/documents/document/{document.pk}/delete/"
    client.force_login(viewer)
    assert client.get(change).status_code == 200
    assert client.post(change, {}).status_code == 403
    client.force_login(editor)
    assert client.get(delete).status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    client.force_login(administrator)
    assert client.get(delete).status_code == 200
    assert client.get("/admin/auth/user/").status_code == 200


def test_setup_is_idempotent_keeps_manual_additions_and_reset_removes_them():
    editor_group = Group.objects.get(name=EDITOR.name)
    extra = Permission.objects.get(codename="delete_document")
    editor_group.permissions.add(extra)
    before = set(editor_group.permissions.values_list("pk", flat=True))
    outcomes = roles_setup()
    assert [(o.created, o.added, o.removed) for o in outcomes] == [(False, 0, 0)] * 3
    assert set(editor_group.permissions.values_list("pk", flat=True)) == before
    outcomes = roles_setup(reset=True)
    assert [o.removed for o in outcomes] == [0, 1, 0]
    assert not editor_group.permissions.filter(pk=extra.pk).exists()


def test_setup_recreates_a_deleted_group():
    Group.objects.filter(name=VIEWER.name).delete()
    outcomes = roles_setup()
    assert outcomes[0].created and outcomes[0].added > 0


def test_the_command_sets_up_and_assigns(django_user_model, capsys):
    user = django_user_model.objects.create_user("王芳", password="x")
    call_command("setup_roles", "--user", "王芳", "--role", "editor")
    out = capsys.readouterr().out
    assert "编辑者（editor，已有）" in out and "用户“王芳”现为编辑者" in out
    user.refresh_from_db()
    assert user.is_staff and list(user.groups.values_list("name", flat=True)) == ["编辑者"]
    call_command("setup_roles", "--user", "王芳", "--role", "viewer")  # one role at a time
    assert list(user.groups.values_list("name", flat=True)) == ["查看者"]
    with pytest.raises(CommandError, match="没有用户“李雷”"):
        call_command("setup_roles", "--user", "李雷", "--role", "viewer")
    with pytest.raises(CommandError, match="需要同时给出"):
        call_command("setup_roles", "--user", "王芳")


# --- login required ------------------------------------------------------------------------------------


@pytest.fixture
def login_required(settings):
    settings.POLICYBASE_LOGIN_REQUIRED = True


def test_off_by_default_pages_and_api_are_open(client):
    assert client.get("/").status_code == 200
    assert client.get("/api/documents/").status_code == 200


def test_when_required_pages_send_to_the_login_page(client, login_required):
    response = client.get("/measures/", {"q": "人才"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/measures/%3Fq%3D%25E4%25BA%25BA%25E6%2589%258D"
    assert client.get("/documents/").status_code == 302
    login = client.get("/accounts/login/")
    assert login.status_code == 200 and "<h1>登录</h1>" in login.content.decode()


def test_when_required_the_api_answers_403_json(client, login_required):
    response = client.get("/api/measures/")
    assert response.status_code == 403 and "detail" in response.json()


def test_when_required_admin_health_and_static_stay_as_they_were(client, login_required):
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/static/css/site.css").status_code == 200


def test_when_required_a_signed_in_user_sees_pages_and_api(client, login_required, django_user_model):
    client.force_login(_user(django_user_model))
    assert client.get("/").status_code == 200
    assert client.get("/api/documents/").status_code == 200


def test_signing_in_on_the_login_page(client, login_required, django_user_model):
    _user(django_user_model, name="reader")
    response = client.post(
        "/accounts/login/?next=/themes/", {"username": "reader", "password": "correct-horse-9", "next": "/themes/"}
    )
    assert response.status_code == 302 and response["Location"] == "/themes/"
    assert client.get("/themes/").status_code == 200


# --- login lockout -------------------------------------------------------------------------------------


def _attempt(client, password, path="/accounts/login/"):
    return client.post(path, {"username": "reader", "password": password})


def test_repeated_failures_lock_the_login_for_the_cool_off(client, django_user_model, settings):
    _user(django_user_model, name="reader")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "wrong").status_code == 200  # the form again, with its error
    locked = _attempt(client, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "连续 5 次登录失败，登录已暂时锁定，请 15 分钟后再试。" in page and "<h1>登录已暂时锁定</h1>" in page
    assert _attempt(client, "correct-horse-9").status_code == 429  # the right password does not help now
    assert _attempt(client, "correct-horse-9", "/admin/login/").status_code == 429  # nor the admin's page


def test_a_success_before_the_limit_starts_the_count_again(client, django_user_model, settings):
    _user(django_user_model, name="reader")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, "wrong")
    assert _attempt(client, "correct-horse-9").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "wrong").status_code == 200


def test_the_lockout_counts_the_address_the_proxy_saw(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.POLICYBASE_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.POLICYBASE_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # not the 6.6.6.6 the client wrote itself
    settings.POLICYBASE_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.1.1.1")) == "10.1.1.1"


# --- API throttling ------------------------------------------------------------------------------------


@pytest.fixture
def api_rates(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    yield
    cache.clear()


def test_anonymous_callers_are_throttled_with_a_chinese_message(client, api_rates):
    assert [client.get("/api/documents/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/documents/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("请求过于频繁，请在 ") and response.json()["detail"].endswith(
        " 秒后重试。"
    )
    assert 0 < int(response["Retry-After"]) <= 60
    assert client.get("/measures/").status_code == 200  # pages are not the API's


def test_a_made_up_forwarded_for_does_not_escape_the_rate(client, api_rates):
    statuses = [client.get("/api/documents/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_signed_in_users_have_their_own_rate(client, api_rates, django_user_model):
    client.force_login(_user(django_user_model))
    assert [client.get("/api/documents/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_anonymous_callers_have_the_anonymous_rate_only(client, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "5/minute", "user": "1/minute"},
    }
    assert [client.get("/api/documents/").status_code for _ in range(6)] == [200] * 5 + [429]
    cache.clear()
