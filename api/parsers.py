"""The API's JSON parser: a body nested deeper than MAX_DEPTH is refused before json.loads, whose
recursion on 10,000 nested arrays ended in a RecursionError (a 500) and took the time first."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DrfJSONParser

MAX_DEPTH = 32  # a GeoJSON Feature with a MultiPolygon is 7 deep
STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
NOT_BRACKETS = re.compile(rb"[^\[\]{}]+")


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` (brackets inside strings do not count)."""
    depth = 0
    for byte in NOT_BRACKETS.sub(b"", STRINGS.sub(b"", body)):
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class JSONParser(DrfJSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        body = stream.read() if stream is not None else b""
        if json_depth_exceeds(body, MAX_DEPTH):
            raise ParseError(_("JSON вложен глубже {} уровней").format(MAX_DEPTH), code="json_too_deep")
        return super().parse(io.BytesIO(body), media_type, parser_context)
