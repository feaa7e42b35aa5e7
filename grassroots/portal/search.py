"""Searches that never put an ID or phone number in a URL.

A URL is written to the web server's access log, the proxy's, the browser's history and the Referer header
of the next request; a search for `5118021980…` in `/members/?q=…` leaves the number in all of them. So the
search boxes of list pages post (POST), and the number travels in the request body only:

1. the form POSTs its fields; `stash_search(request)` keeps the private ones (`q`) in the session under a
   random short-lived token and answers with the list's URL carrying the other filters and `s=<token>`
   (a 303 redirect; for htmx an `HX-Redirect`): `/members/?branch=3&s=Zk3…`;
2. the list page reads its parameters with `search_params(request)`: the URL's, with the private fields
   restored from the session by `s`. Pagination links keep `s` (they copy the URL), so page 2 still searches
   for the number; the token is good for `TTL_SECONDS` and for the same session only;
3. a private field that arrives *in the URL* and holds a number (6 or more digits in a row) is ignored, so
   no link, bookmark or script can make such a URL useful.

The API follows the same rule without a session: a number in `?q=` is refused (400) and the lists that
search by number take it in the body of `POST …/search/` (grassroots/api/search.py, docs/api.md).
"""

from __future__ import annotations

import re
import secrets
import time

from django.http import HttpResponse, HttpResponseRedirect, QueryDict

SESSION_KEY = "grassroots_private_searches"
TTL_SECONDS = 30 * 60
MAX_KEPT = 20
PRIVATE_FIELDS = ("q",)
TOKEN_PARAM = "s"
_NUMBER = re.compile(r"\d{6,}")


def holds_number(value: str) -> bool:
    """Does `value` contain what may be (part of) an ID or phone number: 6 digits or more in a row?"""
    return bool(_NUMBER.search(str(value or "")))


def _kept(request) -> dict:
    now = time.time()
    kept = request.session.get(SESSION_KEY, {})
    return {token: entry for token, entry in kept.items() if now - entry.get("at", 0) < TTL_SECONDS}


def search_params(request, fields=PRIVATE_FIELDS) -> QueryDict:
    """The list page's parameters: the URL's (a number in a private field dropped), with the private fields
    restored from the session when `s=<token>` names a live search of this session."""
    params = request.GET.copy()
    for field in fields:
        if any(holds_number(v) for v in params.getlist(field)):
            params.pop(field)
    token = request.GET.get(TOKEN_PARAM)
    if token:
        entry = _kept(request).get(token)
        for field, value in (entry or {}).get("values", {}).items():
            params.setlist(field, [value])
    params.pop(TOKEN_PARAM, None)
    return params


def stash_search(request, fields=PRIVATE_FIELDS) -> str:
    """Keep the POSTed private fields in the session; the URL of the results (the other fields as they are,
    the private ones behind a token)."""
    data = request.POST.copy()
    for name in ("csrfmiddlewaretoken", "page", TOKEN_PARAM):
        data.pop(name, None)
    private = {}
    for field in fields:
        value = (data.get(field) or "").strip()
        data.pop(field, None)
        if value:
            private[field] = value
    if private:
        kept = _kept(request)
        token = secrets.token_urlsafe(12)
        kept[token] = {"values": private, "at": time.time()}
        newest = sorted(kept.items(), key=lambda item: item[1]["at"])[-MAX_KEPT:]
        request.session[SESSION_KEY] = dict(newest)
        data[TOKEN_PARAM] = token
    query = data.urlencode()
    return f"{request.path}?{query}" if query else request.path


def search_redirect(request, fields=PRIVATE_FIELDS):
    """The answer to a POSTed search: to the results' URL (htmx: a client-side redirect)."""
    url = stash_search(request, fields)
    if request.headers.get("HX-Request"):
        return HttpResponse(status=200, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url, status=303)
