"""Three roles, shipped as groups: 查看者 (viewer), 编辑者 (editor), 管理员 (administrator).

- viewer: signs in to the admin and sees every document, measure, theme, organisation and staged
  import, with their history; changes nothing.
- editor: what a viewer sees, plus uploading and confirming imports, adding and correcting documents,
  measures, themes and organisations (merging them too), and adding or removing the rows inside them
  (a measure's themes and departments, aliases, citations, articles, chronicle entries). Deleting whole
  documents, measures, themes or organisations, regions and synonyms, and users are the administrator's.
- administrator: every permission, users and groups included.

The groups are created after every ``migrate`` (``PolicybaseConfig.ready`` connects ``post_migrate``), so
a fresh install has them; that only adds what is missing and never takes away a permission someone gave
a group by hand. ``manage.py setup_roles --reset`` sets each group to exactly what is listed here.
A user needs staff status to use the admin; ``setup_roles --user NAME --role editor`` gives both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q


@dataclass(frozen=True)
class Role:
    key: str
    name: str  # the group's name, as the admin shows it
    summary: str


VIEWER = Role("viewer", "查看者", "只读：可登录管理后台查看全部记录及其修改历史，不能修改")
EDITOR = Role("editor", "编辑者", "上传与确认导入，新增和修改文件、措施、主题、机构，不能删除整条记录或管理用户")
ADMINISTRATOR = Role("administrator", "管理员", "全部权限，包括删除记录、管理用户和用户组")
ROLES = (VIEWER, EDITOR, ADMINISTRATOR)

# Apps whose records the roles are about (their history models included).
CONTENT_APPS = ("documents", "measures")

# What an editor may do beyond viewing, per model. Rows edited inside another record's page can also be
# deleted: removing a theme from a measure is how an editor excludes it.
EDITOR_ACTIONS = {
    "documents.document": ("add", "change"),
    "documents.stagedimport": ("add", "change"),
    "documents.organization": ("add", "change"),
    "documents.organizationalias": ("add", "change", "delete"),
    "documents.citation": ("add", "change", "delete"),
    "documents.article": ("add", "change", "delete"),
    "documents.chronicleentry": ("add", "change", "delete"),
    "measures.measure": ("add", "change"),
    "measures.theme": ("add", "change"),
    "measures.measuretheme": ("add", "change", "delete"),
    "measures.measuredepartment": ("add", "change", "delete"),
}


@dataclass(frozen=True)
class RoleOutcome:
    role: Role
    created: bool
    added: int
    removed: int


def role_by_key(key: str) -> Role:
    for role in ROLES:
        if key in (role.key, role.name):
            return role
    raise KeyError(key)


def role_permissions(role: Role, *, using: str = DEFAULT_DB_ALIAS):
    """The permissions a role's group holds, as a queryset."""
    permissions = Permission.objects.using(using)
    if role is ADMINISTRATOR:
        return permissions.all()
    viewing = Q(content_type__app_label__in=CONTENT_APPS, codename__startswith="view_")
    if role is VIEWER:
        return permissions.filter(viewing)
    editing = Q()
    for label, actions in EDITOR_ACTIONS.items():
        app_label, model = label.split(".")
        codenames = [f"{action}_{model}" for action in actions]
        editing |= Q(content_type__app_label=app_label, content_type__model=model, codename__in=codenames)
    return permissions.filter(viewing | editing)


def roles_setup(*, reset: bool = False, using: str = DEFAULT_DB_ALIAS) -> list[RoleOutcome]:
    """Create the role groups and give them their permissions (idempotent).

    Without ``reset`` only missing permissions are added; with it, each group holds exactly its role's.
    """
    outcomes = []
    with transaction.atomic(using=using):
        for role in ROLES:
            group, created = Group.objects.using(using).get_or_create(name=role.name)
            wanted = set(role_permissions(role, using=using).values_list("pk", flat=True))
            held = set(group.permissions.values_list("pk", flat=True))
            missing = wanted - held
            extra = held - wanted if reset else set()
            if missing:
                group.permissions.add(*missing)
            if extra:
                group.permissions.remove(*extra)
            outcomes.append(RoleOutcome(role=role, created=created, added=len(missing), removed=len(extra)))
    return outcomes


def role_assign(*, user, role: Role) -> None:
    """Make ``user`` a member of ``role``'s group (and of no other role's) with staff status for the admin."""
    with transaction.atomic():
        groups = {group.name: group for group in Group.objects.filter(name__in=[r.name for r in ROLES])}
        if role.name not in groups:
            roles_setup()
            groups = {group.name: group for group in Group.objects.filter(name__in=[r.name for r in ROLES])}
        user.groups.remove(*[group for name, group in groups.items() if name != role.name])
        user.groups.add(groups[role.name])
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
