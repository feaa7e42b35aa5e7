"""CI's production check: against a running server (gunicorn, DEBUG off), sign in as an official through the
password and two-factor steps, agree to the privacy notice (asked of every account an official made), fetch
the home page and a static file it links to. Run by .ci/run:

    python scripts/production_check.py http://127.0.0.1:PORT

with the same environment as the server. It creates its own account (a city official on a root area of its
own, with a confirmed TOTP device whose secret it knows) through the ORM, and deletes it afterwards. Only the
standard library speaks HTTP: cookies are kept by hand, because the session cookie is `Secure` and the check
talks plain HTTP to the loopback port, telling Django the request came over TLS (X-Forwarded-Proto)."""

import hashlib
import hmac
import os
import re
import secrets
import struct
import sys
import time
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")

USERNAME = "ci-production-check"
AREA_CODE = "999999"


def totp(key: bytes, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def create_account() -> tuple[str, bytes]:
    import django

    django.setup()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from grassroots.accounts.models import RoleGrant, User
    from grassroots.accounts.roles import Role
    from grassroots.areas.models import Area, Level

    delete_account()
    password = secrets.token_urlsafe(24)
    key = secrets.token_bytes(20)
    area = Area.objects.add_root({"name": "生产检查市", "level": Level.CITY, "code": AREA_CODE})
    user = User.objects.create_user(USERNAME, password=password, full_name="生产检查")
    RoleGrant.objects.create(user=user, role=Role.CITY_OFFICIAL, area=area)
    TOTPDevice.objects.create(user=user, name="authenticator", key=key.hex(), confirmed=True)
    return password, key


def delete_account() -> None:
    from grassroots.accounts.models import User
    from grassroots.areas.models import Area

    User.objects.filter(username=USERNAME).delete()  # grants and devices go with it (CASCADE)
    Area.objects.filter(code=AREA_CODE).delete()


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.host = urlsplit(base).netloc
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        req = urllib.request.Request(urljoin(self.base, path), data=body, headers=headers)
        try:
            response = self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), response.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf_token(page: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise SystemExit("no CSRF token on the page")
    return match.group(1).decode()


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit("production check failed: " + message)
    print("ok:", message)


def check(base: str, password: str, key: bytes) -> None:
    browser = Browser(base)
    status, _headers, page = browser.request("/accounts/login/")
    expect(status == 200, f"the login page answers 200 (got {status})")
    form = {"username": USERNAME, "password": password, "csrfmiddlewaretoken": csrf_token(page)}
    status, headers, _body = browser.request("/accounts/login/", form)
    expect(status == 302, f"the password is accepted (302, got {status})")
    status, _headers, page = browser.request(headers["Location"])
    if status == 302:  # the home page sends an official who owes a code to the two-factor page
        status, _headers, page = browser.request(_headers["Location"])
    expect(status == 200 and b'name="token"' in page, f"the two-factor page asks for a code ({status})")
    form = {"token": totp(key), "csrfmiddlewaretoken": csrf_token(page)}
    status, headers, _body = browser.request("/accounts/two-factor/", form)
    expect(status == 302, f"the one-time code is accepted (302, got {status})")
    status, headers, page = browser.request("/")
    expect(
        status == 302 and "/privacy/consent/" in headers.get("Location", ""),
        f"an account made by an official is first asked to agree to the privacy notice ({status})",
    )
    status, _headers, page = browser.request(headers["Location"])
    version = re.search(rb'name="version" value="([^"]+)"', page)
    expect(status == 200 and version is not None, f"the consent page shows the notice's version ({status})")
    form = {
        "version": version.group(1).decode(),
        "agree": "on",
        "next": "/",
        "csrfmiddlewaretoken": csrf_token(page),
    }
    status, headers, _body = browser.request("/privacy/consent/", form)
    expect(status == 302, f"the agreement is accepted (302, got {status})")
    status, _headers, page = browser.request("/")
    expect(status == 200, f"the home page answers 200 (got {status})")
    expect("生产检查市".encode() in page, "the home page shows the official's area")
    static = re.search(rb'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', page)
    expect(static is not None, "the page links a hashed static file (manifest storage)")
    status, headers, body = browser.request(static.group(1).decode())
    expect(status == 200 and len(body) > 10_000, f"the static file is served ({status}, {len(body)} bytes)")
    expect("max-age=315360000" in headers.get("Cache-Control", ""), "hashed static files are cached for ever")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    password, key = create_account()
    try:
        check(sys.argv[1].rstrip("/"), password, key)
    finally:
        delete_account()
    print("production check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
