"""Admin API wire types (request bodies and responses), on the shared ``Wire`` base."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from msgspec import Meta

from shared.schemas import MessageOut, Status, Wire

__all__ = [
    "TenantIn",
    "TenantPatch",
    "TenantOut",
    "UserIn",
    "UserPatch",
    "ApiKeyIn",
    "ApiKeyCreated",
    "DocumentIn",
    "DocumentEdit",
    "SiteIn",
    "DocumentOut",
    "ReindexResult",
    "SearchHit",
    "SearchPreview",
    "SettingsOut",
    "ConversationOut",
    "Transcript",
    "WebhookIn",
    "WebhookCreated",
    "QaIn",
    "UnansweredAnswerIn",
    "UnansweredAnswered",
    "PlaygroundIn",
    "WebhookTestSent",
]

Name = Annotated[str, Meta(min_length=1, max_length=200)]
Slug = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Role = Literal["owner", "admin", "agent"]


class TenantIn(Wire):
    name: Name
    slug: Slug


class TenantPatch(Wire):
    name: Name | None = None
    active: bool | None = None
    rotate_widget_key: bool = False


class TenantOut(Wire):
    id: str
    name: str
    slug: str
    widget_key: str
    active: bool
    created_at: datetime


class UserIn(Wire):
    email: Annotated[str, Meta(min_length=3, max_length=320)]
    password: Annotated[str, Meta(min_length=8, max_length=1000)]
    role: Role = "agent"
    display_name: Annotated[str, Meta(max_length=200)] = ""


class UserPatch(Wire):
    role: Role | None = None
    active: bool | None = None
    display_name: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    password: Annotated[str, Meta(min_length=8, max_length=1000)] | None = None


class ApiKeyIn(Wire):
    name: Name
    scopes: Annotated[list[str], Meta(min_length=1, max_length=20)]


class ApiKeyCreated(Wire):
    """``key`` is shown this once; only its hash is kept."""

    id: str
    name: str
    prefix: str
    scopes: list[str]
    key: str


class DocumentIn(Wire):
    title: Annotated[str, Meta(min_length=1, max_length=300)]
    content: Annotated[str, Meta(min_length=1, max_length=2_000_000)]
    source: Annotated[str, Meta(max_length=500)] = ""
    content_type: Literal["text/markdown", "text/plain"] = "text/markdown"


class DocumentEdit(Wire):
    title: Annotated[str, Meta(min_length=1, max_length=300)]
    content: Annotated[str, Meta(min_length=1, max_length=2_000_000)]


class SiteIn(Wire):
    """A web page, or a sitemap (``…/sitemap.xml``) whose pages to import."""

    url: Annotated[str, Meta(min_length=8, max_length=2000)]


class ExpectedSource(Wire):
    """Where the answer lives: a document (its title or file name) and optionally a section."""

    document: Annotated[str, Meta(min_length=1, max_length=500)]
    section: Annotated[str, Meta(max_length=300)] = ""


class CheckIn(Wire):
    """A test question. ``expect``: every source a right answer cites (two for a two-part
    question); null: the knowledge base does not hold the answer and the bot must decline."""

    question: Annotated[str, Meta(min_length=1, max_length=2000)]
    expect: Annotated[list[ExpectedSource], Meta(min_length=1, max_length=5)] | None
    history: Annotated[list[Annotated[str, Meta(max_length=2000)]], Meta(max_length=10)] = []


class CheckOut(Wire):
    id: str
    question: str
    history: list[str]
    expect: list[ExpectedSource] | None
    created_at: datetime


class CheckResult(Wire):
    id: str
    question: str
    expect: list[ExpectedSource] | None
    cited: list[ExpectedSource]  # what the bot's answer cites ([]: it declines)
    ranked: list[ExpectedSource]  # the best three grounded passages
    passed: bool


class CheckRunOut(Wire):
    """One run of every check against one version of the knowledge base."""

    id: str
    kb_version: int
    current: bool  # scored the knowledge base as it is now
    created_at: datetime
    cases: int
    score: float  # share of checks fully right
    hit_at_1: float
    hit_at_3: float
    decline_precision: float
    decline_recall: float
    citation_precision: float
    failures: list[CheckResult]


class DocumentOut(Wire):
    id: str
    title: str
    source: str
    content_type: str
    chunks: int
    created_at: datetime
    updated_at: datetime
    content: str | None = None
    changed: bool | None = None
    status: Literal["ready", "indexing"] = "ready"


class ReindexResult(Wire):
    chunks: int


class SearchHit(Wire):
    document_id: str
    title: str
    heading: str
    source: str
    text: str
    score: float
    coverage: float
    grounded: bool


class SearchPreview(Wire):
    """What the bot would stand on for this question (``grounded``: it would answer)."""

    query: str
    hits: list[SearchHit]


class SettingsOut(Wire):
    tenant_id: str
    widget_key: str
    settings: dict[str, Any]


class ConversationOut(Wire):
    conversation_id: str
    status: Status
    visitor_id: str
    assigned_agent: str | None
    handoff_reason: str
    messages: int
    created_at: datetime
    updated_at: datetime


class Transcript(Wire):
    conversation: ConversationOut
    messages: list[MessageOut]


class WebhookIn(Wire):
    url: Annotated[str, Meta(min_length=8, max_length=2000)]
    events: Annotated[list[str], Meta(min_length=1, max_length=10)]


class WebhookCreated(Wire):
    """``secret`` signs deliveries; it is shown this once."""

    id: str
    url: str
    events: list[str]
    secret: str


Question = Annotated[str, Meta(min_length=1, max_length=500)]
AnswerText = Annotated[str, Meta(min_length=1, max_length=20_000)]


class QaIn(Wire):
    """A question and its answer, kept as one knowledge-base entry (the question its heading);
    the same question again replaces the earlier answer."""

    question: Question
    answer: AnswerText


class UnansweredAnswerIn(QaIn):
    """An owner's answer to a group of unanswered questions: a KB entry, the group marked."""

    question_ids: Annotated[list[str], Meta(max_length=2000)] = []


class UnansweredAnswered(Wire):
    document_id: str
    marked: int  # questions of the group marked answered


class PlaygroundIn(Wire):
    question: Annotated[str, Meta(min_length=1, max_length=2000)]
    history: Annotated[list[Annotated[str, Meta(max_length=2000)]], Meta(max_length=10)] = []


class WebhookTestSent(Wire):
    """A ``webhook.test`` event queued for one webhook: follow it in its delivery log."""

    delivery_id: str
