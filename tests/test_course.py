"""The course as a whole: manifest, hygiene, both editions, parameters, and the site."""

from __future__ import annotations

import json
import re

import pytest

from helpers import NOTEBOOKS_DIR, ROOT, course, exercises, manifest, record

MANIFEST = manifest.load_manifest()
LESSON_IDS = [les.id for les in MANIFEST.lessons]


def _check_statuses(path) -> list[tuple[str, str]]:
    """(exercise id, status) of every self-check output in an executed notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("text/html", {}).get(exercises.METADATA_KEY)
            if meta:
                found.append((meta["id"], meta["status"]))
    return found


def _checks_in_source(lesson_id: str) -> list[str]:
    """Exercise ids of every exercises.check("NN.N", ...) call in a lesson's source."""
    import re

    les = next(les for les in MANIFEST.lessons if les.id == lesson_id)
    text = "".join("".join(c["source"]) for c in course.read_nb(les.path)["cells"])
    return re.findall(r'exercises\.check\(\s*"([0-9]+\.[0-9]+)"', text)


def _error_outputs(path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        f"{o.get('ename')}: {o.get('evalue')}"
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]


# ---------------------------------------------------------------- manifest and hygiene


def test_manifest_and_notebooks_agree():
    assert [les.file for les in MANIFEST.lessons] == sorted(
        p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")
    )
    for les in MANIFEST.lessons:
        assert les.file.startswith(les.id + "_")
        assert 3 <= len(les.objectives) <= 5, f"lesson {les.id}: 3–5 objectives"
        assert not any("TODO" in o for o in les.objectives), (
            f"lesson {les.id}: objectives not written"
        )


def test_hygiene_checks_pass():
    assert course.check() == []


def test_every_lesson_changes_a_parameter_in_the_alternative_profile():
    for les in MANIFEST.lessons:
        assert MANIFEST.overrides("alternative", les.id), (
            f"lesson {les.id} has no alternative overrides"
        )


def test_unknown_profile_and_lesson_list_the_valid_ones():
    with pytest.raises(
        manifest.CourseError, match="unknown profile 'nope'; the profiles are: default, alternative"
    ):
        course.run("nope")
    with pytest.raises(manifest.CourseError, match="unknown lesson '42'; the lessons are: 00, 01"):
        course.run("default", only=["42"])


def test_run_command_collects_every_only_option(monkeypatch, capsys):
    asked = {}

    def fake_run(profile, only, jobs, learner=False):
        asked.update(profile=profile, only=only)
        return []

    monkeypatch.setattr(course, "run", fake_run)
    assert course.main(["run", "--only", "01", "--only", "04", "05"]) == 0
    assert asked == {"profile": "default", "only": ["01", "04", "05"]}


def _hygiene_of_lesson_00(nb: dict, tmp_path, monkeypatch) -> str:
    """The hygiene problems of a course made of one changed copy of lesson 00."""
    (tmp_path / "00_start_here.ipynb").write_text(json.dumps(nb))
    monkeypatch.setattr(course, "NOTEBOOKS_DIR", tmp_path)
    monkeypatch.setattr(manifest, "NOTEBOOKS_DIR", tmp_path)
    m = manifest.Manifest(
        MANIFEST.title, MANIFEST.short_title, "", MANIFEST.lessons[:1], {"default": {}}
    )
    return "\n".join(course.check(m))


