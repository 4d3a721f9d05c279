"""The data package as a whole: valid, cited, traceable, and loud when broken."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from helpers import DATA_DIR, cite, data

TABLES = list(data.tables()["name"])
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
KEY_COLUMNS = re.compile(r"^(source|\w+_source|\w*source_keys?)$")


def _keys(df: pd.DataFrame) -> set[str]:
    keys: set[str] = set()
    for col in df.columns:
        if KEY_COLUMNS.match(col):
            for v in df[col].dropna():
                keys |= {k.strip() for k in str(v).split(";") if k.strip()}
    return keys


def test_frictionless_validates_the_whole_package():
    from frictionless import Package

    report = Package(str(DATA_DIR / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "note"])[:10]


def test_every_resource_is_described():
    pkg = data.descriptor()
    for r in pkg["resources"]:
        assert r.get("title") and r.get("description"), r["name"]
        assert r.get("sources") and r.get("licenses"), r["name"]
        for f in r["schema"]["fields"]:
            assert f.get("description"), f"{r['name']}.{f['name']} lacks a description"
            assert f.get("type"), f"{r['name']}.{f['name']} lacks a type"
    csvs = {p.name for p in DATA_DIR.glob("*.csv")}
    assert csvs == {r["path"] for r in pkg["resources"]}, "every CSV is a resource and vice versa"


@pytest.mark.parametrize("name", TABLES)
def test_every_row_says_where_it_comes_from(name):
    df = data.load(name)
    for col in ("source", "verified", "where"):
        assert col in df.columns, f"{name} lacks a {col!r} column"
    assert df["source"].notna().all(), f"{name}: rows without a source"
    assert df["verified"].isin(["primary", "secondary"]).all(), (
        f"{name}: verified must be primary/secondary"
    )
    assert not df.duplicated().any(), f"{name}: duplicate rows"


def test_every_source_key_resolves_and_every_reference_is_used():
    bib = set(cite.entries())
    used: set[str] = set()
    for name in TABLES:
        keys = _keys(data.load(name))
        unknown = keys - bib
        assert not unknown, f"{name}: unknown reference keys {sorted(unknown)}"
        used |= keys
    unused = bib - used
    assert not unused, f"references.bib entries no table cites: {sorted(unused)}"


def test_references_are_complete_and_identifiers_well_formed():
    for key, entry in cite.entries().items():
        f = entry.fields
        assert f.get("title"), f"{key}: no title"
        assert f.get("year"), f"{key}: no year"
        if f.get("organization") == "Course authors":  # the course's own search logs
            assert "in this course" in f.get("howpublished", ""), (
                f"{key}: say which data file holds it"
            )
        else:
            assert f.get("doi") or f.get("pmid") or f.get("url"), f"{key}: no DOI, PMID or URL"
        if f.get("doi"):
            assert DOI.match(f["doi"]), f"{key}: malformed DOI {f['doi']!r}"
        if f.get("pmid"):
            assert f["pmid"].isdigit(), f"{key}: malformed PMID {f['pmid']!r}"


@pytest.mark.parametrize(
    "name", [t for t in TABLES if {"date", "as_of"} <= set(data.load(t).columns)]
)
def test_dated_rows_were_checked_after_the_date_they_describe(name):
    df = data.load(name)
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert (df["as_of"] >= df["date"]).all(), f"{name}: as_of before date"
    if "date_precision" in df:
        assert df["date_precision"].isin(["day", "month", "year"]).all()


def test_tables_lists_every_table_with_a_description():
    t = data.tables()
    assert set(t["name"]) == set(TABLES) and (t["description"].str.len() > 20).all()


def test_provenance_counts_agree_with_the_typed_tables():
    prov = data.provenance().set_index("table")
    assert list(prov.index) == list(data.tables()["name"])
    for name in prov.index:
        t = data.load(name)
        verified = t["verified"] if "verified" in t else pd.Series(dtype="string")
        assert prov.loc[name].tolist() == [
            len(t),
            int((verified == "primary").sum()),
            int((verified == "secondary").sum()),
        ], name


def test_provenance_validates_before_counting(broken):
    d = broken(lambda ls: [ls[0], ls[1].replace(",primary,", ",probably,", 1), *ls[2:]])
    with pytest.raises(data.DataError, match="probably"):
        data.provenance(data_dir=d)


def test_data_dictionary_is_current():
    assert (DATA_DIR / "README.md").read_text(encoding="utf-8") == data.dictionary_markdown(), (
        "data/README.md is stale: run `python -m helpers.data dictionary`"
    )


# ---------------------------------------------------------------- corrupted copies


@pytest.fixture
def broken(tmp_path):
    """A copy of data/ and a function that rewrites one line of help_resources.csv."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    path = copy / "help_resources.csv"

    def edit(transform):
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(transform(lines)) + "\n", encoding="utf-8")
        return copy

    return edit


def test_wrong_type_names_file_row_and_column(broken):
    d = broken(lambda ls: [ls[0], ls[1].replace("2026-11-27", "last week", 1), *ls[2:]])
    with pytest.raises(data.DataError) as err:
        data.load("help_resources", data_dir=d)
    msg = str(err.value)
    assert (
        "help_resources.csv" in msg and "row 2" in msg and "'as_of'" in msg and "type-error" in msg
    )


