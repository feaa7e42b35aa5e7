"""`manage.py create_operator USERNAME --area CODE`: the one step of a first deployment that needs the shell:
the operator, a system admin on a root area (a city loaded with `import_areas`). Everything after it is
done on the web (docs/operations.md): the operator creates further cities and the first officials' accounts.
The password is asked for twice (or read from GRASSROOTS_OPERATOR_PASSWORD for scripts); an existing user
keeps theirs and only gets the grant."""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area

PASSWORD_VARIABLE = "GRASSROOTS_OPERATOR_PASSWORD"


class Command(BaseCommand):
    help = "Create the operator: a user with the system admin role on a root area (a city)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--area", help="the root area's division code (default: the only root area)")
        parser.add_argument("--full-name", default="", help="the operator's name")

    def handle(self, *args, username, area, full_name, **options):
        root = self._root(area)
        user = User.objects.filter(username=username).first()
        with transaction.atomic():
            if user is None:
                user = User(username=username, full_name=full_name)
                password = self._password(user)
                user.set_password(password)
                user.save()
                self.stdout.write(f"created user {username}")
            _grant, created = RoleGrant.objects.get_or_create(user=user, role=Role.SYSTEM_ADMIN, area=root)
        state = "now holds" if created else "already held"
        where = f"{root.name} ({root.code or root.path})"
        self.stdout.write(f"{username} {state} the system admin role on {where}")

    def _root(self, code: str | None) -> Area:
        roots = Area.objects.filter(depth=1, retired=False)
        if code:
            root = roots.filter(code=code).first()
            if root is None:
                raise CommandError(f"no root area (city) has the code {code}: load it with import_areas")
            return root
        found = list(roots[:2])
        if len(found) != 1:
            message = "give the root area's code with --area" if found else "no root area: run import_areas"
            raise CommandError(message)
        return found[0]

    def _password(self, user: User) -> str:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("the two passwords differ")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        return password
