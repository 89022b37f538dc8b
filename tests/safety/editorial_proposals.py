"""A proposal posted through the editorial API, for test_editorial_security.py and
test_editorial_rate_limits_and_csrf.py.
"""

from __future__ import annotations

from typing import Any

from tests.api.editorial.conftest import Desk


def propose(desk: Desk, who: str, **body: Any) -> Any:
    return desk.post("/editorial/proposals", who, {"reason": "r", "submit": True, **body})
