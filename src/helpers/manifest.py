"""The course manifest (``course.yml``): lessons in order, and named parameter profiles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers import NOTEBOOKS_DIR, ROOT

MANIFEST = ROOT / "course.yml"


class CourseError(ValueError):
    """A wrong profile, lesson or manifest entry (the message lists what is allowed)."""


@dataclass(frozen=True)
class Lesson:
    id: str
    file: str
    title: str
    minutes: int
    objectives: tuple[str, ...]

    @property
    def path(self) -> Path:
        return NOTEBOOKS_DIR / self.file

    @property
    def stem(self) -> str:
        return Path(self.file).stem


@dataclass(frozen=True)
class Manifest:
    title: str
    short_title: str
    description: str
    lessons: tuple[Lesson, ...]
    profiles: dict = field(default_factory=dict)

    def lesson(self, lesson_id: str) -> Lesson:
        for les in self.lessons:
            if lesson_id in (les.id, les.stem, les.file):
                return les
        raise CourseError(
            f"unknown lesson {lesson_id!r}; the lessons are: "
            + ", ".join(les.id for les in self.lessons)
        )

    def overrides(self, profile: str, lesson_id: str) -> dict:
        if profile not in self.profiles:
            raise CourseError(
                f"unknown profile {profile!r}; the profiles are: {', '.join(self.profiles)}"
            )
        return dict((self.profiles[profile].get("lessons") or {}).get(lesson_id) or {})


def load_manifest(path: Path = MANIFEST) -> Manifest:
    """Read and check ``course.yml``."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError(f"{path}: the course manifest is missing") from None
    if not isinstance(raw, dict) or "lessons" not in raw or "profiles" not in raw:
        raise CourseError(f"{path}: needs top-level 'lessons' and 'profiles'")
    lessons = []
    for i, entry in enumerate(raw["lessons"]):
        missing = {"id", "file", "title", "minutes", "objectives"} - set(entry)
        if missing:
            raise CourseError(f"{path}: lesson #{i + 1} lacks {sorted(missing)}")
        lessons.append(
            Lesson(
                id=str(entry["id"]),
                file=entry["file"],
                title=entry["title"],
                minutes=int(entry["minutes"]),
                objectives=tuple(entry["objectives"]),
            )
        )
    ids = [les.id for les in lessons]
    if len(set(ids)) != len(ids):
        raise CourseError(f"{path}: duplicate lesson ids in {ids}")
    profiles = raw["profiles"]
    if "default" not in profiles:
        raise CourseError(f"{path}: needs a 'default' profile")
    for name, prof in profiles.items():
        for lid in (prof or {}).get("lessons") or {}:
            if str(lid) not in ids:
                raise CourseError(
                    f"{path}: profile {name!r} names unknown lesson {lid!r}; lessons: {ids}"
                )
    return Manifest(
        title=raw.get("title", "Course"),
        short_title=raw.get("short_title", raw.get("title", "Course")),
        description=raw.get("description", ""),
        lessons=tuple(lessons),
        profiles={k: v or {} for k, v in profiles.items()},
    )


def select(manifest: Manifest, only: Sequence[str] | None) -> list[Lesson]:
    if not only:
        return list(manifest.lessons)
    return [manifest.lesson(x) for x in only]


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def course_map_markdown(
    manifest: Manifest, link: bool = True, details: bool = True, highlight: str | None = None
) -> str:
    """The course map as a Markdown table: lesson, minutes and (with ``details``) objectives.

    ``link`` makes titles links to the site's lesson pages; ``highlight`` marks one lesson id.
    """
    header = "| # | lesson | minutes |" + (" you will be able to |" if details else "")
    rows = [header, "|---|---|---|" + ("---|" if details else "")]
    for les in manifest.lessons:
        title = f"[{les.title}](lessons/{les.stem})" if link else les.title
        if les.id == highlight:
            title = f"**▶ {title}**"
        row = f"| {les.id} | {title} | {les.minutes} |"
        if details:
            row += " " + "<br>".join(f"• {_md_escape(o)}" for o in les.objectives) + " |"
        rows.append(row)
    total = sum(les.minutes for les in manifest.lessons)
    rows.append(f"| | **total** | **{total}** |" + (" |" if details else ""))
    return "\n".join(rows)
