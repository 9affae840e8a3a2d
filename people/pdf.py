"""The one place that turns HTML into a PDF (WeasyPrint). Printing and the subject-access export
call `render`, so a test can replace it and read exactly the HTML that would be printed."""

from pathlib import Path
from typing import Any, cast

# The print style sheet, given to WeasyPrint as a file: the PDF's HTML links nothing.
PRINT_CSS = Path(__file__).resolve().parent / "static" / "people" / "print.css"


def _refuse_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, Any]:
    """The HTML holds users' text; never let it make the server fetch a URL or read a file."""
    raise ValueError(f"PDF rendering fetches nothing: {url[:80]}")


def layout(html: str) -> Any:
    """The laid-out document (weasyprint.Document): its pages, for render() and for tests."""
    import weasyprint  # slow to import; only pages that print need it

    document = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch)
    return document.render(stylesheets=[weasyprint.CSS(filename=str(PRINT_CSS))])


def render(html: str) -> bytes:
    """An A4 PDF of the HTML, styled by the print style sheet."""
    return cast(bytes, layout(html).write_pdf())  # to no target, write_pdf answers the bytes
