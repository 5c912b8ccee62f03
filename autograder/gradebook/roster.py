"""The roster file (roster.yml): students, TAs and instructors, validated with errors that name
the file, the entry and the field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from autograder.config import ConfigError, Course
from autograder.gradebook.models import ID_RE

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    id: str
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=200)
    section: str = Field("", max_length=50)
    role: Literal["student", "ta", "instructor"] = "student"

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError("must be 1–100 characters A–Z a–z 0–9 . _ - (starting with a letter or digit), "
                             "the same id as in submission file names")
        return v

    @field_validator("section", mode="before")
    @classmethod
    def _section(cls, v: Any) -> str:
        return "" if v is None else str(v)


class _PersonIn(_Strict):
    id: str
    name: str = ""
    email: str = ""
    section: str | int = ""


class _RosterFile(_Strict):
    students: list[_PersonIn] = Field(default_factory=list)
    tas: list[_PersonIn] = Field(default_factory=list)
    instructors: list[_PersonIn] = Field(default_factory=list)


@dataclass
class Roster:
    path: Path
    people: list[Person]

    def ids(self, role: str | None = None) -> list[str]:
        return [p.id for p in self.people if role is None or p.role == role]


def roster_path(course: Course) -> Path:
    p = course.service.roster
    return p if p.is_absolute() else (course.root / p)


def load_roster(path: Path) -> Roster:
    """Read roster.yml (students, tas, instructors); errors name the file, the entry and the field."""
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{name}: not found at {path} (copy roster.example.yml and list your students; "
                          "course.yml's service.roster names the file)") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{name}: not valid YAML: {e}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}: top level must be a mapping with students, tas and instructors")
    try:
        data = _RosterFile.model_validate(raw)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            loc = "".join(f"[{p}]" if isinstance(p, int) else (("." if i else "") + str(p))
                          for i, p in enumerate(err["loc"]))
            msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
            lines.append(f"{name}: {loc}: {msg}")
        raise ConfigError("\n".join(lines)) from None
    people, seen = [], {}
    problems = []
    for key, role in (("students", "student"), ("tas", "ta"), ("instructors", "instructor")):
        for i, p in enumerate(getattr(data, key)):
            try:
                person = Person(id=p.id, name=p.name, email=p.email, section=str(p.section), role=role)
            except ValidationError as e:
                for err in e.errors():
                    field = ".".join(str(x) for x in err["loc"]) or "id"
                    problems.append(f"{name}: {key}[{i}].{field}: {err['msg'].removeprefix('Value error, ')}")
                continue
            if p.id in seen:
                problems.append(f"{name}: {key}[{i}].id: {p.id!r} is listed twice (also in {seen[p.id]})")
                continue
            seen[p.id] = f"{key}[{i}]"
            people.append(person)
    if problems:
        raise ConfigError("\n".join(problems))
    return Roster(path=path, people=people)
