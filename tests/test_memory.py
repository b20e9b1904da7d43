"""What keeps the build's memory small: pages written as they render, the search index written page
by page, worker processes that start afresh. Each gives the same bytes as the way it replaced."""

from __future__ import annotations

import contextlib
import gc
import io
import pickle
import weakref
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from disclosure import search
from disclosure import units as units_module
from disclosure.commands.build import build
from disclosure.config import load_config
from disclosure.opendata import paths
from disclosure.output import SiteUpdate, SiteWriter
from disclosure.pages import portal_pages, report_count
from disclosure.problems import Problems
from disclosure.render import Renderer
from disclosure.searchindex import IndexEncoder
from disclosure.summary import (
    LISTED_FIGURES,
    Figures,
    PortalIndex,
    ReportShelf,
    ReportSummary,
    ShelvedReports,
    UnitSummary,
)
from disclosure.synthetic import generate
from disclosure.units import make_job, read_index, run_units

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("memory") / "portal"
    generate(ROOT, root, 30, years_per_unit=3)  # 8 units and more: the build starts workers
    (root / "portal.yaml").write_text("search: builtin\n", encoding="utf-8")
    return root


def _build(root: Path, out: Path, **options: object) -> None:
    config = replace(load_config(root), out_dir=str(out), **options)  # type: ignore[arg-type]
    with contextlib.redirect_stdout(io.StringIO()):
        assert build(root, config, full=True) == 0


def _files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and ".build-state" not in p.parts
    }


def test_workers_started_afresh_build_the_same_site_as_one_process(portal: Path, tmp_path: Path) -> None:
    _build(portal, tmp_path / "workers", jobs=2)
    _build(portal, tmp_path / "alone", jobs=1)
    workers, alone = _files(tmp_path / "workers"), _files(tmp_path / "alone")
    assert workers.keys() == alone.keys()
    years = [p for p in workers if p in {paths.year_xlsx(y) for y in range(2015, 2030)}]
    assert years, "the workers built no year workbook"
    assert [p for p in workers if workers[p] != alone[p]] == []


def _portal_index(root: Path) -> tuple[PortalIndex, Renderer]:
    config = load_config(root)
    problems = Problems()
    index = read_index(root, config, problems)
    outcomes = list(run_units(make_job(root, config, index), [u.id for u in index.units], 1))
    index.replace_many([o.summary for o in outcomes if o.summary is not None])
    return index, Renderer(config, root / config.templates_dir, index, "assets/site.css")


def test_shared_pages_rendered_in_pieces_equal_the_whole_page(portal: Path) -> None:
    index, renderer = _portal_index(portal)
    pages = portal_pages(index)
    assert any(p.template == "year.html" for p in pages)
    for whole, in_pieces in zip(pages, portal_pages(index), strict=True):
        html = renderer.render(whole)
        pieces = list(renderer.render_pieces(in_pieces))
        assert len(pieces) > 10, "not rendered in pieces"
        assert "".join(pieces) == html
        assert in_pieces.templates == whole.templates and whole.templates
    year = next(p for p in pages if p.template == "year.html")
    rows = BeautifulSoup(renderer.render(year), "html.parser").select("main table tbody tr")
    assert len(rows) >= len({r.unit_id for r in index.reports if r.year == year.context["year"]})


