"""What the API answers and accepts (pydantic, through django-ninja): the OpenAPI
description is generated from these."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from kinerja.core.http import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class TokenRequest(Schema):
    username: str = Field(..., max_length=150, description="username or 18-digit NIP")
    password: str = Field(..., max_length=4096)
    name: str = Field("API", min_length=1, max_length=100, description="what uses the token")
    days: int = Field(90, ge=1, le=365, description="days until it expires")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


class NewToken(TokenOut):
    token: str = Field(..., description="the secret; shown this once only")


class PositionOut(Schema):
    position_id: int
    title: str
    role: str
    agency: str
    unit: str | None = None
    kind: str
    is_admin: bool


class MeOut(Schema):
    id: int
    username: str
    nip: str | None = None
    name: str
    email: str
    language: str
    is_superuser: bool
    positions: list[PositionOut]
    unread_notifications: int
    token: TokenOut | None = None


class Ref(Schema):
    id: int
    code: str
    name: str


class UserRef(Schema):
    id: int
    username: str
    name: str


class TaskOut(Schema):
    id: int
    case_id: int
    sop_code: str
    agency: str
    period: str
    step: int
    step_name: str = ""
    variant: str
    unit: Ref | None = None
    position: str
    assignee: UserRef | None = None
    status: str
    round: int
    activated_at: dt.datetime
    due_at: dt.datetime
    completed_at: dt.datetime | None = None
    acted_by: UserRef | None = None
    outcome: str
    comment: str
    version: int = Field(..., description="send as expected_version when completing")


class TaskDetail(TaskOut):
    data: dict[str, Any]
    may_act: bool
    outcomes: list[str] = Field(..., description="the outcomes this step accepts")
    choose_assignee: list[UserRef] = Field(
        default_factory=list, description="whom this step may give the next step to"
    )


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None = None
    task_id: int | None = None
    case_id: int | None = None


class MarkedRead(Schema):
    marked: int
