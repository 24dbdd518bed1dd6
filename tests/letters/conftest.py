"""One renderer for the session (as one warm letter worker), and each content rendered
once however many tests read it."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pypdf
import pytest

from adapters.letters.renderer import WeasyPrintRenderer
from domain.letters.content import LetterContent
from domain.ports.letters import RenderedLetter


@pytest.fixture(scope="session")
def renderer() -> WeasyPrintRenderer:
    return WeasyPrintRenderer()


@pytest.fixture(scope="session")
def render(renderer: WeasyPrintRenderer) -> Callable[[LetterContent], RenderedLetter]:
    done: dict[LetterContent, RenderedLetter] = {}

    def render_(content: LetterContent) -> RenderedLetter:
        if content not in done:
            done[content] = renderer.render(content)
        return done[content]
    return render_


def pdf_text(pdf: bytes) -> str:
    """The text a reader sees, lines joined: a phrase the layout wrapped is found whole.
    Narrow no-break spaces (French money) are kept, no-break ones read as spaces; a line
    broken after a hyphen is joined without a space."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"-\n", "-", text).replace("\u00a0", " ")
    return re.sub(r"[ \n]+", " ", text)


@pytest.fixture(scope="session")
def text_of(render: Callable[[LetterContent], RenderedLetter]) -> Callable[[LetterContent], str]:
    return lambda content: pdf_text(render(content).pdf)
