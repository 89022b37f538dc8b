"""What a newcomer trips over on the pages (issue 16): the A-Z bar, the examples, acronyms
that repeat the label, the header search box, the label table and the embed code boxes."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

HTML = {"Accept": "text/html"}
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letter_bar(page: str) -> str:
    return page.split('<ul class="letters', 1)[1].split("</ul>", 1)[0]


@pytest.mark.parametrize("path", ["/", "/a-z"])
def test_the_letter_bar_shows_every_letter(client: TestClient, path: str) -> None:
    bar = letter_bar(client.get(path, headers=HTML).text)
    shown = re.findall(r">([A-Z]|0–9)</a>", bar)
    assert shown[:27] == ["0–9", *ALPHABET]


@pytest.mark.parametrize("path", ["/", "/a-z"])
def test_letters_with_no_term_are_shown_disabled(client: TestClient, path: str) -> None:
    bar = letter_bar(client.get(path, headers=HTML).text)
    disabled = re.findall(r'aria-disabled="true"[^>]*>([A-Z])</a>', bar)
    assert disabled  # the shipped vocabulary has no term under some letters (X, ...)
    for letter in disabled:
        assert f'href="/a-z#letter-{letter}"' not in bar and f'href="#letter-{letter}"' not in bar


def test_the_home_examples_say_what_each_shows(client: TestClient) -> None:
    home = client.get("/", headers=HTML).text
    examples = home.split('<p class="examples">', 1)[1].split("</p>", 1)[0]
    assert ">reccal<" not in examples  # read as our own typo
    links = re.findall(
        r'<a href="/search\?q=[^"]+">([^<]+)</a> <span class="example-what">', examples
    )
    assert len(links) >= 4
    assert "a misspelling" in examples


@pytest.mark.parametrize("path", ["/a-z", "/search?q=510k", "/embed/t0070"])
def test_an_acronym_is_not_repeated_beside_a_label_that_holds_it(
    client: TestClient, path: str
) -> None:
    page = client.get(path, headers=HTML).text
    assert "510(k) clearance</a>" in page
    repeated = r"510\(k\) clearance</a>(?:</dfn>)?\s*(?:<span[^>]*>)?\s*\((?:<abbr[^>]*>)?510\(k\)"
    assert re.search(repeated, page) is None


def test_the_header_search_box_has_a_placeholder_and_an_accessible_name(
    client: TestClient,
) -> None:
    page = client.get("/about", headers=HTML).text
    box = re.search(r'<input id="q"[^>]*>', page, flags=re.S)
    assert box is not None
    assert 'placeholder="Search terms and acronyms"' in box.group()
    assert 'aria-label="Search terms and acronyms"' in box.group()


def test_every_label_cell_names_its_column_for_small_screens(client: TestClient) -> None:
    page = client.get("/terms/t0133", headers=HTML).text
    table = page.split('<table class="stack">', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td[^>]*>", table)
    assert cells and all("data-label=" in cell for cell in cells)


@pytest.mark.parametrize("box", ["embed-code", "tooltip-code"])
def test_embed_code_boxes_have_room_for_their_code(client: TestClient, box: str) -> None:
    page = client.get("/terms/t0019", headers=HTML).text
    match = re.search(rf'<textarea id="{box}"[^>]*rows="(\d+)">([^<]*)</textarea>', page)
    assert match is not None
    assert int(match.group(1)) * 28 >= len(html.unescape(match.group(2)))
