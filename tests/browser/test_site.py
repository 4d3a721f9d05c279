"""The built course site in a real browser: pages, links, images, alt text, accessibility."""

from __future__ import annotations

from urllib.parse import urljoin, urlparse

from helpers import manifest

LESSONS = manifest.load_manifest().lessons


def test_every_page_loads_with_working_links_and_images(page, site_url, shots):
    base, html_dir = site_url
    page.goto(f"{base}/index.html")
    assert "Course map" in page.content()
    pages = ["index.html", "references.html", "glossary.html", "data.html"] + [
        f"lessons/{les.stem}.html" for les in LESSONS
    ]
    broken, no_alt, unrendered, too_wide = [], [], [], []
    for rel in pages:
        resp = page.goto(f"{base}/{rel}")
        assert resp and resp.ok, f"{rel} did not load"
        width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if width[0] > width[1] + 2:
            too_wide.append(f"{rel}: {width[0]} px wide in a {width[1]} px window")
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            url = urlparse(urljoin(f"{base}/{rel}", href))
            if url.scheme in ("http", "https") and url.netloc == urlparse(base).netloc:
                target = html_dir / url.path.lstrip("/")
                if url.path.endswith("/"):
                    target = target / "index.html"
                if not target.exists():
                    broken.append(f"{rel} → {href}")
        imgs = page.locator("img")
        for i in range(imgs.count()):
            img = imgs.nth(i)
            if not (img.get_attribute("alt") or "").strip():
                no_alt.append(f"{rel} img {i}")
            img.scroll_into_view_if_needed()
            if not img.evaluate("el => el.complete && el.naturalWidth > 0"):
                unrendered.append(f"{rel} img {i}")
        page.screenshot(path=str(shots / f"site_{rel.replace('/', '_').replace('.html', '')}.png"))
    assert not broken, broken[:10]
    assert not no_alt, no_alt[:10]
    assert not unrendered, unrendered[:10]
    assert not too_wide, too_wide


def test_no_serious_accessibility_violations(page, site_url):
    from axe_playwright_python.sync_playwright import Axe

    base, _ = site_url
    axe = Axe()
    problems = []
    for rel in ["index.html"] + [f"lessons/{les.stem}.html" for les in LESSONS]:
        page.goto(f"{base}/{rel}")
        results = axe.run(page)
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(
                    f"{rel}: {v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)"
                )
    assert not problems, "\n".join(problems)
