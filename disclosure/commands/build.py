"""`build`: check and render the portal unit by unit, then the shared pages; publish atomically."""

from __future__ import annotations

import sys
from pathlib import Path

from ..archive import archived_years
from ..charts import write_chart_assets
from ..config import PortalConfig
from ..incremental import BuildPlan, plan_build
from ..opendata import write_year_downloads
from ..output import SiteWriter
from ..pages import portal_pages
from ..problems import Problems
from ..progress import track
from ..publish import not_found_page, robots_txt, sitemap_xml
from ..render import Renderer, hashed_name
from ..search import write_search
from ..state import STATE_FILE, dump_state, problems_from_json, summary_from_json
from ..summary import PortalIndex
from ..units import make_job, read_index, run_units, unit_folders, worker_count
from .check import print_problems


def output_dir(root: Path, config: PortalConfig) -> Path:
    """Return the absolute output folder."""
    out = Path(config.out_dir)
    return out if out.is_absolute() else root / out


def write_assets(writer: SiteWriter, templates: Path, config: PortalConfig) -> str:
    """Copy the stylesheet under a content-hashed name (and the preview script); return its path."""
    css = (templates / "assets" / "site.css").read_bytes()
    css_name = "assets/" + hashed_name("site.css", css)
    writer.write_bytes(css_name, css)
    if config.preview:
        writer.write_bytes("assets/preview.js", (templates / "assets" / "preview.js").read_bytes())
    return css_name


def publish_archives(archives: Path, writer: SiteWriter) -> list[int]:
    """Publish every archived year unchanged under archive/<year>/ (linked, not copied)."""
    years = archived_years(archives)
    for year in years:
        folder = archives / str(year)
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                writer.link_in(path, f"archive/{year}/{path.relative_to(folder).as_posix()}")
    return years


def carry_over(plan: BuildPlan, writer: SiteWriter, index: PortalIndex, problems: Problems) -> None:
    """Take unchanged units as they were: pages linked from the current site, summary, problems."""
    for _unit_id, record in plan.reused.items():
        for path in record.pages:
            writer.keep(path)
        problems.extend(problems_from_json(record.problems))
        summary = summary_from_json(record.summary)
        if summary is not None:
            index.replace(summary)


def build(root: Path, config: PortalConfig, full: bool = False, wait: bool = True) -> int:
    """Build the portal into config.out_dir; on any error publish nothing and return 1."""
    problems = Problems()
    index = read_index(root, config, problems)
    templates = root / config.templates_dir
    folders = [f.name for f in unit_folders(root / config.data_dir)]
    out = output_dir(root, config)
    plan = plan_build(root, config, index, folders, out, full)
    writer = SiteWriter(out)
    try:
        css_name = write_assets(writer, templates, config)
        write_chart_assets(writer, config, templates)
        job = make_job(
            root, config, index, render_into=writer.tmp, css_name=css_name,
            keep_from=out if plan.incremental else None, previous=plan.previous,
            changed=plan.changed, changed_templates=plan.changed_templates,
        )  # fmt: skip
        carry_over(plan, writer, index, problems)
        outcomes = run_units(job, plan.dirty, worker_count(config, len(plan.dirty)))
        for outcome in track(outcomes, len(plan.dirty), "检查并生成"):
            problems.extend(outcome.problems)
            plan.record(outcome)
            if outcome.summary is not None:
                index.replace(outcome.summary)
        index.hashes.update({p: h for r in plan.state.units.values() for p, h in r.inputs.items()})
        print_problems(problems, notes=False)
        if problems.has_errors():
            writer.abort()
            print("有错误，未生成网站；原有网站保持不变。", file=sys.stderr)
            return 1
        if config.only_year:
            index.drop_empty()
        else:
            index.archives = publish_archives(root / config.archives_dir, writer)
        renderer = Renderer(config, templates, index, css_name)
        shared = portal_pages(index) + [not_found_page(config.base_url)]
        for page in shared:
            writer.write_text(page.path, renderer.render(page))
        write_year_downloads(writer, index, incremental=plan.incremental)  # year XLSX + datapackage.json
        writer.write_text("sitemap.xml", sitemap_xml(index, config.base_url))
        writer.write_text("robots.txt", robots_txt(config.base_url))
        write_search(
            writer.tmp, templates, index, pagefind=config.search == "pagefind" and not config.preview
        )  # over every page
        writer.write_text(".nojekyll", "")
        writer.write_text(STATE_FILE, dump_state(plan.state))
    except BaseException:
        writer.abort()
        raise
    cleanup = writer.commit()
    if cleanup is not None and wait:
        cleanup.join()
    reports = len(index.reports)
    if plan.incremental:
        print(f"增量构建：重新处理 {len(plan.dirty)} 个单位，沿用 {len(plan.reused)} 个单位。")
    print(f"已生成 {reports + len(index.units) + len(shared)} 个页面（{reports} 份报告）到 {writer.out}")
    return 0
