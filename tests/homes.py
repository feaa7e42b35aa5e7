"""The home page as the browser shows it (portal/homes.py): the page, then each lazy block's placeholder
(portal/_home_block.html) replaced by what the block's own request answers, as htmx does once the page is
shown. Tests of what a home shows open it with `open_home(client)`; `response.blocks` is then the blocks
shown, in order, each with its data (those that had nothing to show left out)."""

from __future__ import annotations

import re

from grassroots.portal.homes import ShownBlock

PLACEHOLDER = re.compile(
    r'<div class="gr-lazy-block[^"]*" data-lazy-block="(?P<name>[\w-]+)" hx-get="(?P<url>[^"]+)"[^>]*>'
    r".*?</noscript>\s*</div>",
    re.DOTALL,
)


def open_home(client, path: str = "/", data=None, **extra):
    response = client.get(path, data, **extra)
    if response.status_code != 200 or response.context is None or "blocks" not in response.context:
        return response
    found = {}

    def load(match: re.Match) -> str:
        fragment = client.get(match["url"], headers={"HX-Request": "true"})
        assert fragment.status_code == 200, f"{match['name']}: {fragment.status_code}"
        if fragment.context is not None and "data" in fragment.context:
            found[match["name"]] = fragment.context["data"]
        return fragment.content.decode()

    response.content = PLACEHOLDER.sub(load, response.content.decode()).encode()
    response.blocks = [
        ShownBlock(shown.block, found[shown.name]) if shown.lazy else shown
        for shown in response.context["blocks"]
        if not shown.lazy or shown.name in found
    ]
    return response


def block(response, name: str):
    """The data of the block `name` of a home opened with `open_home`, None when it is not shown."""
    return next((b.data for b in response.blocks if b.name == name), None)
