"""course.yml: the course, its limits and its weeks, validated with errors that name the field."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

WEEK_ID = re.compile(r"^week(0[1-9]|1[0-5])$")  # this course's own weeks
ASSIGNMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # any assignment (e.g. an Otter course's hw01)


class ConfigError(Exception):
    """course.yml is missing, unreadable or invalid; the message names file, field and problem."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limits(Strict):
    cell_timeout_s: float = Field(60, gt=0, description="one notebook cell")
    submission_timeout_s: float = Field(600, gt=0, description="one whole submission, tests included")
    test_timeout_s: float = Field(30, gt=0, description="one remote call made by a test")
    memory_mb: int = Field(4096, ge=256, description="address-space limit of the sandboxed kernel")
    max_processes: int = Field(64, ge=8, description="process/thread limit of the sandboxed kernel")
    file_mb: int = Field(64, ge=1, description="largest file the kernel may write")
    scratch_mb: int = Field(256, ge=16, description="size of the kernel's writable folders (tmpfs)")
    solution_budget_s: float = Field(60, gt=0, description="build fails if the solution needs more CPU seconds")
    notebook_mb: float = Field(5, gt=0, le=100, description="largest submitted notebook file (refused before parsing)")
    max_cells: int = Field(5000, ge=10, description="most cells a submitted notebook may have")


class LimitsOverride(Strict):
    cell_timeout_s: float | None = Field(None, gt=0)
    submission_timeout_s: float | None = Field(None, gt=0)
    test_timeout_s: float | None = Field(None, gt=0)
    memory_mb: int | None = Field(None, ge=256)
    max_processes: int | None = Field(None, ge=8)
    file_mb: int | None = Field(None, ge=1)
    scratch_mb: int | None = Field(None, ge=16)
    solution_budget_s: float | None = Field(None, gt=0)
    notebook_mb: float | None = Field(None, gt=0, le=100)
    max_cells: int | None = Field(None, ge=10)


def _parse_datetime(v: Any) -> dt.datetime:
    if isinstance(v, dt.datetime):
        return v
    if isinstance(v, str):
        try:
            return dt.datetime.fromisoformat(v)
        except ValueError:
            pass
    raise ValueError("not a date-time (expected e.g. 2027-02-16T23:59)")


class Week(Strict):
    """One assignment. This course's weeks are ``weekNN`` with chapter NN + 7; an assignment brought
    from another Otter course may have any id and no chapter."""

    id: str
    title: str = Field(min_length=1)
    chapter: int | None = Field(None, ge=8, le=22)
    master: Path
    release: dt.datetime
    due: dt.datetime
    image: Literal["cpu", "cuda"] = "cpu"
    points: float = Field(gt=0)
    limits: LimitsOverride = LimitsOverride()
    strict: bool | None = Field(None, description="build checks of this course (a hidden test per question, "
                                                  "blank scores zero) are errors; default: on for weekNN ids, "
                                                  "warnings for other assignments")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if re.fullmatch(r"week\d+", v) and not WEEK_ID.match(v):
            raise ValueError("must be week01 … week15 (weekNN ids are this course's weeks)")
        if not ASSIGNMENT_ID.match(v):
            raise ValueError("must be letters, digits, '_', '-' or '.' (e.g. week01, hw01, lab-pandas)")
        return v

    @field_validator("release", "due", mode="before")
    @classmethod
    def _dates(cls, v: Any) -> dt.datetime:
        return _parse_datetime(v)

    @model_validator(mode="after")
    def _order(self) -> "Week":
        if self.due <= self.release:
            raise ValueError("due must be after release")
        if self.chapter is not None and WEEK_ID.match(self.id) and self.chapter != int(self.id[4:]) + 7:
            raise ValueError(f"chapter {self.chapter} does not match {self.id} (chapter = week + 7)")
        return self

    @property
    def is_course_week(self) -> bool:
        """One of this course's own weeks (as opposed to an assignment brought from elsewhere)."""
        return bool(WEEK_ID.match(self.id))

    @property
    def strict_checks(self) -> bool:
        return self.is_course_week if self.strict is None else self.strict


class LatePolicy(Strict):
    window_hours: float = Field(0, ge=0, description="late submissions are accepted this long after due (0: none)")
    penalty_percent_per_day: float = Field(0, ge=0, le=100, description="score lost per started day late")


class RateLimit(Strict):
    submissions: int = Field(10, ge=1, description="uploads one student may make …")
    per_minutes: float = Field(10, gt=0, description="… within this many minutes")