def test_hygiene_detects_stored_outputs_and_uncommented_parameters(tmp_path, monkeypatch):
    nb = json.loads((NOTEBOOKS_DIR / "00_start_here.ipynb").read_text())
    pcell = course.parameters_cell(nb)
    pcell["source"] = "show_map_details = True\nhighlight_lesson = '08'  # lesson id\n"
    nb["cells"][-1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    nb["cells"][-1]["execution_count"] = 3
    problems = _hygiene_of_lesson_00(nb, tmp_path, monkeypatch)
    assert "parameter 'show_map_details' has no comment" in problems
    assert "stored outputs or an execution count" in problems


def test_hygiene_detects_hidden_check_results_and_parameters_papermill_cannot_read(
    tmp_path, monkeypatch
):
    nb = json.loads((NOTEBOOKS_DIR / "00_start_here.ipynb").read_text())
    pcell = course.parameters_cell(nb)
    # a comment with '=' makes papermill skip the line
    pcell["source"] = (
        "show_map_details = True  # 1 = show\nhighlight_lesson = '08'  # a lesson id\n"
    )
    sol = next(i for i, c in enumerate(nb["cells"]) if "solution" in c["metadata"].get("tags", []))
    check_cell = nb["cells"][sol + 1]
    check_cell["source"] = "".join(check_cell["source"]) + "\nrecord.record('x', 1)\n"
    problems = _hygiene_of_lesson_00(nb, tmp_path, monkeypatch)
    assert f"cell {sol + 1} must end with its exercises.check(...) call" in problems
    assert "papermill cannot read parameter(s) ['show_map_details']" in problems


def test_longest_lessons_start_first_and_new_lessons_before_them():
    lessons = MANIFEST.lessons[:4]
    ids = [les.id for les in lessons]
    seconds = {ids[0]: 2.0, ids[1]: 5.0, ids[3]: 3.0}  # ids[2] never timed
    order = [les.id for les in course.longest_first(lessons, seconds)]
    assert order == [ids[2], ids[1], ids[3], ids[0]]
    assert [les.id for les in course.longest_first(lessons, {})] == ids


def test_run_times_are_remembered_per_edition(tmp_path, monkeypatch):
    monkeypatch.setattr(course, "DURATIONS_DIR", tmp_path)
    les = MANIFEST.lessons
    ok = course.RunResult(les[0], "ok", 3.214, tmp_path / "a.ipynb")
    failed = course.RunResult(les[1], "failed", 0.5, tmp_path / "b.ipynb", error="x")
    course._remember_durations("default", [ok, failed])
    assert course.last_durations("default") == {les[0].id: 3.21}  # a failed run is no guide
    assert course.last_durations("student") == {}
    course._remember_durations("default", [course.RunResult(les[2], "ok", 1.0, tmp_path)])
    assert course.last_durations("default") == {les[0].id: 3.21, les[2].id: 1.0}
    (tmp_path / "default.json").write_text("{not json")
    assert course.last_durations("default") == {}


def test_learner_edition_drops_exactly_the_solution_cells():
    for les in MANIFEST.lessons:
        nb = course.read_nb(les.path)
        stripped = course.strip_solutions(nb)
        n_solutions = sum("solution" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])
        assert n_solutions >= (1 if les.id == "00" else 3), f"lesson {les.id}: too few exercises"
        assert len(stripped["cells"]) == len(nb["cells"]) - n_solutions
        assert not any(
            "solution" in c.get("metadata", {}).get("tags", []) for c in stripped["cells"]
        )
        # the check cells, and only they, are folded: they hold the expected answers
        folded = [
            c for c in stripped["cells"] if c["metadata"].get("jupyter", {}).get("source_hidden")
        ]
        assert len(folded) == n_solutions
        sources = ["".join(c["source"]) for c in folded]  # nbformat may store lists
        assert all("exercises.check(" in s and s.rstrip().endswith(")") for s in sources)


# ---------------------------------------------------------------- executed editions


@pytest.mark.notebooks
@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_instructor_copy_executes_and_every_check_is_correct(executed_notebook, lesson_id):
    path = executed_notebook("default", lesson_id)
    assert _error_outputs(path) == []
    statuses = _check_statuses(path)
    assert statuses, f"lesson {lesson_id} shows no self-checks"
    assert all(s == exercises.CORRECT for _, s in statuses), statuses
    # every check in the source shows its result (a check that is not its cell's last
    # expression runs silently)
    assert sorted(i for i, _ in statuses) == sorted(_checks_in_source(lesson_id))


@pytest.mark.notebooks
@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_alternative_profile_executes(executed_notebook, lesson_id):
    path = executed_notebook("alternative", lesson_id)
    assert _error_outputs(path) == []
    assert all(s == exercises.CORRECT for _, s in _check_statuses(path))
    injected = [
        c
        for c in json.loads(path.read_text())["cells"]
        if "injected-parameters" in c["metadata"].get("tags", [])
    ]
    assert injected, "papermill injected the profile's parameters"


@pytest.mark.notebooks
@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_learner_edition_runs_and_every_check_says_not_attempted(executed_notebook, lesson_id):
    path = executed_notebook("student", lesson_id)
    assert _error_outputs(path) == []
    statuses = _check_statuses(path)
    assert statuses and all(s == exercises.NOT_ATTEMPTED for _, s in statuses), statuses
    assert sorted(i for i, _ in statuses) == sorted(_checks_in_source(lesson_id))


@pytest.mark.notebooks
def test_lesson_00_records_follow_the_manifest(executed_notebook):
    rec = record.read(executed_notebook("default", "00"))
    assert rec["n_lessons"] == len(MANIFEST.lessons) == 9
    assert rec["total_minutes"] == sum(les.minutes for les in MANIFEST.lessons)
    assert 0 < rec["share_primary"] <= 1
    from helpers import data

    assert rec["n_tables"] == len(data.tables())
    claims = data.load("article_claims")
    assert rec["n_synergy_claims"] == int(claims["quote"].str.contains("synerg").sum()) >= 1
    alt = record.read(executed_notebook("alternative", "00"))
    assert alt["highlight_lesson"] == MANIFEST.overrides("alternative", "00").get(
        "highlight_lesson", "08"
    )


@pytest.mark.notebooks
def test_wrongly_typed_parameter_stops_with_a_clear_message(tmp_path):
    res = course.execute(MANIFEST.lesson("00"), {"highlight_lesson": 8}, tmp_path / "out.ipynb")
    assert res.status == "failed"
    assert "ParameterError" in res.error
    assert "parameter 'highlight_lesson' got 8 (int); allowed: one of '00', '01'" in res.error
    # the README quotes this very message
    quoted = res.error.strip().splitlines()[-1].strip()
    assert quoted in (ROOT / "README.md").read_text(encoding="utf-8")


