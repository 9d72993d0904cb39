"""Create the role groups (查看者, 编辑者, 管理员) and give them their permissions; optionally assign a user."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from policybase.roles import ROLES, role_assign, role_by_key, roles_setup


class Command(BaseCommand):
    help = (
        "创建角色用户组（查看者、编辑者、管理员）并授予权限；可重复运行。"
        "每次 migrate 后也会自动补齐缺少的权限。各角色能做什么见 README。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="把每个用户组的权限恢复为定义中的权限（去掉手工添加的权限）；默认只补齐缺少的",
        )
        parser.add_argument("--user", default="", help="同时把此用户（用户名）设为 --role 指定的角色，并授予职员状态")
        parser.add_argument(
            "--role",
            default="",
            choices=["", *[role.key for role in ROLES]],
            help="与 --user 一起使用：viewer=查看者，editor=编辑者，administrator=管理员",
        )

    def handle(self, *args, reset=False, user="", role="", **options):
        if bool(user) != bool(role):
            raise CommandError("--user 与 --role 需要同时给出，如 --user 王芳 --role editor")
        for outcome in roles_setup(reset=reset):
            state = "新建" if outcome.created else "已有"
            change = f"补齐 {outcome.added} 项权限" + (f"，去掉 {outcome.removed} 项" if outcome.removed else "")
            self.stdout.write(f"{outcome.role.name}（{outcome.role.key}，{state}）：{change}。{outcome.role.summary}")
        if user:
            try:
                account = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"--user：没有用户“{user}”（先用 createsuperuser 或在管理后台创建）") from exc
            chosen = role_by_key(role)
            role_assign(user=account, role=chosen)
            self.stdout.write(self.style.SUCCESS(f"用户“{user}”现为{chosen.name}，可登录管理后台。"))
