"""Citations from ``data/references.bib``: short in-text forms and a reference list.

``cite("tanna2023")`` returns "Tanna et al. 2023" and remembers the key, so that
``bibliography()`` at the end of a lesson lists exactly the sources the lesson used.
Parsing uses pybtex. The parsed bibliography is compiled once to plain text (short form,
full reference and link of every key) and kept as JSON under ``_build/cache/references``,
one file per checksum of the .bib file, so a lesson's kernel reads a small JSON file instead
of parsing BibTeX. Set COURSE_DATA_CACHE=off to compile on every first use.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from helpers import DATA_DIR, ROOT, cache_enabled, write_atomically

BIB_FILE = "references.bib"
_USED: list[str] = []


class CitationError(KeyError):
    """An unknown reference key."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0])


@lru_cache(maxsize=4)
def _entries(path: str, mtime: float):
    from pybtex.database import parse_file

    return parse_file(path, bib_format="bibtex").entries


def entries(data_dir: Path | None = None):
    """All bibliography entries (pybtex Entry objects) keyed by citation key."""
    path = Path(data_dir or DATA_DIR) / BIB_FILE
    return _entries(str(path), path.stat().st_mtime)


@lru_cache(maxsize=4096)
def _clean(text: str) -> str:
    """BibTeX text → plain Unicode (LaTeX accents decoded with latexcodec, braces removed)."""
    import codecs

    import latexcodec  # noqa: F401  (registers the "ulatex" codec; a pybtex dependency)

    text = (text or "").replace("---", "—").replace("--", "–")  # TeX em and en dashes
    try:
        text = codecs.decode(text, "ulatex")
    except ValueError:
        pass
    return re.sub(r"[{}]", "", text).replace("\\&", "&").strip()


def _is_others(person) -> bool:
    """BibTeX's 'and others' marks a truncated author list."""
    return " ".join(person.last_names).strip().lower() == "others"


def _last_names(entry) -> list[str]:
    people = entry.persons.get("author", [])
    if people:
        names = [_clean(" ".join(p.last_names)) for p in people if not _is_others(p)]
        if any(_is_others(p) for p in people):
            names.append("et al.")
        return names
    org = (
        entry.fields.get("organization")
        or entry.fields.get("institution")
        or entry.fields.get("publisher")
    )
    return [_clean(org)] if org else []


def _title_words(e, n: int = 4) -> str:
    """The first ``n`` words of an entry's title, for a source without author (APA style puts
    the title where the author would be)."""
    title = _clean(e.fields.get("title", "untitled"))
    described = title.startswith("[") and title.endswith("]")  # a description, not a title
    words = title.strip("[]").split()
    short = " ".join(words[:n]).rstrip(",.:;") + ("…" if len(words) > n else "")
    return f"[{short}]" if described else f"“{short}”"


def short(key: str) -> str:
    """'Author Year', 'Author & Author Year' or 'Author et al. Year' (no tracking).

    Sources that would read the same get a, b, … after the year, in order of their keys.
    """
    return _compiled(key)["short"]


def keys() -> set[str]:
    """Every citation key in the bibliography."""
    return set(_index())


#: Where compiled bibliographies are kept across processes (see the module docstring).
INDEX_DIR = ROOT / "_build" / "cache" / "references"


def _index() -> dict[str, dict[str, str]]:
    path = Path(DATA_DIR) / BIB_FILE
    return _index_cached(str(path), path.stat().st_mtime)


def _compiled(key: str) -> dict[str, str]:
    index = _index()
    if key not in index:
        raise CitationError(f"unknown reference key {key!r}: add it to data/{BIB_FILE}")
    return index[key]


#: Changes whenever the compiled text changes, so that cache files of an older format are
#: not read (it is part of each cache file's checksum).
_FORMAT = "4: letters in full references; no author: title (or bracketed description) first"


@lru_cache(maxsize=4)
def _index_cached(path: str, mtime: float) -> dict[str, dict[str, str]]:
    """Key → short form, full reference and link, from the cache file or compiled now."""
    checksum = hashlib.sha256(Path(path).read_bytes() + _FORMAT.encode()).hexdigest()
    cache = INDEX_DIR / f"{checksum}.json" if cache_enabled() else None
    if cache is not None and cache.exists():
        try:
            return json.loads(cache.read_text(encoding="utf-8"))
        except ValueError:  # a damaged cache file is compiled again below
            pass
    ents = _entries(path, mtime)
    bases = {k: _short_base(ents[k]) for k in sorted(ents)}
    groups: dict[str, list[str]] = {}
    for k, base in bases.items():
        groups.setdefault(base, []).append(k)
    index = {}
    for k, base in bases.items():
        twins = groups[base]
        suffix = "abcdefghijklmnopqrstuvwxyz"[twins.index(k)] if len(twins) > 1 else ""
        index[k] = {
            "short": base + suffix,
            "full": _full(ents[k], suffix),
            "link": _link(ents[k]),
        }
    if cache is not None:
        write_atomically(cache, json.dumps(index, ensure_ascii=False))
    return index


