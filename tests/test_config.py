"""course.yml validation: errors name the field and the problem; unknown keys are errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from autograder import config

GOOD = {
    "title": "T", "term": "2027", "timezone": "Europe/Istanbul",
    "weeks": [{"id": "week01", "title": "Giriş", "chapter": 8, "master": "a.ipynb",
               "release": "2027-02-08T09:00", "due": "2027-02-15T23:59", "points": 19}],
}


def _write(tmp_path: Path, data) -> Path:
    p = tmp_path / "course.yml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True))
    return p


def _err(tmp_path, data) -> str:
    with pytest.raises(config.ConfigError) as e:
        config.load(_write(tmp_path, data))
    return str(e.value)


def test_the_repository_course_file_loads():
    c = config.load(Path(__file__).resolve().parent.parent / "course.yml")
    assert [w.id for w in c.weeks] == [f"week{i:02d}" for i in range(1, 16)]
    assert all(w.chapter == int(w.id[4:]) + 7 for w in c.weeks)


def test_good_file_and_defaults(tmp_path):
    c = config.load(_write(tmp_path, GOOD))
    w = c.week("week01")
    assert c.limits_for(w).cell_timeout_s == 60
    assert c.aware(w.due).utcoffset().total_seconds() == 3 * 3600
    assert c.root == tmp_path
    assert c.validation.require_hints is True  # a hidden test without a hint fails the build


def test_validation_settings(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    data["validation"] = {"require_hints": False}
    assert config.load(_write(tmp_path, data)).validation.require_hints is False
    data["validation"] = {"require_hint": True}
    assert "course.yml: validation.require_hint: unknown key" in _err(tmp_path, data)


def test_bad_date(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    data["weeks"][0]["due"] = "next friday"
    assert "course.yml: weeks[0].due: not a date-time" in _err(tmp_path, data)


def test_unknown_key(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    data["weeks"][0]["pionts"] = 3
    assert "course.yml: weeks[0].pionts: unknown key" in _err(tmp_path, data)
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    data["limits"] = {"memory": 10}
    assert "course.yml: limits.memory: unknown key" in _err(tmp_path, data)


@pytest.mark.parametrize("field,value,expect", [
    ("id", "week16", "weeks[0].id: must be week01 … week15"),
    ("image", "tpu", "weeks[0].image"),
    ("points", -1, "weeks[0].points"),
    ("chapter", 9, "does not match week01"),
    ("release", "2027-03-01T00:00", "due must be after release"),
])
def test_week_fields(tmp_path, field, value, expect):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    data["weeks"][0][field] = value
    assert expect in _err(tmp_path, data)


def test_missing_and_bad_top_level(tmp_path):
    data = dict(GOOD)
    del data["title"]
    assert "course.yml: title: missing" in _err(tmp_path, data)
    assert "unknown time zone" in _err(tmp_path, {**GOOD, "timezone": "Mars/Olympus"})
    (tmp_path / "course.yml").write_text("weeks: [")
    with pytest.raises(config.ConfigError, match="not valid YAML"):
        config.load(tmp_path / "course.yml")
    with pytest.raises(config.ConfigError, match="not found"):
        config.load(tmp_path / "nope.yml")


def test_duplicate_weeks(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    data["weeks"].append(dict(data["weeks"][0]))
    assert "duplicate week ids" in _err(tmp_path, data)


def test_unknown_week_lookup(tmp_path):
    c = config.load(_write(tmp_path, GOOD))
    with pytest.raises(config.ConfigError, match="unknown week 'week09'"):
        c.week("week09")
