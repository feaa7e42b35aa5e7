"""A short summary of a User-Agent header for the audit page: "Chrome 120 · Windows", "微信 8 · Android",
"curl 8.5". The full header stays on the entry (shown on hover, and in the export)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

# (pattern, name): the first that matches names the browser; the order matters (Edge and Opera also say
# Chrome, Chrome also says Safari, WeChat says all of them)
_BROWSERS = [
    (r"MicroMessenger/([\d.]+)", _("微信")),
    (r"DingTalk/([\d.]+)", _("钉钉")),
    (r"Edg[A-Z]?/([\d.]+)", "Edge"),
    (r"OPR/([\d.]+)", "Opera"),
    (r"(?:Firefox|FxiOS)/([\d.]+)", "Firefox"),
    (r"(?:Chrome|CriOS)/([\d.]+)", "Chrome"),
    (r"Version/([\d.]+).*Safari/", "Safari"),
    (r"curl/([\d.]+)", "curl"),
    (r"python-requests/([\d.]+)", "python-requests"),
    (r"python-httpx/([\d.]+)", "httpx"),
]
_SYSTEMS = [
    (r"HarmonyOS", "HarmonyOS"),
    (r"Android", "Android"),
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
]


def summary(user_agent: str) -> str:
    """The browser (with its major version) and the system, or "" for an empty header; an unknown one is
    cut to its first word."""
    user_agent = (user_agent or "").strip()
    if not user_agent:
        return ""
    browser = ""
    for pattern, name in _BROWSERS:
        found = re.search(pattern, user_agent)
        if found:
            browser = f"{name} {found[1].split('.')[0]}"
            break
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), "")
    parts = [part for part in (browser, system) if part]
    if not parts:
        return user_agent.split()[0][:40]
    return " · ".join(parts)