def _short_base(e) -> str:
    names = _last_names(e)
    year = e.fields.get("year", "n.d.")
    if not names:  # no author and no organisation: the title stands in (APA style)
        return f"{_title_words(e)} {year}"
    if len(names) == 1:
        who = names[0]
    elif names[-1] == "et al.":
        who = f"{names[0]} et al."
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who} {year}"


def cite(*keys: str) -> str:
    """Short citation(s) for ``keys``, remembered for :func:`bibliography`."""
    out = []
    for key in keys:
        for k in [s.strip() for s in str(key).split(";") if s.strip()]:
            out.append(short(k))
            if k not in _USED:
                _USED.append(k)
    return "; ".join(out)


def use(keys) -> None:
    """Remember keys (e.g. a table's ``source`` column) for the bibliography, without text."""
    for key in keys:
        cite(key)


def link(key: str) -> str:
    """The best link for a source: DOI, then PubMed, then URL (empty if none)."""
    return _compiled(key)["link"]


def _link(e) -> str:
    f = e.fields
    if f.get("doi"):
        return f"https://doi.org/{f['doi']}"
    if f.get("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{f['pmid']}/"
    return f.get("url", "")


def full(key: str) -> str:
    """A full reference in plain text (authors, year, title, container, identifiers)."""
    return _compiled(key)["full"]


def _full(e, suffix: str = "") -> str:
    """Authors (year + ``suffix``, the letter that tells apart sources citing alike), title,
    container and identifiers."""
    f = e.fields
    people = [p for p in e.persons.get("author", []) if not _is_others(p)]
    truncated = len(people) < len(e.persons.get("author", []))
    if people:
        names = [
            _clean(" ".join(p.last_names))
            + " "
            + "".join(n[0] for n in p.first_names + p.middle_names if n)
            for p in people
        ]
        authors = ", ".join(" ".join(n.split()) for n in names[:6])
        authors += ", et al." if len(names) > 6 or truncated else ""
    else:
        names = _last_names(e)
        if not names:  # no author: the title takes the author's place, and is not repeated
            parts = [f"{_clean(f.get('title', 'Untitled'))} ({f.get('year', 'n.d.')}{suffix})."]
            return " ".join(parts + _container_and_ids(f))
        authors = names[0]
    parts = [f"{authors} ({f.get('year', 'n.d.')}{suffix}). {_clean(f.get('title', ''))}."]
    return " ".join(parts + _container_and_ids(f))


def _container_and_ids(f) -> list[str]:
    """Journal (volume:pages) and identifiers of a reference, as sentences."""
    parts = []
    container = (
        f.get("journal") or f.get("booktitle") or f.get("publisher") or f.get("organization") or ""
    )
    if container:
        vol = f.get("volume", "")
        pages = f.get("pages", "").replace("--", "–")
        extra = (f" {vol}" if vol else "") + (f":{pages}" if pages else "")
        parts.append(f"{_clean(container)}{extra}.")
    ids = []
    if f.get("doi"):
        ids.append(f"doi:{f['doi']}")
    if f.get("pmid"):
        ids.append(f"PMID {f['pmid']}")
    if f.get("url") and not f.get("doi"):
        ids.append(f["url"])
    if f.get("urldate"):
        ids.append(f"accessed {f['urldate']}")
    if ids:
        parts.append("; ".join(ids) + ".")
    return parts


def used() -> list[str]:
    """Keys cited so far in this kernel, in order of first use."""
    return list(_USED)


def reset() -> None:
    _USED.clear()


def bibliography(keys=None):
    """A Markdown reference list of ``keys`` (default: every key cited in this kernel)."""
    from IPython.display import Markdown

    keys = list(keys) if keys is not None else used()
    if not keys:
        return Markdown("_No sources were cited._")
    lines = []
    for k in sorted(set(keys), key=lambda k: short(k).lower()):
        url = link(k)
        text = full(k)
        lines.append(f"- {text}" + (f" [{url}]({url})" if url and url not in text else ""))
    return Markdown("\n".join(lines))
