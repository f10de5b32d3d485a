"""The answering page's form as a browser holds it: read from the HTML, changed, sent back."""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode


class AnswerFormParser(HTMLParser):
    """The fields of ``<form id="answer-form">`` as a browser would send them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self.csrf_token = ""
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == "answer-form":
            self.in_form = True
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            self.csrf_token = self.csrf_token or attributes.get("value", "")
        if not self.in_form or "disabled" in attributes:
            return
        if tag == "input" and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attributes:
                return
            if kind in ("submit", "button"):
                return
            self.fields.append((attributes["name"], attributes.get("value") or ""))
        elif tag == "textarea" and attributes.get("name"):
            self._textarea, self._text = attributes["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # A newline right after <textarea> is not part of the value (HTML parsing rule).
            self.fields.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self.in_form:
            self.in_form = False


@dataclass
class AnswerPage:
    """One dimension's answering form as the browser holds it."""

    path: str
    fields: list[tuple[str, str]]

    @property
    def indicators(self) -> list[str]:
        return [
            name.removesuffix("-revision") for name, _ in self.fields if name.endswith("-revision")
        ]

    def value(self, name: str) -> str | None:
        return next((v for n, v in self.fields if n == name), None)

    def set(self, name: str, value: str) -> None:
        """Replace (or add) a single-valued field, keeping the order of the form."""
        for position, (existing, _old) in enumerate(self.fields):
            if existing == name:
                self.fields[position] = (name, value)
                return
        self.fields.append((name, value))

    def apply_revisions(self, revisions: dict[str, int]) -> None:
        for code, revision in revisions.items():
            self.set(f"{code}-revision", str(revision))

    def body(self, **extra: str) -> str:
        return urlencode(self.fields + list(extra.items()))


def parse_answer_page(path: str, html: str) -> AnswerPage | None:
    parser = AnswerFormParser()
    parser.feed(html)
    if not any(name.endswith("-revision") for name, _ in parser.fields):
        return None
    return AnswerPage(path=path, fields=parser.fields)


def csrf_token(html: str) -> str:
    parser = AnswerFormParser()
    parser.feed(html)
    return parser.csrf_token
