"""Dependencies that make route signatures read as sentences."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from vocab.normalize import MAX_QUERY_LENGTH
from vocab.vocabulary import Vocabulary


async def get_vocabulary(request: Request) -> Vocabulary:
    vocabulary: Vocabulary = request.app.state.vocabulary
    return vocabulary


async def get_base(request: Request) -> str:
    base: str = request.app.state.base
    return base


VocabularyDep = Annotated[Vocabulary, Depends(get_vocabulary)]
BaseDep = Annotated[str, Depends(get_base)]
QueryText = Annotated[
    str, Query(min_length=1, max_length=MAX_QUERY_LENGTH, description="The text to search for.")
]
Limit = Annotated[int, Query(ge=1, le=100, description="How many results (1-100).")]
Community = Literal["industry", "clinical", "regulatory", "academic", "patient"]
