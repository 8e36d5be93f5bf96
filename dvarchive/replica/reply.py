"""What a route of the replica answers: :class:`Reply` (no sockets here, see ``server``)."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"


@dataclass
class Reply:
    """What to send. ``action`` 'drop' closes without a response; 'short' sends half the body
    under the full Content-Length, then closes."""

    status: int
    body: bytes = b""
    content_type: str | None = HTML
    headers: list[tuple[str, str]] = field(default_factory=list)
    action: str = "send"
    delay: float = 0.0
    stream: Callable[[], Iterator[bytes]] | None = None
    stream_length: int = 0

    @property
    def content_length(self) -> int:
        return self.stream_length if self.stream is not None else len(self.body)


def _json(status: int, payload: Any) -> Reply:
    return Reply(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), JSON)


def json_reply(status: int, payload: Any) -> Reply:
    return Reply(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), JSON)