def _run_cells(tmp_path, sources: list[str]) -> list[dict]:
    """Run code cells as a lesson is run (course.execute) and return the executed cells."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    src = tmp_path / "src.ipynb"
    course.write_nb(nb, src)
    res = course.execute(MANIFEST.lesson("00"), {}, tmp_path / "out.ipynb", source=src)
    assert res.status == "ok", res.error
    return json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))["cells"]


@pytest.mark.notebooks
def test_batch_kernel_skips_empty_flushes_keeps_outputs_in_order_and_freezes_imports(tmp_path):
    cells = _run_cells(
        tmp_path,
        [
            # the batch options are in force: no history, no sleep, the batch output stream
            "import sys\nip = get_ipython()\n"
            "print(type(sys.stdout).__name__, ip.history_manager.enabled, ip.kernel._execute_sleep)",
            # a flush with nothing written hands nothing to the output thread; one after a
            # write does
            "calls = []\nschedule = sys.stdout.pub_thread.schedule\n"
            "sys.stdout.pub_thread.schedule = lambda f: (calls.append(f), schedule(f))[1]\n"
            "sys.stdout.flush(); sys.stderr.flush(); empty = len(calls)\n"
            "sys.stdout.write('w'); sys.stdout.flush(); written = len(calls) - empty\n"
            "sys.stdout.pub_thread.schedule = schedule\n"
            "print('', empty, written > 0)",
            "from IPython.display import display\nprint('a')\ndisplay('b')\n"
            "print('c', end='')\nsys.stderr.write('d')\n'e'",
            # the objects that exist after start-up and after a cell that imported modules
            # are kept from the garbage collector; a cell that imports nothing freezes nothing
            # (its 1000 lists stay collectable; the count may fall as frozen temporaries are
            # freed)
            "import gc\nstart = gc.get_freeze_count()\nimport wave",
            "after_import = gc.get_freeze_count()\nkept = [[] for _ in range(1000)]",
            "print(start > 0, after_import > start, gc.get_freeze_count() < after_import + 1000)",
        ],
    )
    assert "".join(cells[0]["outputs"][0]["text"]) == "BatchOutStream False 0.0\n"
    assert "".join(t for o in cells[1]["outputs"] for t in o["text"]) == "w 0 True\n"
    seen = [
        (o.get("name") or o["output_type"], "".join(o.get("text") or o["data"]["text/plain"]))
        for o in cells[2]["outputs"]
    ]
    assert seen == [
        ("stdout", "a\n"),
        ("display_data", "'b'"),
        ("stdout", "c"),
        ("stderr", "d"),
        ("execute_result", "'e'"),
    ]
    assert "".join(cells[-1]["outputs"][0]["text"]) == "True True True\n"


@pytest.mark.notebooks
def test_the_last_cells_output_is_kept_when_the_kernel_is_ended_at_once(tmp_path):
    marker = tmp_path / "kernel_cleaned_up"
    cells = _run_cells(
        tmp_path,
        [
            f"import atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).touch)",
            "print('x' * 200_000)\n'last value'",
        ],
    )
    outputs = cells[-1]["outputs"]
    assert "".join(outputs[0]["text"]).strip() == "x" * 200_000
    assert "".join(outputs[1]["data"]["text/plain"]) == "'last value'"
    assert not marker.exists()  # ended without its own clean-up, which would take ~0.4 s


@pytest.mark.notebooks
def test_site_builds_with_every_lesson_page(executed_profile, tmp_path):
    runs = executed_profile("default")
    failed = [k for k, v in runs.items() if v[0] != "ok"]
    if failed:
        pytest.fail(f"lessons failed to execute: {failed}")
    index = course.site("default", executed_dir=_dir(runs), out_dir=tmp_path / "html")
    html = index.read_text(encoding="utf-8")
    for les in MANIFEST.lessons:
        page = tmp_path / "html" / "lessons" / f"{les.stem}.html"
        assert page.exists(), f"no page for lesson {les.id}"
        assert f"lessons/{les.stem}.html" in html, "course map links every lesson"
        assert course.DISCLAIMER in page.read_text(encoding="utf-8")
    for extra in ("references.html", "glossary.html", "data.html"):
        assert (tmp_path / "html" / extra).exists()
    assert (tmp_path / "html" / "_static" / "mathjax" / "MathJax.js").exists(), (
        "maths renders offline"
    )
    for page in (tmp_path / "html").rglob("*.html"):
        remote = re.findall(r'<script[^>]+src="(https?://[^"]+)"', page.read_text(encoding="utf-8"))
        assert not remote, f"{page.name} loads scripts from the network: {remote}"
    start = (tmp_path / "html" / "lessons" / "00_start_here.html").read_text(encoding="utf-8")
    assert not re.search(r'<img(?![^>]*\balt=")[^>]*>', start)
    # Markdown a cell displays is rendered, tables included: the course map is a table there
    assert "| # | lesson |" not in start
    assert re.search(r"<table[^>]*>.*?minutes.*?</table>", start, re.S)


def _dir(runs):
    from pathlib import Path

    return Path(next(iter(runs.values()))[1]).parent
