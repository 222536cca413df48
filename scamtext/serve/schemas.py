"""The shapes of the service's requests and answers, and its documented limits.

These pydantic models are what ``/docs`` and ``/openapi.json`` show. Requests are
validated against them; answers are the library's own dicts
(:meth:`scamtext.model.prediction.Prediction.to_dict`,
:meth:`scamtext.model.explain.Explanation.to_dict`, the case store's records), and their
models are built from the library's dataclasses, so the two cannot drift apart.

Examples
--------
>>> ClassifyRequest.model_validate({"messages": [{"text": "明天见", "id": 7}]}).messages[0].id
7
>>> import re
>>> bool(re.match(LABEL_PATTERN, "etc_phishing")), bool(re.match(LABEL_PATTERN, "../x"))
(True, False)
"""

from __future__ import annotations

from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from .._validation import MAX_CHARS
from ..lifecycle.labels import LABEL_PATTERN
from ..model.explain import Explanation
from ..model.prediction import Prediction
from ..taxonomy import Advice

MAX_BODY_BYTES = 4 * 2**20
"""Largest request body (4 MiB); a larger one is answered 413."""

MAX_MESSAGES = 1000
"""Most messages in one ``/v1/classify`` request; more are answered 413."""

MAX_DEPTH = 32
"""Deepest nesting of arrays and objects in a request body (passed-through fields included)."""

MAX_TOP_K = 100
"""Most evidence spans ``/v1/explain`` returns."""

RESERVED_FIELDS = ("label", "is_scam", "score", "probabilities", "advice")
"""Fields of a classified message that scamtext writes; an input message may not carry them."""


class Message(BaseModel):
    """A message to classify: ``text`` plus any fields of yours, passed through unchanged."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"examples": [{"id": "sms-1", "text": "您的快递丢失，客服双倍理赔"}]},
    )

    text: str = Field(
        max_length=MAX_CHARS,
        description="The message (an empty string is classified `normal`).",
    )


class ClassifyRequest(BaseModel):
    """Messages to classify, at most :data:`MAX_MESSAGES`."""

    messages: list[Message] = Field(max_length=MAX_MESSAGES)


def _model_of(cls: type, name: str, doc: str, **extra: Any) -> type[BaseModel]:
    """A pydantic model with the fields of the library's dataclass ``cls`` plus ``extra``."""
    fields: dict[str, Any] = {k: (v, ...) for k, v in get_type_hints(cls).items()}
    fields.update({k: (v, ...) for k, v in extra.items()})
    return create_model(name, __doc__=doc, __config__=ConfigDict(extra="allow"), **fields)


Result = _model_of(
    Prediction,
    "Result",
    "A classified message: the input's fields (`text`, ...) plus scamtext's, and the advice "
    "for a scam (null for `normal`).",
    text=str,
    advice=Advice | None,
)

ExplainResponse = _model_of(
    Explanation,
    "ExplainResponse",
    "What `scamtext explain --json` prints: evidence spans of the original text (offsets in "
    "code points), their weights, the cues found, and the advice (null for `normal`).",
    advice=Advice | None,
)


class ClassifyResponse(BaseModel):
    """One result per message, in input order."""

    results: list[Result]  # type: ignore[valid-type]


class ExplainRequest(BaseModel):
    """A message to explain, and optionally the label to explain (default: the predicted one).

    At most :data:`~scamtext._validation.MAX_CHARS` characters, as in the library.
    """

    text: str = Field(max_length=MAX_CHARS)
    label: str | None = Field(default=None, pattern=LABEL_PATTERN)
    top_k: int = Field(default=10, ge=0, le=MAX_TOP_K)


class CaseRequest(BaseModel):
    """A reported message and its (corrected) label.

    A label that is neither in the taxonomy, nor known to the current model, nor already
    in the case store is refused unless ``new_label`` is true (a typo guard).
    """

    text: str = Field(min_length=1, max_length=MAX_CHARS)
    label: str = Field(pattern=LABEL_PATTERN)
    source: str = Field(default="api", min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
    new_label: bool = False


class Case(BaseModel):
    """A stored case, as ``scamtext cases list`` prints it (text masked)."""

    id: str
    text: str
    label: str
    source: str
    first_reported: str
    last_reported: str
    reports: int
    masked: bool


class LabelInfo(BaseModel):
    """A label the current model predicts."""

    id: str
    name_zh: str | None = Field(description="Chinese name; null for a label outside the taxonomy.")
    is_scam: bool


class ModelInfo(BaseModel):
    """The model answering requests."""

    version: str = Field(description="Version name, `shipped`, or the model folder's name.")
    path: str
    kind: str | None
    created: str | None
    labels: list[LabelInfo]
    licence: str
    metrics: Any = Field(description="Test figures recorded when the model was saved.")
    loaded_at: str
    reload_error: str | None = Field(description="Why the last switch failed, if it did.")


class FieldError(BaseModel):
    """One problem with a request."""

    field: str = Field(description="Where: `body`, `messages[3].text`, `label`...")
    message: str
    type: str


class ErrorResponse(BaseModel):
    """Every 4xx answer: the first problem in ``detail``, all of them in ``errors``."""

    detail: str
    errors: list[FieldError]