def test_a_page_written_in_pieces_is_staged_only_when_its_bytes_change(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = SiteWriter(out)
    first.write_pieces("years/2023/index.html", ["<p>", "二〇二三", "</p>\n"])
    first.commit()
    assert (out / "years/2023/index.html").read_text(encoding="utf-8") == "<p>二〇二三</p>\n"

    update = SiteUpdate(out)
    update.write_pieces("years/2023/index.html", ["<p>二〇", "二三</p>\n"])  # the same bytes
    update.write_pieces("index.html", ["<p>新</p>"])
    assert update.staged() == ["index.html"]
    assert update.kept == {"years/2023/index.html"}
    update.commit()
    assert (out / "index.html").read_text(encoding="utf-8") == "<p>新</p>"


class Entry(dict):
    """A page entry that can be watched (a plain dict takes no weak reference)."""


def test_the_builtin_index_is_written_page_by_page_as_encoded_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = [
        search.entry(f"units/u{n}/index.html", search.KIND_REPORT, f"报告{n}", "单位", 2024,
                     ["一般公共服务支出", f"科目{n % 3}"], ["收入支出预算总体情况", f"独有{n}"])
        for n in range(12)
    ]  # fmt: skip
    alive = []

    def one_at_a_time():  # as the build gives them: each entry made as it is asked for
        for page in pages:
            entry = Entry(page)
            alive.append(weakref.ref(entry))
            yield entry
            assert sum(r() is not None for r in alive) <= 2, "earlier pages are still held"

    monkeypatch.setattr(search, "_encoder", IndexEncoder())
    size = search.write_builtin_index(tmp_path / "index.js", one_at_a_time, pagefind=False, keep=False)
    written = (tmp_path / "index.js").read_text(encoding="utf-8")
    assert size == len(written.encode("utf-8"))
    assert written == search._INDEX_HEAD + IndexEncoder().encode(pages, False) + ";\n"
    assert len(alive) == 2 * len(pages)  # read twice: counting the strings, then encoding
    assert search._encoder.fragments == {} and search._encoder.pages == {}, "a one-off build kept pages"
    search.write_builtin_index(tmp_path / "kept.js", lambda: iter(pages), pagefind=False, keep=True)
    assert (tmp_path / "kept.js").read_text(encoding="utf-8") == written
    assert len(search._encoder.fragments) == len(pages)  # the preview server reuses them


def test_report_words_are_spooled_to_disk_not_held(tmp_path: Path) -> None:
    words = search.ReportWords(keep=False, scratch=tmp_path)
    units = {
        f"u{n}": {
            f"units/u{n}/{year}-final/index.html": (
                (n, year, 2),
                ([f"科目{n}", "一般公共服务支出"], [f"说明{n}-{year}"]),
            )
            for year in (2023, 2024)
        }
        for n in range(50)
    }
    for unit_id, texts in units.items():
        words.add(texts, unit_id)
    assert words.kept is None and list(tmp_path.iterdir()) == []  # the spool has no name on disk
    assert set(words.where) == set(units)  # one record (offset, length) per unit, not per page
    assert all(len(where) == 2 for where in words.where.values())
    absent = tmp_path / "absent.html"
    for unit_id, texts in reversed(units.items()):
        for path, (_identity, expected) in texts.items():
            assert words.of(path, absent, unit_id) == expected  # read back from the spool, the page not read
    assert words.of("units/other/index.html", absent, "other") is None  # not handed in: its file, absent
    words.close()
    assert words.spool is not None and words.spool.closed


def test_report_summaries_are_shelved_on_disk_and_read_back(tmp_path: Path) -> None:
    shelf = ReportShelf(keep=False, scratch=tmp_path)
    given = {"收支总计": Decimal("5510.47"), "基本支出": Decimal("0.00")}
    units = [
        UnitSummary(f"u{n}", f"单位{n}", "单位", None, "", [], f"data/u{n}/unit.yaml",
                    [ReportSummary(f"u{n}", year, "final", f"{year}年度决算（搁置测试）", "单位", given, [f"data/u{n}/{year}.yaml"])
                     for year in (2024, 2023)])
        for n in range(20)
    ]  # fmt: skip

    def values(reports):
        return [(r.unit_id, r.year, r.title, dict(r.figures), r.files) for r in reports]

    expected = [values(u.reports) for u in units]
    index = PortalIndex([shelf.shelve(u) for u in units], [])
    assert list(tmp_path.iterdir()) == []  # no name on disk
    assert all(isinstance(u.reports, ShelvedReports) for u in index.units)
    gc.collect()
    ours = [o for o in gc.get_objects() if isinstance(o, ReportSummary) and o.title.endswith("（搁置测试）")]
    assert ours == [], "summaries still in memory"
    assert [values(u.reports) for u in index.units] == expected  # read back, in order, exactly
    assert report_count(index) == 40 and index.years == [2024, 2023]
    assert index.units[3].report(2023).files == ["data/u3/2023.yaml"]
    assert index.units[3].reports[0].figures["基本支出"] == Decimal("0.00")
    pages = {p.path: p for p in portal_pages(index)}
    year = pages["years/2023/index.html"]
    assert "reports" not in year.context  # listed, not yet read: read when the page is rendered
    assert values(year.full_context()["reports"]) == [values(u.reports)[1] for u in units]
    assert pages["index.html"].context["report_count"] == 40
    kept = ReportShelf(keep=True)  # the preview server's: in memory, nothing on disk
    in_memory = UnitSummary(
        "k",
        "单位k",
        "单位",
        None,
        "",
        [],
        "data/k/unit.yaml",
        [ReportSummary("k", 2024, "final", "t", "单位", given, [])],
    )
    assert kept.file is None and isinstance(kept.shelve(in_memory).reports, list)
    kept.close()
    sent = pickle.loads(pickle.dumps(index.units[5]))
    assert isinstance(sent.reports, list) and values(sent.reports) == expected[5]  # sent as the list
    shelf.close()


def test_a_summarys_figures_are_one_string_and_read_back_exactly() -> None:
    given = {"收支总计": Decimal("5510.47"), "基本支出": Decimal("0.00"), "三公经费决算数": Decimal("1.2E+3")}
    figures = Figures(given)
    assert figures == given and dict(figures) == given and len(figures) == 3
    assert str(figures["基本支出"]) == "0.00" and str(figures["三公经费决算数"]) == "1.2E+3"  # exponent kept
    assert figures.get("项目支出") is None and "项目支出" not in figures
    with pytest.raises(KeyError):
        figures["本年收入合计"]  # noqa: B018 - not a listed figure
    sent = pickle.loads(pickle.dumps(figures))  # as a worker sends it
    assert sent == given and sent._names is LISTED_FIGURES  # the names are not sent, nor copied
    assert "收支总计".encode() not in pickle.dumps(figures)
    other = pickle.loads(pickle.dumps(Figures({"其他": Decimal("5")})))
    assert dict(other) == {"其他": Decimal("5")}
    summary = ReportSummary("u1", 2024, "final", "题", "单位", dict(given), [])
    assert isinstance(summary.figures, Figures) and summary.figures == given


def test_only_the_preview_server_remembers_unit_files(portal: Path) -> None:
    units_module._facts.clear()
    config = load_config(portal)
    index = read_index(portal, config, Problems())
    assert index.units and units_module._facts == {}  # a one-off build: the workers would inherit them
    read_index(portal, replace(config, preview=True), Problems())
    assert len(units_module._facts) == len(index.units)  # the next build re-reads only changed files
    units_module._facts.clear()
