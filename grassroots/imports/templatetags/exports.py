"""`{% load exports %}{% export_button "kind" %}`: a list page's 导出 Excel button (imports/lists.py).

It posts the page's query string (its filters; the page number dropped) to `imports:list_export`, and is
shown only to whoever may export that list."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from grassroots.access.scoping import has_perm
from grassroots.imports.lists import list_export_for, params_of

register = template.Library()


@register.inclusion_tag("imports/_export_button.html", takes_context=True)
def export_button(context, kind: str, css: str = "btn btn-outline-secondary", **pinned):
    """`pinned` parameters (e.g. area=area.pk year=year) fix what the page took by default, so that the
    file holds the page's rows also when the default changes before the worker runs."""
    request = context.get("request")
    declared = list_export_for(kind)
    if request is None or declared is None or not has_perm(request.user, declared.permission):
        return {"show": False}
    params = params_of(request.GET)
    for key, value in pinned.items():
        if value not in (None, "") and key not in params:
            params[key] = [str(value)]
    query = urlencode(params, doseq=True)
    url = reverse("imports:list_export", args=[kind]) + (f"?{query}" if query else "")
    return {"show": True, "url": url, "kind": kind, "css": css, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("imports/_export_button.html", takes_context=True)
def export_page_button(context, url_name: str, permission: str, css: str = "btn btn-outline-secondary"):
    """The 导出 Excel button of a list whose export has a page of its own (the members': masked or unmasked,
    the import layout): the same button, a link to that page with the list's query string (its filters, a
    searched number behind its token; the page number dropped). Shown only with `permission`."""
    request = context.get("request")
    if request is None or not has_perm(request.user, permission):
        return {"show": False}
    query = urlencode(params_of(request.GET), doseq=True)
    url = reverse(url_name) + (f"?{query}" if query else "")
    return {"show": True, "link": True, "url": url, "kind": url_name, "css": css}
