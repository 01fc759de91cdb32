"""The page's forms as a browser would post them (enabled, named inputs only)."""

from html.parser import HTMLParser


class Forms(HTMLParser):
    """The page's forms as a browser would post them: enabled named inputs only."""

    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {
                "class": attrs.get("class", ""),
                "action": attrs.get("action"),
                "fields": {},
            }
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and "name" in attrs:
            if "disabled" not in attrs and attrs.get("type") != "file":
                self._current["fields"][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def entry_forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return [f for f in parser.forms if "entry-form" in f["class"]]
