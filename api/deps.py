"""Dependencies that make route signatures read as sentences."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from api.state import Serving
from vocab.normalize import MAX_QUERY_LENGTH
from vocab.vocabulary import Vocabulary


async def get_serving(request: Request) -> Serving:
    serving: Serving = request.app.state.serving
    return serving


async def get_vocabulary(request: Request) -> Vocabulary:
    """The release being served, read once per request (see `api.state`)."""
    serving: Serving = request.app.state.serving
    return serving.vocabulary


async def get_base(request: Request) -> str:
    serving: Serving = request.app.state.serving
    return serving.base


ServingDep = Annotated[Serving, Depends(get_serving)]
VocabularyDep = Annotated[Vocabulary, Depends(get_vocabulary)]
BaseDep = Annotated[str, Depends(get_base)]
QueryText = Annotated[
    str, Query(min_length=1, max_length=MAX_QUERY_LENGTH, description="The text to search for.")
]
Limit = Annotated[int, Query(ge=1, le=100, description="How many results (1-100).")]
Community = Literal["industry", "clinical", "regulatory", "academic", "patient"]
