"""Load the course's cited data tables, validated against ``data/datapackage.json``.

Every literature value in the course lives in one row of one CSV in ``data/``. The
Frictionless Data Package descriptor says, for each table, what every column means, its
type, unit and constraints. :func:`load` validates a table with the ``frictionless``
library before returning it, so a malformed file stops with an error naming the file, the
row and the column instead of producing a silent wrong plot.

Command line (used when adding a table)::

    python -m helpers.data register data/_new/my_table.resource.json   # add or replace one resource
    python -m helpers.data validate [NAME ...]                         # validate tables
    python -m helpers.data dictionary                                  # rewrite data/README.md
"""

from __future__ import annotations

import argparse
import copy
import fcntl
import hashlib
import json
import pickle
import sys
from collections.abc import Iterable
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers import DATA_DIR, ROOT, cache_enabled, write_atomically

DESCRIPTOR = "datapackage.json"

#: Columns every table must carry (see data/README.md).
PROVENANCE_COLUMNS = ("source", "verified")
VERIFIED_VALUES = ("primary", "secondary")


class DataError(ValueError):
    """A data file does not match its descriptor (the message names file, row and column)."""


# ----------------------------------------------------------------------------- descriptor


def _descriptor_path(data_dir: Path | None = None) -> Path:
    return Path(data_dir or DATA_DIR) / DESCRIPTOR


def descriptor(data_dir: Path | None = None) -> dict:
    """The parsed Data Package descriptor (a copy; the file is re-read only when it changes)."""
    return copy.deepcopy(_package(data_dir)[0])