def test_value_outside_the_allowed_set(broken):
    d = broken(lambda ls: [ls[0], ls[1].replace(",primary,", ",probably,", 1), *ls[2:]])
    with pytest.raises(
        data.DataError, match=r"row 2, column 'verified': constraint-error.*'probably'"
    ):
        data.load("help_resources", data_dir=d)


def test_unknown_column(broken):
    d = broken(lambda ls: [ls[0] + ",colour", *[x + ",red" for x in ls[1:]]])
    with pytest.raises(
        data.DataError, match=r"help_resources.csv: unknown column\(s\) \['colour'\]"
    ):
        data.load("help_resources", data_dir=d)


def test_missing_column(broken):
    def drop_last(ls):
        return [x.rsplit(",", 1)[0] for x in ls[:1]] + [x.rsplit(",", 1)[0] for x in ls[1:]]

    d = broken(drop_last)
    with pytest.raises(data.DataError, match=r"missing column\(s\) \['notes'\]"):
        data.load("help_resources", data_dir=d)


def test_missing_required_value(broken):
    d = broken(
        lambda ls: [
            ls[0],
            re.sub(r"^samhsa_helpline,SAMHSA's National Helpline", "samhsa_helpline,", ls[1]),
            *ls[2:],
        ]
    )
    with pytest.raises(data.DataError, match=r"row 2, column 'name': constraint-error"):
        data.load("help_resources", data_dir=d)


def test_ragged_row(broken):
    d = broken(lambda ls: [*ls, "only,three,cells"])
    with pytest.raises(data.DataError, match=r"row 4.*(missing-cell|extra-cell)"):
        data.load("help_resources", data_dir=d)


def test_unknown_table_lists_the_tables():
    with pytest.raises(
        data.DataError, match="unknown data table 'nope'; the tables are: .*glossary"
    ):
        data.load("nope")


def test_row_lookup_requires_exactly_one_match():
    assert data.row("help_resources", resource_id="lifeline_988")["source"] == "samhsa2024faq988"
    with pytest.raises(data.DataError, match="0 rows match"):
        data.row("help_resources", resource_id="nothing")


def test_spot_facts_help_resources():
    r = data.row("help_resources", resource_id="samhsa_helpline")
    assert "1-800-662-HELP (4357)" in r["contact"]
    assert r["source"] == "samhsa2024helpline" and r["verified"] == "primary"
    lifeline = data.row("help_resources", resource_id="lifeline_988")
    assert lifeline["contact"].startswith("Call or text 988") and lifeline["verified"] == "primary"
    # the federal FAQ read does not say free or confidential: the row must not claim it
    assert "free" not in lifeline["offers"].lower() and "confidential" not in lifeline["offers"]


def test_validation_cache_is_keyed_by_content(broken, monkeypatch, tmp_path):
    monkeypatch.setattr(data, "CACHE_DIR", tmp_path / "cache")
    data._VALIDATED.clear()
    data.load("help_resources")  # valid: remembered by checksum
    assert len(list((tmp_path / "cache").iterdir())) == 1
    d = broken(lambda ls: [ls[0], ls[1].replace(",primary,", ",probably,", 1), *ls[2:]])
    with pytest.raises(data.DataError, match="probably"):
        data.load("help_resources", data_dir=d)
    assert len(list((tmp_path / "cache").iterdir())) == 1, "an invalid version is never remembered"


def test_frame_cache_gives_the_parsed_table_and_follows_the_file(broken, monkeypatch, tmp_path):
    monkeypatch.setattr(data, "FRAME_CACHE_DIR", tmp_path / "frames")
    names = list(data.tables()["name"])
    for name in names:  # every table: the cached frame is the parsed one, dtypes included
        data._read.cache_clear()
        first = data.load(name)  # parsed and written to the cache
        data._read.cache_clear()
        pd.testing.assert_frame_equal(data.load(name), first)  # read from the cache
        path, _, res_json = data._valid_file(name)
        pd.testing.assert_frame_equal(first, data._parse_csv(str(path), res_json))
    pickles = list((tmp_path / "frames").iterdir())
    assert len(pickles) == len(names)
    # a changed file is a new cache entry, never the old frame
    d = broken(lambda ls: [ls[0], ls[1].replace("(4357)", "(4358)", 1), *ls[2:]])
    data._read.cache_clear()
    changed = data.load("help_resources", data_dir=d)
    assert changed["contact"].str.contains("(4358)", regex=False).any()
    assert len(list((tmp_path / "frames").iterdir())) == len(names) + 1
    # so is another parser (a changed data.py) or pandas version
    parser_version = data._parser_version
    monkeypatch.setattr(data, "_parser_version", lambda: "another parser")
    data._read.cache_clear()
    data.load("help_resources")
    assert len(list((tmp_path / "frames").iterdir())) == len(names) + 2
    monkeypatch.setattr(data, "_parser_version", parser_version)
    # a damaged pickle is parsed again
    for p in (tmp_path / "frames").iterdir():
        p.write_bytes(b"not a pickle")
    data._read.cache_clear()
    path, _, res_json = data._valid_file("help_resources")
    pd.testing.assert_frame_equal(data.load("help_resources"), data._parse_csv(str(path), res_json))