class Service(Strict):
    """`autograder serve`: the submission service and its gradebook."""

    roster: Path = Field(Path("roster.yml"), description="students, TAs and instructors (relative to course.yml)")
    database: str = Field("sqlite:///build/gradebook.sqlite3", min_length=1,
                          description="SQLAlchemy URL; a relative SQLite path is relative to course.yml; "
                                      "env AUTOGRADER_DATABASE_URL overrides")
    score: Literal["last", "best"] = Field("best", description="which graded submission counts")
    late: LatePolicy = LatePolicy()
    rate_limit: RateLimit = RateLimit()
    max_upload_mb: float = Field(5, gt=0, le=100, description="largest notebook a student may upload")
    backend: Literal["local", "docker"] = "local"
    workers: int = Field(2, ge=0, le=64, description="grading worker processes started by `serve`")
    lease_s: float = Field(60, ge=5, description="a claimed submission returns to the queue if its worker "
                                                 "stops renewing the claim for this long")
    open_weeks: list[str] = Field(default_factory=list, description="weeks open before their release date")
    secure_cookies: bool = Field(False, description="set when the service is behind HTTPS")
    session_hours: float = Field(12, gt=0)
    trusted_proxies: list[str] = Field(default_factory=list, description=(
        "addresses or networks (e.g. 127.0.0.1, 10.0.0.0/8) of reverse proxies whose X-Forwarded-For "
        "is believed; empty: the connecting address is the client"))

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, v: list[str]) -> list[str]:
        import ipaddress

        for item in v:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network (e.g. 127.0.0.1 or 10.0.0.0/8)") from None
        return v

    @field_validator("database")
    @classmethod
    def _db(cls, v: str) -> str:
        if "://" not in v:
            raise ValueError("not a database URL (e.g. sqlite:///build/gradebook.sqlite3 or postgresql://…)")
        return v


class Lti(Strict):
    """LTI 1.3 (Moodle, Canvas): the one platform registration this course's tool trusts.
    The tool's own keys are made by `autograder lti keys`; `autograder lti config` prints what the
    platform's administrator enters."""

    tool_url: str = Field(min_length=1, description="the service's public base URL, e.g. https://notlar.example.edu")
    issuer: str = Field(min_length=1, description="the platform's issuer (Moodle: its wwwroot; Canvas: https://canvas.instructure.com)")
    client_id: str = Field(min_length=1, description="the client id the platform gave this tool")
    deployment_ids: list[str] = Field(min_length=1, description="deployment ids accepted from the platform")
    auth_login_url: str = Field(min_length=1, description="the platform's OIDC authorisation endpoint")
    auth_token_url: str = Field(min_length=1, description="the platform's OAuth2 token endpoint (grades)")
    key_set_url: str = Field(min_length=1, description="the platform's public key set (JWKS) URL")
    create_users: bool = Field(False, description="create an unknown LMS learner as a student at first launch")

    @field_validator("tool_url", "issuer", "auth_login_url", "auth_token_url", "key_set_url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not v.startswith(("https://", "http://")):
            raise ValueError(f"{v!r} is not an http(s) URL")
        return v

    @field_validator("tool_url")
    @classmethod
    def _base(cls, v: str) -> str:
        return v.rstrip("/")  # paths are appended to it


class Validation(Strict):
    """Extra checks `autograder build` makes on a week (besides the ones it always makes)."""

    require_hints: bool = Field(True, description="refuse a hidden test without a failure_message hint "
                                                  "(Turkish, what it checks, never its inputs or expected values)")


class Course(Strict):
    title: str = Field(min_length=1)
    term: str = Field(min_length=1)
    timezone: str
    language: Literal["tr", "en"] = Field("tr", description="language of student-facing feedback")
    limits: Limits = Limits()
    weeks: list[Week] = Field(min_length=1)
    service: Service = Service()
    lti: Lti | None = None
    validation: Validation = Validation()

    # Set by load(); not part of the file.
    root: Path = Field(default=Path("."), exclude=True)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}") from None
        return v

    @model_validator(mode="after")
    def _unique(self) -> "Course":
        ids = [w.id for w in self.weeks]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate week ids: {sorted(dup)}")
        unknown = [w for w in self.service.open_weeks if w not in ids]
        if unknown:
            raise ValueError(f"service.open_weeks: unknown week(s) {unknown}")
        return self

    # ------------------------------------------------------------------ queries
    def week(self, week_id: str) -> Week:
        for w in self.weeks:
            if w.id == week_id:
                return w
        known = ", ".join(w.id for w in self.weeks)
        raise ConfigError(f"unknown week {week_id!r} (course.yml has: {known})")

    def limits_for(self, week: Week) -> Limits:
        override = {k: v for k, v in week.limits.model_dump().items() if v is not None}
        return self.limits.model_copy(update=override)

    def aware(self, t: dt.datetime) -> dt.datetime:
        """Naive date-times in course.yml are in the course's time zone."""
        return t if t.tzinfo else t.replace(tzinfo=ZoneInfo(self.timezone))

    def master_path(self, week: Week) -> Path:
        return (self.root / week.master).resolve()


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith("function-") and part not in ("datetime",):
            out += ("." if out else "") + str(part)
    return out


def _message(err: dict) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "missing":
        return "missing"
    msg = err["msg"]
    return msg.removeprefix("Value error, ")


def load(path: Path | str = "course.yml") -> Course:
    path = Path(path)
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{name}: not found at {path.resolve()}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{name}: not valid YAML: {e}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}: top level must be a mapping")
    try:
        course = Course.model_validate(raw)
    except ValidationError as e:
        lines = [f"{name}: {_loc(err['loc']) or '(top level)'}: {_message(err)}" for err in e.errors()]
        raise ConfigError("\n".join(lines)) from None
    return course.model_copy(update={"root": path.resolve().parent})
