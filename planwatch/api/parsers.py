"""JSON parsing that answers a hostile body with a 400, never a server error."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """Python's json module recurses once per nested bracket: 100,000 of them raise a
    RecursionError, which is a malformed request, not a fault of the server."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON nested too deeply") from exc
