"""The course runner: execute lessons, build the site, make the learner edition, check hygiene.

    python -m helpers.course run [--profile P] [--only LESSON ...] [--jobs N]
    python -m helpers.course site [--profile P]
    python -m helpers.course student
    python -m helpers.course check
    python -m helpers.course list

(also installed as the console script ``course``). Executed notebooks go to
``_build/executed/<profile>/``, the site to ``_build/html/``, the learner edition to
``_build/student/``.
"""

from __future__ import annotations

import argparse
import ast
import copy
import html
import json
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from helpers import NOTEBOOKS_DIR, ROOT, write_atomically
from helpers.manifest import (
    CourseError,
    Lesson,
    Manifest,
    course_map_markdown,
    load_manifest,
    select,
)

BUILD = ROOT / "_build"
SOLUTION_TAG = "solution"
PARAMETERS_TAG = "parameters"
DISCLAIMER = "Educational material, not medical advice."
RECORD_MIME = "application/vnd.course.record+json"


# ----------------------------------------------------------------------------- notebooks


def read_nb(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_nb(nb: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _src(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def parameters_cell(nb: dict) -> dict | None:
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and PARAMETERS_TAG in _tags(cell):
            return cell
    return None


def declared_parameters(nb: dict) -> dict[str, str]:
    """Names assigned in the parameters cell → their trailing comment ('' if none)."""
    cell = parameters_cell(nb)
    if cell is None:
        return {}
    source = _src(cell)
    out: dict[str, str] = {}
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            line = lines[node.end_lineno - 1]
            comment = line.split("#", 1)[1].strip() if "#" in line else ""
            for t in targets:
                if isinstance(t, ast.Name):
                    out[t.id] = comment
    return out


def strip_solutions(nb: dict) -> dict:
    """A copy of ``nb`` without solution cells and without outputs (the learner edition).

    The check cell after each solution holds the expected answer in its code, so its source
    is folded in JupyterLab (``jupyter.source_hidden``): it still runs, and a learner can
    unfold it, but does not read the answer by accident.
    """
    out = copy.deepcopy(nb)
    kept, after_solution = [], False
    for c in out["cells"]:
        if SOLUTION_TAG in _tags(c):
            after_solution = True
            continue
        if after_solution and c["cell_type"] == "code":
            c.setdefault("metadata", {}).setdefault("jupyter", {})["source_hidden"] = True
        after_solution = False
        if c["cell_type"] == "code":
            c["outputs"], c["execution_count"] = [], None
        kept.append(c)
    out["cells"] = kept
    return out


# ----------------------------------------------------------------------------- run


@dataclass
class RunResult:
    lesson: Lesson
    status: str  # "ok" or "failed"
    seconds: float
    output: Path
    error: str = ""


def _describe_failure(exc: Exception) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        src = textwrap.indent(exc.source.rstrip(), "    | ")
        return f"cell {exc.exec_count} failed:\n{src}\n    {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def _quiet_kernel_manager(log: Path):
    """A kernel manager whose kernels' own log lines (transport warnings, start-up notices)
    go to ``log`` instead of the runner's output (what a cell prints stays in the notebook)."""
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            with open(log, "ab") as stderr:  # the kernel process keeps its own copy
                kw.setdefault("stderr", stderr)
                await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


#: Options for the kernels that run lessons in batch: no per-cell waits that only an
#: interactive front end needs, no history database, no garbage collection passes over
#: long-lived objects (see :mod:`helpers.kernel`).
BATCH_KERNEL_ARGUMENTS = [
    "--IPKernelApp.outstream_class=helpers.kernel.BatchOutStream",
    "--Kernel._execute_sleep=0",
    "--HistoryManager.enabled=False",
    "--IPKernelApp.extensions=helpers.kernel",
]

#: A kernel that dies before it answers was never given the lesson: start it once more.
_STARTUP_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond")


def execute(
    lesson: Lesson,
    parameters: dict,
    output: Path,
    source: Path | None = None,
    kernel: str = "python3",
    timeout: int = 300,
) -> RunResult:
    """Execute one lesson with papermill (working directory: notebooks/).

    The kernel's own log goes to ``<output>.kernel.log``. A kernel that dies during start-up
    (before any cell ran) is started once more; any other failure is reported at once.
    """
    import papermill as pm

    src = source or lesson.path
    output.parent.mkdir(parents=True, exist_ok=True)
    log = output.with_suffix(".kernel.log")
    log.unlink(missing_ok=True)
    t0 = time.perf_counter()
    for attempt in (1, 2):
        try:
            pm.execute_notebook(
                str(src),
                str(output),
                parameters=parameters,
                kernel_name=kernel,
                cwd=str(NOTEBOOKS_DIR),
                progress_bar=False,
                log_output=False,
                execution_timeout=timeout,
                # write the executed copy once at the end: saving after every cell
                # re-serialises the whole notebook (figures included) twice per cell
                request_save_on_cell_execute=False,
                kernel_manager_class=_quiet_kernel_manager(log),
                extra_arguments=BATCH_KERNEL_ARGUMENTS,
                # every output is in once the last cell has reported idle; a graceful
                # shutdown would only add the kernel's own clean-up (about 0.4 s a lesson)
                shutdown_kernel="immediate",
            )
        except Exception as exc:  # noqa: BLE001 - every failure is reported per lesson
            if attempt == 1 and any(m in str(exc) for m in _STARTUP_FAILURES):
                continue
            error = _describe_failure(exc)
            if log.exists() and log.stat().st_size and "Kernel died" in str(exc):
                error += "\n    kernel log:\n" + textwrap.indent(
                    log.read_text(errors="replace")[-2000:], "    | "
                )
            return RunResult(lesson, "failed", time.perf_counter() - t0, output, error)
        return RunResult(lesson, "ok", time.perf_counter() - t0, output)
    raise AssertionError("unreachable")  # pragma: no cover


def check_overrides(manifest: Manifest, profile: str, lessons: Iterable[Lesson]) -> None:
    """Every override must name a parameter that the lesson's parameters cell declares."""
    for les in lessons:
        over = manifest.overrides(profile, les.id)
        if not over:
            continue
        declared = declared_parameters(read_nb(les.path))
        unknown = sorted(set(over) - set(declared))
        if unknown:
            raise CourseError(
                f"profile {profile!r}, lesson {les.id}: unknown parameter(s) {unknown}; "
                f"the lesson's parameters are: {', '.join(declared) or '(none)'}"
            )


#: Seconds each lesson took the last time it ran, per edition (see :func:`longest_first`).
DURATIONS_DIR = BUILD / "cache" / "lesson_seconds"


def longest_first(lessons: Sequence[Lesson], seconds: dict[str, float]) -> list[Lesson]:
    """``lessons`` with the longest known run first (lessons never timed before all of them,
    in course order). Started in this order, parallel workers finish close together instead
    of one long lesson running alone at the end."""
    return sorted(lessons, key=lambda les: -seconds.get(les.id, float("inf")))


def _durations_file(edition: str) -> Path:
    return DURATIONS_DIR / f"{edition}.json"


def last_durations(edition: str) -> dict[str, float]:
    """Seconds per lesson id from the last run of ``edition`` (empty if none or unreadable)."""
    try:
        return {
            str(k): float(v) for k, v in json.loads(_durations_file(edition).read_text()).items()
        }
    except (OSError, ValueError, AttributeError):
        return {}


def _remember_durations(edition: str, results: Sequence[RunResult]) -> None:
    seconds = last_durations(edition) | {
        r.lesson.id: round(r.seconds, 2) for r in results if r.status == "ok"
    }
    write_atomically(_durations_file(edition), json.dumps(seconds, indent=1, sort_keys=True))


def run(
    profile: str = "default",
    only: Sequence[str] | None = None,
    jobs: int = 2,
    out_root: Path | None = None,
    learner: bool = False,
    progress: bool = True,
    manifest: Manifest | None = None,
) -> list[RunResult]:
    """Execute lessons of the course with a profile, in parallel; return one result each.

    With ``learner=True`` the learner edition (solutions removed) is executed instead.
    """
    manifest = manifest or load_manifest()
    manifest.overrides(profile, "00")  # validates the profile name
    lessons = select(manifest, only)
    check_overrides(manifest, profile, lessons)
    edition = "student" if learner else profile
    out_dir = Path(out_root or BUILD / "executed") / edition
    sources: dict[str, Path] = {}
    if learner:
        src_dir = BUILD / "student" / "notebooks"
        for les in lessons:
            sources[les.id] = src_dir / les.file
            write_nb(strip_solutions(read_nb(les.path)), sources[les.id])
    results: list[RunResult] = []
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(
            total=len(lessons), desc=f"executing ({edition})", unit="lesson", file=sys.stderr
        )
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {
            pool.submit(
                execute,
                les,
                manifest.overrides(profile, les.id),
                out_dir / les.file,
                sources.get(les.id),
            ): les
            for les in longest_first(lessons, last_durations(edition))
        }
        for fut in as_completed(futures):
            res = fut.result()
            results.append(res)
            if bar is not None:
                bar.set_postfix_str(f"{res.lesson.id} {res.status}")
                bar.update()
    if bar is not None:
        bar.close()
    _remember_durations(edition, results)
    order = {les.id: i for i, les in enumerate(lessons)}
    return sorted(results, key=lambda r: order[r.lesson.id])


def summary_table(results: Sequence[RunResult]) -> str:
    rows = [("lesson", "title", "status", "seconds")]
    rows += [(r.lesson.id, r.lesson.title, r.status, f"{r.seconds:.1f}") for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    total = sum(r.seconds for r in results)
    lines.append(
        f"{len(results)} lesson(s), {sum(r.status == 'ok' for r in results)} ok, {total:.1f} s of kernel time"
    )
    return "\n".join(lines)


# ----------------------------------------------------------------------------- learner edition


def student(out_dir: Path | None = None, manifest: Manifest | None = None) -> list[Path]:
    """Write the learner edition (solution cells removed, no outputs) to ``_build/student``."""
    manifest = manifest or load_manifest()
    out = Path(out_dir or BUILD / "student")
    written = []
    for les in manifest.lessons:
        path = out / "notebooks" / les.file
        write_nb(strip_solutions(read_nb(les.path)), path)
        written.append(path)
    (out / "README.md").write_text(
        f"# {manifest.title}: learner edition\n\n"
        "These are the lessons without the solution cells. Work through them in order, "
        "starting with `notebooks/00_start_here.ipynb`. Each exercise has a cell for your "
        "answer (replace `...`) and a check that tells you at once whether it is right; the "
        "check's code is folded because it holds the answer (unfold it once you have tried).\n\n"
        f"{DISCLAIMER} The lessons give no dosing or treatment advice.\n",
        encoding="utf-8",
    )
    return written


# ----------------------------------------------------------------------------- hygiene


def check(manifest: Manifest | None = None) -> list[str]:
    """Hygiene problems of the lesson sources (empty list: all good)."""
    problems: list[str] = []
    try:
        manifest = manifest or load_manifest()
    except CourseError as exc:
        return [str(exc)]
    listed = {les.file for les in manifest.lessons}
    present = {p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")}
    for name in sorted(present - listed):
        problems.append(f"notebooks/{name}: not listed in course.yml")
    for name in sorted(listed - present):
        problems.append(f"course.yml lists {name}, which is not in notebooks/")
    for les in manifest.lessons:
        if les.file not in present:
            continue
        where = f"notebooks/{les.file}"
        nb = read_nb(les.path)
        cells = nb["cells"]
        for i, c in enumerate(cells):
            if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count")):
                problems.append(f"{where}: cell {i} has stored outputs or an execution count")
        first_md = " ".join(_src(c) for c in cells[:3] if c["cell_type"] == "markdown")
        if DISCLAIMER not in first_md:
            problems.append(f"{where}: does not open with the note '{DISCLAIMER}'")
        overview = " ".join(_src(c) for c in cells[:6] if c["cell_type"] == "markdown")
        norm = " ".join(overview.split())
        for obj in les.objectives:
            if " ".join(obj.split()) not in norm:
                problems.append(f"{where}: objective from course.yml not in its Overview: {obj!r}")
        pcell = parameters_cell(nb)
        if pcell is None:
            problems.append(f"{where}: no code cell tagged 'parameters'")
        else:
            first_code = next(c for c in cells if c["cell_type"] == "code")
            if first_code is not pcell:
                problems.append(f"{where}: the parameters cell must be the first code cell")
            for name, comment in declared_parameters(nb).items():
                if not comment:
                    problems.append(
                        f"{where}: parameter {name!r} has no comment (meaning, unit, allowed values)"
                    )
        for i, c in enumerate(cells):
            if SOLUTION_TAG not in _tags(c):
                continue
            prev = cells[i - 1] if i else None
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if prev is None or prev["cell_type"] != "code" or "..." not in _src(prev):
                problems.append(
                    f"{where}: solution cell {i} must follow the learner's stub cell (with ...)"
                )
            if nxt is None or "exercises.check(" not in _src(nxt):
                problems.append(
                    f"{where}: solution cell {i} must be followed by its exercises.check cell"
                )
            elif not _ends_with_check(_src(nxt)):
                problems.append(
                    f"{where}: cell {i + 1} must end with its exercises.check(...) call, or the "
                    "learner never sees the result (move anything after it to another cell)"
                )
        unparsed = sorted(set(declared_parameters(nb)) - set(_papermill_parameters(les.path)))
        if pcell is not None and unparsed:
            problems.append(
                f"{where}: papermill cannot read parameter(s) {unparsed} and warns 'Passed unknown "
                "parameter' whenever a profile sets them; keep each line 'name = value  # comment' "
                "without '=' in the comment"
            )
        if not any("cite.bibliography()" in _src(c) for c in cells[-3:]):
            problems.append(f"{where}: must end with a References cell calling cite.bibliography()")
    for name in manifest.profiles:
        try:
            check_overrides(
                manifest, name, [les for les in manifest.lessons if les.file in present]
            )
        except CourseError as exc:
            problems.append(str(exc))
    return problems


def _ends_with_check(source: str) -> bool:
    """True when the cell's last statement is an ``exercises.check(...)`` expression (whose
    value the notebook then displays)."""
    import ast

    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    last = body[-1] if body else None
    return (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and isinstance(last.value.func, ast.Attribute)
        and last.value.func.attr == "check"
        and isinstance(last.value.func.value, ast.Name)
        and last.value.func.value.id == "exercises"
    )


def _papermill_parameters(path: Path) -> list[str]:
    """Parameter names as papermill reads them from the cell tagged 'parameters' (a line it
    cannot parse is skipped, and setting that parameter from a profile then prints a false
    'unknown parameter' warning)."""
    import logging

    import papermill as pm

    logger = logging.getLogger("papermill")
    level = logger.level
    logger.setLevel(logging.ERROR)  # the problem is reported by check(), not as a log line
    try:
        return list(pm.inspect_notebook(str(path)))
    finally:
        logger.setLevel(level)


# ----------------------------------------------------------------------------- site


def _mathjax_dir() -> Path:
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).parent / "static"


CONF_PY = """\
project = {title!r}
author = "The course authors"
copyright = "the course authors; text and figures CC BY 4.0, code MIT"
extensions = ["myst_nb"]
html_theme = "sphinx_book_theme"
html_title = {short!r}
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_theme_options = {{"show_toc_level": 2, "use_download_button": True}}
nb_execution_mode = "off"
nb_mime_priority_overrides = [("html", {record!r}, None)]
# Markdown that cells display (course map, readings) is parsed like the lessons' own text:
# the default, CommonMark, has no tables
nb_render_markdown_format = "myst"
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML"
exclude_patterns = ["_build"]
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header", "misc.highlighting_failure"]
"""

COURSE_CSS = """
figure.course-figure figcaption { font-size: 0.92em; color: #333; }
.course-check { border-radius: 3px; background: #f7f7f7; }
/* wide tables scroll inside their output instead of widening the page */
div.cell_output .output { overflow-x: auto; max-width: 100%; }
div.cell_output table { font-size: 0.85em; }
div.cell_output table caption { caption-side: top; font-weight: 600; text-align: left; }
/* long URLs in reference lists wrap instead of widening the page */
article.bd-article li, article.bd-article a { overflow-wrap: anywhere; }
"""


WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = {
    "output_type": "display_data",
    "metadata": {},
    "data": {
        "text/html": '<p class="course-widget-note"><em>Interactive controls appear here when you '
        "run the lesson in JupyterLab; the figure above shows the default settings.</em></p>",
        "text/plain": "(interactive controls: run the lesson in JupyterLab)",
    },
}


def _site_notebook(nb: dict) -> dict:
    """Prepare an executed notebook for the site: collapse solutions, drop record outputs,
    and replace live widgets (which would need scripts from the network) by a note."""
    out = copy.deepcopy(nb)
    out.get("metadata", {}).pop("widgets", None)
    for c in out["cells"]:
        if c["cell_type"] != "code":
            continue
        if SOLUTION_TAG in _tags(c):
            c.setdefault("metadata", {}).setdefault("tags", []).append("hide-input")
        kept = []
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if RECORD_MIME in data:
                continue
            kept.append(copy.deepcopy(WIDGET_NOTE) if WIDGET_MIME in data else o)
        c["outputs"] = kept
    return out


def site(
    profile: str = "default",
    executed_dir: Path | None = None,
    out_dir: Path | None = None,
    quiet: bool = True,
    manifest: Manifest | None = None,
) -> Path:
    """Build the HTML course site (Sphinx + myst-nb, offline) from executed notebooks."""
    from helpers import cite, data

    manifest = manifest or load_manifest()
    manifest.overrides(profile, "00")
    executed = Path(executed_dir or BUILD / "executed" / profile)
    missing = [les.file for les in manifest.lessons if not (executed / les.file).exists()]
    if missing:
        raise CourseError(
            f"not executed yet for profile {profile!r}: {', '.join(missing)}; "
            f"run `python -m helpers.course run --profile {profile}` first"
        )
    src = BUILD / "site-src"
    if src.exists():
        shutil.rmtree(src)
    (src / "lessons").mkdir(parents=True)
    (src / "_static").mkdir()
    shutil.copytree(_mathjax_dir(), src / "_static" / "mathjax")
    (src / "_static" / "course.css").write_text(COURSE_CSS, encoding="utf-8")
    (src / "conf.py").write_text(
        CONF_PY.format(title=manifest.title, short=manifest.short_title, record=RECORD_MIME),
        encoding="utf-8",
    )
    for les in manifest.lessons:
        write_nb(_site_notebook(read_nb(executed / les.file)), src / "lessons" / les.file)
    toc = "\n".join(f"lessons/{les.stem}" for les in manifest.lessons)
    (src / "index.md").write_text(
        f"# {manifest.title}\n\n"
        f"```{{admonition}} {DISCLAIMER}\n:class: warning\n"
        "These lessons teach pharmacology, sleep physiology, regulation and how to appraise "
        "evidence. They give no dosing or treatment advice. If you or someone you know is "
        "affected by substance use, lesson 00 lists where to find help.\n```\n\n"
        f"{manifest.description}\n\n"
        f"## Course map\n\n{course_map_markdown(manifest)}\n\n"
        f"Executed with the `{profile}` parameter profile.\n\n"
        "## Also here\n\n- [References](references): every source the data cite\n"
        "- [Glossary](glossary): the course's terms\n- [Data dictionary](data): every table and column\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n:caption: Lessons\n:hidden:\n\n{toc}\n```\n\n"
        "```{toctree}\n:maxdepth: 1\n:caption: Reference\n:hidden:\n\nreferences\nglossary\ndata\n```\n",
        encoding="utf-8",
    )
    refs = sorted(cite.entries(), key=lambda k: cite.short(k).lower())
    lines = [
        "# References",
        "",
        "Every source cited in `data/references.bib`, by first author.",
        "",
    ]
    for k in refs:
        url = cite.link(k)
        text = html.escape(cite.full(k), quote=False)
        lines.append(f"- ({{abbr}}`{k}`) {text}" + (f" <{url}>" if url and url not in text else ""))
    (src / "references.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gl = data.load("glossary").sort_values("term", key=lambda s: s.str.lower())
    stems = {les.id: les.stem for les in manifest.lessons}
    glines = [
        "# Glossary",
        "",
        "Terms used in the lessons, with the lesson that introduces them.",
        "",
    ]
    for _, r in gl.iterrows():
        lesson = stems.get(r["lesson"], "")
        glines += [
            f"**{r['term']}**",
            f": {r['definition']} (lesson [{r['lesson']}](lessons/{lesson}); source: {cite.short(r['source'])})",
            "",
        ]
    (src / "glossary.md").write_text("\n".join(glines) + "\n", encoding="utf-8")
    dictionary = data.dictionary_markdown()
    body = dictionary.split("\n", 1)[1]  # the page title replaces the package title
    (src / "data.md").write_text("# Data dictionary\n" + body, encoding="utf-8")
    out = Path(out_dir or BUILD / "html")
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-n", "--keep-going", str(src), str(out)]
    if quiet:
        cmd.insert(3, "-q")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CourseError(f"the site build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    warnings = [ln for ln in proc.stderr.splitlines() if "WARNING" in ln]
    if warnings and not quiet:
        print("\n".join(warnings), file=sys.stderr)
    return out / "index.html"


# ----------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m helpers.course", description="Run and build the course."
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="execute lessons with a parameter profile")
    r.add_argument("--profile", default="default")
    r.add_argument(
        "--only",
        nargs="+",
        action="extend",  # --only 01 --only 04 runs both, as --only 01 04 does
        metavar="LESSON",
        help="lesson ids (e.g. 01 04) or file names",
    )
    r.add_argument("--jobs", type=int, default=2)
    r.add_argument("--learner", action="store_true", help="execute the learner edition instead")
    s = sub.add_parser("site", help="build the HTML site from executed notebooks")
    s.add_argument("--profile", default="default")
    sub.add_parser("student", help="write the learner edition to _build/student/")
    sub.add_parser("check", help="hygiene checks of the lesson sources")
    sub.add_parser("list", help="lessons and profiles")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "run":
            results = run(args.profile, args.only, args.jobs, learner=args.learner)
            print(summary_table(results))
            for res in results:
                if res.status != "ok":
                    print(
                        f"\nlesson {res.lesson.id} ({res.lesson.file}) {res.error}", file=sys.stderr
                    )
            where = BUILD / "executed" / ("student" if args.learner else args.profile)
            print(f"executed notebooks: {where}")
            return 0 if all(r.status == "ok" for r in results) else 1
        if args.cmd == "site":
            index = site(args.profile, quiet=False)
            print(f"course site built: open {index}")
            return 0
        if args.cmd == "student":
            paths = student()
            print(f"learner edition: {len(paths)} lessons in {paths[0].parent}")
            return 0
        if args.cmd == "check":
            problems = check()
            for p in problems:
                print(f"- {p}")
            print("hygiene: ok" if not problems else f"hygiene: {len(problems)} problem(s)")
            return 1 if problems else 0
        if args.cmd == "list":
            m = load_manifest()
            for les in m.lessons:
                print(f"{les.id}  {les.title} ({les.minutes} min)  {les.file}")
            print(
                "profiles: "
                + ", ".join(f"{k} ({v.get('description', '')})" for k, v in m.profiles.items())
            )
            return 0
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
