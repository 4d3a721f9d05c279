"""Every lesson in a real JupyterLab: run all cells, no errors, every figure rendered."""

from __future__ import annotations

import pytest

from helpers import manifest

LESSONS = manifest.load_manifest().lessons


def _run_all(page, base, token, path):
    page.goto(f"{base}/lab/tree/{path}?reset&token={token}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_selector(
        ".jp-Notebook-ExecutionIndicator[data-status='idle'], .jp-DebuggerBugButton, .jp-KernelStatus",
        timeout=60_000,
    )
    page.wait_for_timeout(1500)  # kernel connection settles
    page.click(".jp-Notebook")
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
    # finished when no cell is queued or running ([*]) and the last cell has run
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
            return prompts.length > 0 && prompts.every(t => !t.includes('*')) && /\\[\\d+\\]/.test(prompts[prompts.length - 1]);
        }""",
        timeout=180_000,
        polling=500,
    )


@pytest.mark.parametrize("lesson", LESSONS, ids=[les.id for les in LESSONS])
def test_lesson_runs_in_jupyterlab(page, lab, shots, lesson):
    base, token = lab
    _run_all(page, base, token, f"notebooks/{lesson.file}")
    errors = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_inner_texts()
    tracebacks = [e for e in errors if "Traceback" in e or "Error" in e.split("\n")[0]]
    assert not tracebacks, tracebacks[:2]
    figures = page.locator("figure.course-figure img")
    n = figures.count()
    if lesson.id != "00":
        assert n >= 1, f"lesson {lesson.id} shows no figure"
    for i in range(n):
        img = figures.nth(i)
        img.scroll_into_view_if_needed()
        assert img.evaluate("el => el.complete && el.naturalWidth > 0"), (
            f"figure {i} did not render"
        )
        assert img.get_attribute("alt"), f"figure {i} has no alt text"
    checks = page.locator(".course-check").count()
    assert checks >= 1, "the self-checks are shown"
    page.screenshot(path=str(shots / f"lab_{lesson.stem}.png"), full_page=False)


def test_an_interactive_control_redraws_its_figure(page, lab, shots):
    base, token = lab
    with_widgets = [les for les in LESSONS if les.id in ("01", "04")]
    if not with_widgets:
        pytest.skip("no lesson with an interactive explorer yet")
    lesson = with_widgets[0]
    _run_all(page, base, token, f"notebooks/{lesson.file}")
    dropdown = page.locator(".widget-dropdown select").first
    dropdown.scroll_into_view_if_needed()
    image = page.locator(".jupyter-widgets img, .widget-image").first
    before = image.get_attribute("src")
    n_options = dropdown.evaluate("el => el.options.length")
    assert n_options >= 2, "the explorer offers a choice"
    current = dropdown.evaluate("el => el.selectedIndex")
    dropdown.select_option(index=(current + 1) % n_options)
    page.wait_for_function(
        "(b) => { const i = document.querySelector('.jupyter-widgets img, .widget-image'); return i && i.src !== b; }",
        arg=before,
        timeout=20_000,
    )
    page.screenshot(path=str(shots / f"lab_{lesson.stem}_explorer.png"))