def _package(data_dir: Path | None = None) -> tuple[dict, dict[str, tuple[dict, str]]]:
    """The cached descriptor and, per resource name, (resource, its canonical JSON)."""
    path = _descriptor_path(data_dir)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise DataError(f"{path}: the data package descriptor is missing") from None
    return _parse_descriptor(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _parse_descriptor(path: str, mtime_ns: int, size: int):
    try:
        pkg = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON ({exc})") from None
    index = {r["name"]: (r, json.dumps(r, sort_keys=True)) for r in pkg.get("resources", [])}
    return pkg, index


def _resource_and_json(name: str, data_dir: Path | None = None) -> tuple[dict, str]:
    index = _package(data_dir)[1]
    if name not in index:
        allowed = ", ".join(sorted(index)) or "(none)"
        raise DataError(f"unknown data table {name!r}; the tables are: {allowed}")
    return index[name]


def _resource(name: str, data_dir: Path | None = None) -> dict:
    """One resource descriptor (shared with the cache: read it, do not change it)."""
    return _resource_and_json(name, data_dir)[0]


def tables(data_dir: Path | None = None) -> pd.DataFrame:
    """Every table in the package: name, title, description, rows file and field count."""
    rows = [
        {
            "name": r["name"],
            "title": r.get("title", ""),
            "description": r.get("description", ""),
            "path": r["path"],
            "fields": len(r.get("schema", {}).get("fields", [])),
        }
        for r in _package(data_dir)[0].get("resources", [])
    ]
    return pd.DataFrame(rows, columns=["name", "title", "description", "path", "fields"])


def fields(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """The schema of one table: field name, type, unit and description."""
    res = _resource(name, data_dir)
    return pd.DataFrame(
        [
            {
                "field": f["name"],
                "type": f.get("type", "string"),
                "unit": f.get("unit", ""),
                "description": f.get("description", ""),
            }
            for f in res["schema"]["fields"]
        ]
    )


# ----------------------------------------------------------------------------- validation


def _format_error(path: Path, err) -> str:
    """One frictionless error as 'file, row N, column C: message'."""
    where = [str(path.relative_to(path.parents[1]) if len(path.parents) > 1 else path)]
    row = getattr(err, "row_number", None)
    if row is not None:
        where.append(f"row {row}")
    field = getattr(err, "field_name", None)
    if field:
        where.append(f"column {field!r}")
    cell = getattr(err, "cell", None)
    note = getattr(err, "note", "") or err.message
    detail = f"{note}" + (f" (value {cell!r})" if cell not in (None, "") else "")
    return f"{', '.join(where)}: {err.type}: {detail}"


def validate(name: str, data_dir: Path | None = None) -> None:
    """Validate one table with frictionless; raise :class:`DataError` on the first problems."""
    from frictionless import Resource, Schema  # imported lazily: only needed to validate

    data_dir = Path(data_dir or DATA_DIR)
    res = _resource(name, data_dir)
    path = data_dir / res["path"]
    if not path.exists():
        raise DataError(f"{path}: file of table {name!r} is missing")
    header = path.read_text(encoding="utf-8").splitlines()[:1]
    declared = [f["name"] for f in res["schema"]["fields"]]
    given = header[0].split(",") if header else []
    unknown = [c for c in given if c not in declared]
    missing = [c for c in declared if c not in given]
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(f"unknown column(s) {unknown}")
        if missing:
            parts.append(f"missing column(s) {missing}")
        raise DataError(f"{path}: {'; '.join(parts)}; the descriptor declares {declared}")
    schema = Schema.from_descriptor(res["schema"])
    resource = Resource(
        path=res["path"], basepath=str(data_dir), schema=schema, format="csv", encoding="utf-8"
    )
    report = resource.validate()
    if not report.valid:
        task = report.tasks[0]
        structural = ("missing-cell", "extra-cell", "blank-row", "source-error", "encoding-error")
        errors = sorted(task.errors, key=lambda e: e.type not in structural)  # stable
        messages = [_format_error(path, e) for e in errors[:5]]
        more = len(task.errors) - len(messages)
        if more > 0:
            messages.append(f"... and {more} more error(s)")
        raise DataError("invalid data:\n  " + "\n  ".join(messages))
    for col in PROVENANCE_COLUMNS:
        if col not in declared:
            raise DataError(f"{path}: every table needs a {col!r} column")


def _checksum(path: Path, res_json: str) -> str:
    h = hashlib.sha256(path.read_bytes())
    h.update(res_json.encode())
    return h.hexdigest()


_VALIDATED: dict[str, str] = {}

#: Where validated content is remembered across processes (one empty file per checksum of a
#: file's bytes and its schema), so that each version of a table is validated once, not in
#: every lesson's kernel. Set COURSE_DATA_CACHE=off to validate on every first load.
CACHE_DIR = ROOT / "_build" / "cache" / "validated"


def _cache_marker(checksum: str) -> Path | None:
    if not cache_enabled():
        return None
    return CACHE_DIR / checksum


def _remember_valid(marker: Path | None) -> None:
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:  # read-only checkout: validate again next time
        pass


_PANDAS_TYPES = {
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
    "string": "string",
}


#: Where typed tables are kept across processes, as pickles named by the checksum of the
#: file and its schema, the pandas version and this module's source (the parser and its
#: type mapping): a lesson's kernel unpickles a table in a tenth of the time it takes to
#: parse and type the CSV. A changed file, schema, pandas or parser gets a new name; an
#: unreadable pickle is parsed again. Off with COURSE_DATA_CACHE=off, like the validation
#: cache.
FRAME_CACHE_DIR = ROOT / "_build" / "cache" / "frames"


@lru_cache(maxsize=1)
def _parser_version() -> str:
    """The pandas version and this module's source, hashed once per process."""
    h = hashlib.sha256(pd.__version__.encode())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def _frame_cache(checksum: str) -> Path | None:
    if not cache_enabled():
        return None
    key = hashlib.sha256(f"{checksum} {_parser_version()}".encode()).hexdigest()
    return FRAME_CACHE_DIR / f"{key}.pkl"


@lru_cache(maxsize=64)
def _read(path: str, checksum: str, res_json: str) -> pd.DataFrame:
    """The typed table of a validated file: from the frame cache, else parsed (and cached)."""
    cached = _frame_cache(checksum)
    if cached is not None and cached.exists():
        try:
            return pickle.loads(cached.read_bytes())
        except Exception:  # noqa: BLE001 - a damaged or foreign pickle is parsed again
            pass
    df = _parse_csv(path, res_json)
    if cached is not None:
        write_atomically(cached, pickle.dumps(df, protocol=pickle.HIGHEST_PROTOCOL))
    return df


def _parse_csv(path: str, res_json: str) -> pd.DataFrame:
    res = json.loads(res_json)
    dtypes, dates, bools = {}, [], []
    for f in res["schema"]["fields"]:
        t = f.get("type", "string")
        if t in ("date", "datetime"):
            dates.append(f["name"])
            dtypes[f["name"]] = "string"
        elif t == "boolean":
            bools.append(f["name"])
            dtypes[f["name"]] = "string"
        else:
            dtypes[f["name"]] = _PANDAS_TYPES.get(t, "string")
    df = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    for c in dates:
        df[c] = pd.to_datetime(df[c], format="ISO8601")
    for c in bools:
        df[c] = df[c].map({"true": True, "false": False}).astype("boolean")
    return df


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load table ``name`` from ``data/`` as a typed DataFrame, validated against its schema.

    Integers become nullable ``Int64``, numbers ``float64``, dates ``datetime64``; empty
    cells are missing values. A file is validated (with frictionless) the first time it is
    loaded in a process and again whenever its content or schema changes.

    Raises
    ------
    DataError
        unknown table (the message lists the tables), missing file, unknown or missing
        column, wrong type, out-of-range or non-allowed value (the message names the file,
        the row and the column).
    """
    path, checksum, res_json = _valid_file(name, data_dir)
    return _read(str(path), checksum, res_json).copy()


def _valid_file(name: str, data_dir: Path | None = None) -> tuple[Path, str, str]:
    """Path, checksum and resource JSON of table ``name``, validated as :func:`load` says."""
    data_dir = Path(data_dir or DATA_DIR)
    res, res_json = _resource_and_json(name, data_dir)
    path = data_dir / res["path"]
    if not path.exists():
        raise DataError(f"{path}: file of table {name!r} is missing")
    checksum = _checksum(path, res_json)
    key = f"{path}"
    if _VALIDATED.get(key) != checksum:
        marker = _cache_marker(checksum)
        if marker is None or not marker.exists():
            validate(name, data_dir)
            _remember_valid(marker)
        _VALIDATED[key] = checksum
    return path, checksum, res_json


def provenance(data_dir: Path | None = None) -> pd.DataFrame:
    """Every table's row count and how many rows were verified in a primary or a secondary
    source (its ``verified`` column; 0 and 0 for a table without one).

    Each table is validated as by :func:`load`, then only counted (no typed DataFrame is
    built), so the whole package is summarised in a few milliseconds.
    """
    import csv

    rows = []
    for name in tables(data_dir)["name"]:
        path, _, _ = _valid_file(name, data_dir)
        with open(path, newline="", encoding="utf-8") as fh:
            verified = [r.get("verified") for r in csv.DictReader(fh)]
        rows.append(
            {
                "table": name,
                "rows": len(verified),
                "primary (rows)": verified.count("primary"),
                "secondary (rows)": verified.count("secondary"),
            }
        )
    return pd.DataFrame(rows, columns=["table", "rows", "primary (rows)", "secondary (rows)"])


def row(name: str, **match) -> pd.Series:
    """The single row of table ``name`` whose columns equal ``match`` (error if 0 or >1)."""
    df = load(name)
    mask = pd.Series(True, index=df.index)
    for col, value in match.items():
        if col not in df.columns:
            raise DataError(f"table {name!r} has no column {col!r}; columns: {list(df.columns)}")
        mask &= df[col] == value
    hits = df[mask]
    if len(hits) != 1:
        raise DataError(f"table {name!r}: {len(hits)} rows match {match}, expected exactly 1")
    return hits.iloc[0]


# ----------------------------------------------------------------------------- maintenance


@contextmanager
def _locked(path: Path):
    lock = path.with_suffix(path.suffix + ".lock")
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    lock.unlink(missing_ok=True)


def register(resources: Iterable[dict], data_dir: Path | None = None) -> list[str]:
    """Add (or replace, by name) resource descriptors in datapackage.json, under a file lock."""
    path = _descriptor_path(data_dir)
    with _locked(path):
        pkg = json.loads(path.read_text(encoding="utf-8"))
        by_name = {r["name"]: r for r in pkg.get("resources", [])}
        names = []
        for r in resources:
            by_name[r["name"]] = r
            names.append(r["name"])
        pkg["resources"] = sorted(by_name.values(), key=lambda r: r["name"])
        path.write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return names


def dictionary_markdown(data_dir: Path | None = None) -> str:
    """The data dictionary (data/README.md) generated from the descriptor."""
    pkg = descriptor(data_dir)
    out = [
        f"# {pkg.get('title', 'Data')}",
        "",
        "<!-- Generated by `python -m helpers.data dictionary` from datapackage.json: edit the descriptor, not this file. -->",
        "",
        pkg.get("description", ""),
        "",
        "## Tables",
        "",
        "| table | file | title |",
        "|---|---|---|",
    ]
    for r in pkg["resources"]:
        out.append(
            f"| [`{r['name']}`](#{r['name'].replace('_', '-')}) | `{r['path']}` | {r.get('title', '')} |"
        )
    for r in pkg["resources"]:
        out += [
            "",
            f"## {r['name']}",
            "",
            f"**{r.get('title', '')}** (`{r['path']}`)",
            "",
            r.get("description", ""),
            "",
        ]
        srcs = r.get("sources", [])
        if srcs:
            out.append("Sources: " + "; ".join(s.get("title", "") for s in srcs))
            out.append("")
        out += ["| field | type | unit | constraints | description |", "|---|---|---|---|---|"]
        for f in r["schema"]["fields"]:
            cons = ", ".join(f"{k}={v}" for k, v in f.get("constraints", {}).items())
            desc = f.get("description", "").replace("|", "\\|").replace("\n", " ")
            cons = cons.replace("|", "\\|")
            out.append(
                f"| `{f['name']}` | {f.get('type', 'string')} | {f.get('unit', '')} | {cons} | {desc} |"
            )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers.data", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser(
        "register", help="add or replace resources from JSON files (one resource or a list each)"
    )
    r.add_argument("files", nargs="+", type=Path)
    v = sub.add_parser("validate", help="validate tables (all when none is named)")
    v.add_argument("names", nargs="*")
    sub.add_parser("dictionary", help="rewrite data/README.md from the descriptor")
    sub.add_parser("list", help="list the tables")
    args = ap.parse_args(argv)
    if args.cmd == "register":
        resources = []
        for f in args.files:
            obj = json.loads(f.read_text(encoding="utf-8"))
            resources += obj if isinstance(obj, list) else [obj]
        print("registered:", ", ".join(register(resources)))
    elif args.cmd == "validate":
        names = args.names or list(tables()["name"])
        bad = 0
        for n in names:
            try:
                validate(n)
                print(f"ok       {n}")
            except DataError as exc:
                bad += 1
                print(f"INVALID  {n}: {exc}")
        return 1 if bad else 0
    elif args.cmd == "dictionary":
        (DATA_DIR / "README.md").write_text(dictionary_markdown(), encoding="utf-8")
        print(f"wrote {DATA_DIR / 'README.md'}")
    elif args.cmd == "list":
        with pd.option_context("display.max_colwidth", 80, "display.width", 200):
            print(tables()[["name", "title"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
