"""``resoto_hookspecs.errors.error_line`` and ``http_error_line``: one bounded line for any error text."""

from __future__ import annotations

import pytest
from resoto_hookspecs.errors import LINE_LIMIT, error_line, html_title, http_error_line

WERKZEUG_404 = """<!doctype html>
<html lang=en>
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>
"""
NGINX_502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"


def test_an_html_page_after_a_message_becomes_its_title() -> None:
    text = f"An error occurred (404) when calling the ListWorkGroups operation: {WERKZEUG_404}"
    assert error_line(text) == (
        "An error occurred (404) when calling the ListWorkGroups operation: 404 Not Found (an HTML page)"
    )


@pytest.mark.parametrize(
    ("page", "title"),
    [
        (WERKZEUG_404, "404 Not Found"),
        (NGINX_502, "502 Bad Gateway"),
        ("<html><body><h1>Service <b>Unavailable</b></h1></body></html>", "Service Unavailable"),
        ("<HTML><TITLE>Access &amp; Denied</TITLE></HTML>", "Access & Denied"),
        ("<html><body>no title at all</body></html>", None),
    ],
)
def test_the_title_of_a_page(page: str, title: str | None) -> None:
    assert html_title(page) == title
    assert error_line(page) == (f"{title} (an HTML page)" if title else "an HTML page")


def test_http_error_line_names_status_code_and_message() -> None:
    assert http_error_line(400, "ValidationException", "1 validation error\ndetected") == (
        "HTTP 400 ValidationException: 1 validation error detected"
    )
    assert http_error_line(404, "404", WERKZEUG_404.encode()) == "HTTP 404: 404 Not Found (an HTML page)"
    assert http_error_line(None, None, None) == "no error message"
    assert http_error_line(503, None, "") == "HTTP 503"


def test_long_text_is_cut_at_a_word_and_marked() -> None:
    text = "word " * 200
    line = error_line(text)
    assert len(line) <= LINE_LIMIT
    assert line.endswith("word…")
    assert "\n" not in error_line("a\nb\r\nc\td") and error_line("a\nb\r\nc\td") == "a b c d"


def test_plain_comparisons_are_not_mistaken_for_html() -> None:
    assert error_line("size < 5 and <title is missing") == "size < 5 and <title is missing"
