"""The POST forms of an HTML page, read as a browser would submit them (for the load users)."""

from html.parser import HTMLParser


class Forms(HTMLParser):
    """The POST forms of a page: action, fields with their values (the checked radio, else the first; the selected option, else the first)."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self._in_post = False
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post = attrs.get("method", "").lower() == "post"
            if self._in_post:
                self.forms.append({"action": attrs.get("action", ""), "fields": {}})
            return
        if not self._in_post:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if attrs["name"] not in fields or "checked" in attrs:
                    fields[attrs["name"]] = attrs.get("value", "on")
            else:
                fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            fields.pop(self._select, None)
        elif tag == "option" and self._select:
            # What a browser sends: the selected option, else the first one (often an empty "choose").
            if self._select not in fields or "selected" in attrs:
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def find(self, action_part: str) -> dict | None:
        return next((form for form in self.forms if action_part in form["action"]), None)
