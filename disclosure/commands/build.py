"""`build`: check and render the portal unit by unit, then the shared pages; publish atomically."""

from __future__ import annotations

import errno
import hashlib
import json
import sys
import tempfile
import threading
from pathlib import Path

from ..archive import archive_site_path, archived_years
from ..charts import write_chart_assets
from ..config import PortalConfig
from ..incremental import BuildPlan, plan_build
from ..opendata import report_documents, write_year_downloads
from ..opendata.paths import report_json
from ..output import SiteUpdate, SiteWriter
from ..pages import Page, portal_pages, report_count
from ..problems import Level, Problems
from ..progress import track
from ..publish import base_path, not_found_page, public_address, robots_txt, sitemap_xml
from ..render import Renderer, compile_templates, hashed_name
from ..search import ReportWords, write_search
from ..state import (
    BuildState,
    forget_state,
    on_disk,
    pages_of,
    record_outcome,
    save_state,
    save_unit,
    shared_files,
    summary_digest,
)
from ..summary import PortalIndex, ReportShelf
from ..units import make_job, read_index, run_units, start_workers, unit_folders, worker_count
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


def publish_archives(archives: Path, writer: SiteWriter, site_path: str) -> list[int]:
    """Publish every archived year unchanged under archive/<year>/ (linked, not copied)."""
    years = archived_years(archives)
    for year in years:
        folder = archives / str(year)
        made_for = archive_site_path(folder)
        if made_for not in (None, site_path):  # its 404 page and sitemap name the other path
            print(
                f"[警告] {archives.name}/{year} 归档时网站路径为 {made_for}，本次生成为 {site_path}："
                f"归档中的 404 页和站点地图会指错地址。请运行 python build.py archive {year} "
                f"--base-url {site_path} --force 重新归档。",
                file=sys.stderr,
            )
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                writer.link_in(path, f"archive/{year}/{path.relative_to(folder).as_posix()}")
    return years


def carry_over(
    plan: BuildPlan,
    writer: SiteWriter,
    index: PortalIndex,
    problems: Problems,
    keep: bool,
    shelf: ReportShelf,
) -> int:
    """Take unchanged units as they were: pages (linked, or left in place), summary, problems.

    keep: keep the decoded summaries on the records (for the next build of this process).
    shelf: where their report summaries go, as the redone units' do.
    Return the number of their hints (kept as a count only)."""
    summaries = []
    notes = 0
    for _unit_id, record in plan.reused.items():
        if not writer.in_place:
            for path in pages_of(record, writer.out, _unit_id):
                writer.keep(path)
        summary, found = record_outcome(record, keep)
        problems.extend(found)
        notes += record.notes
        if summary is not None:
            summaries.append(shelf.shelve(summary))
    index.replace_many(summaries)
    return notes


def shared_inputs(plan: BuildPlan, index: PortalIndex) -> str:
    """Return a digest of all the shared pages show: settings, templates, archives, unit summaries."""
    digest = hashlib.sha256(plan.state.fingerprint.encode())
    digest.update(json.dumps([plan.state.templates, index.archives], sort_keys=True).encode())
    for unit_id, record in plan.state.units.items():
        digest.update(f"{unit_id}\0{summary_digest(record)}\0".encode())
    return digest.hexdigest()


def write_shared_pages(writer: SiteWriter, renderer: Renderer, pages: list[Page], keep: bool) -> None:
    """Render the home, glossary, search, year and 404 pages, or keep them when nothing they show changed."""
    if keep and all(writer.keep(page.path) for page in pages):
        return
    for page in pages:  # the home and year pages list every unit, every report: written as rendered
        writer.write_pieces(page.path, renderer.render_pieces(page))


def write_sitemap(writer: SiteWriter, index: PortalIndex, config: PortalConfig, address: str | None) -> None:
    """Write robots.txt, and sitemap.xml when the site's absolute address is known."""
    if address is not None:
        writer.write_pieces("sitemap.xml", sitemap_xml(index, address))
    elif not config.preview:
        print(
            "说明：未生成 sitemap.xml，站点地图要用完整网址。请在 portal.yaml 中设置 site_url"
            "（网站地址，例如 https://czj.example.gov.cn），或用 --base-url 给出带域名的完整地址。"
        )
    writer.write_text("robots.txt", robots_txt(address))


def input_problem(root: Path, config: PortalConfig) -> str | None:
    """Return why the templates cannot style a site, in Chinese (None when the stylesheet is there)."""
    css = root / config.templates_dir / "assets" / "site.css"
    if css.is_file():
        return None
    return (
        f"找不到样式表 {css}（portal.yaml 的 templates_dir）。请在项目目录中运行，或用 --root 指定项目目录。"
    )


def output_problem(out: Path) -> str | None:
    """Return why no site can be written to out, in Chinese (None when it can)."""
    if out.exists() and not out.is_dir():
        return f"输出位置 {out} 是一个文件，不是文件夹。请换一个输出目录（--out）。"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryDirectory(dir=out.parent, prefix=".write-test-").cleanup()
    except OSError as exc:
        return f"无法在 {out.parent} 中写入网站（系统提示：{exc.strerror or exc}）。请换一个输出目录（--out）或检查权限。"
    return None


# Errors of the machine, not of the data: said in Chinese, the unfinished site thrown away.
_MACHINE_ERRORS = {
    **dict.fromkeys(
        (errno.ENOSPC, errno.EDQUOT), ("磁盘空间不足", "请清理磁盘或用 --out 换一个输出目录后重新运行")
    ),
    **dict.fromkeys(
        (errno.EACCES, errno.EPERM, errno.EROFS),
        ("没有写入权限", "请检查文件夹的权限或用 --out 换一个输出目录"),
    ),
}


def environment_problem(exc: OSError, out: Path) -> str | None:
    """Return what stopped a build writing the site out, in Chinese (None for an error not the machine's)."""
    if exc.errno not in _MACHINE_ERRORS:
        return None
    what, advice = _MACHINE_ERRORS[exc.errno]
    # Where: the site's folder (the file is in a scratch folder beside it; its name tells nothing).
    return f"{what}（写入 {out} 时），网站没有生成完；原有网站保持不变。{advice}。（系统提示：{exc.strerror or exc}）"


def build(
    root: Path, config: PortalConfig, full: bool = False, wait: bool = True, touched: set[str] | None = None
) -> int:
    """Build the portal into config.out_dir; on any error publish nothing and return 1.

    touched: the paths changed since the last build, when known (see incremental.plan_build)."""
    cannot = input_problem(root, config) or output_problem(output_dir(root, config))
    if cannot:
        print(f"[错误] {cannot}", file=sys.stderr)
        return 1
    problems = Problems()
    index = read_index(root, config, problems)
    templates = root / config.templates_dir
    folders = [f.name for f in unit_folders(root / config.data_dir)]
    out = output_dir(root, config)
    plan = plan_build(root, config, index, folders, out, full, touched)
    pagefind = config.search == "pagefind" and not config.preview
    # pagefind indexes a whole folder: builds that run it write a whole new one.
    writer = SiteUpdate(out) if plan.incremental and not pagefind else SiteWriter(out)
    workers = worker_count(config, len(plan.dirty))
    pool = None
    words = ReportWords(keep=config.preview, scratch=out.parent)  # the reports' words, for the search index
    # The reports' summaries, for the shared pages: on disk in a one-off build (memory stays flat).
    shelf = ReportShelf(keep=config.preview, scratch=out.parent)
    try:
        css_name = write_assets(writer, templates, config)
        write_chart_assets(writer, config, templates)
        job = make_job(
            root, config, index, render_into=writer.tmp, css_name=css_name, in_place=writer.in_place,
            keep_from=out if plan.incremental else None, previous=plan.previous,
            changed=plan.changed, changed_templates=plan.changed_templates,
            hash_inputs=not plan.incremental,  # a full build planned no inputs: the workers record them
        )  # fmt: skip
        # Only the preview server builds again in this process: a one-off build keeps no records.
        plan.state.slim = not config.preview and not writer.in_place
        notes = carry_over(plan, writer, index, problems, config.preview, shelf)  # hints: a count
        pool = start_workers(job, workers)
        outcomes = run_units(job, plan.dirty, workers, pool)
        redone = []
        for outcome in track(outcomes, len(plan.dirty), "检查并生成"):
            plan.record(outcome)
            words.add(outcome.texts, outcome.unit_id)
            if not writer.in_place:  # into the new folder now, and out of memory
                record = plan.state.units[outcome.unit_id]
                save_unit(writer.tmp, outcome.unit_id, record)
                record.pages = None
                if plan.state.slim:
                    plan.state.units[outcome.unit_id] = on_disk(record)
            notes += sum(1 for p in outcome.problems.items if p.level is Level.NOTE)
            problems.extend(Problems([p for p in outcome.problems.items if p.level is not Level.NOTE]))
            if outcome.summary is not None:
                redone.append(shelf.shelve(outcome.summary))
            if len(redone) >= 256:  # in place of their placeholders now and then: not both held to the end
                index.replace_many(redone)
                redone.clear()
        index.replace_many(redone)
        print_problems(problems, notes=False, hidden_notes=notes)
        if problems.has_errors():
            writer.abort()
            print("有错误，未生成网站；原有网站保持不变。", file=sys.stderr)
            return 1
        if config.only_year:
            index.drop_empty()
        else:
            index.archives = publish_archives(root / config.archives_dir, writer, base_path(config.base_url))
        renderer = Renderer(config, templates, index, css_name)
        inside = f"archive/{config.only_year}/" if config.only_year else ""  # where an archive is published
        shared = portal_pages(index) + [not_found_page(config.base_url, inside)]
        plan.state.shared_inputs = shared_inputs(plan, index)
        unchanged = plan.old is not None and plan.old.shared_inputs == plan.state.shared_inputs
        before = report_documents(old_report_files(plan.old)) if plan.old else None
        # Year XLSX + datapackage.json: in the workers while this process does the rest.
        years = write_year_downloads(writer, index, before, None if plan.incremental else pool)
        write_shared_pages(writer, renderer, shared, keep=unchanged)
        write_sitemap(writer, index, config, public_address(config.base_url, config.site_url, inside))
        # Over every page of the new site.
        write_search(
            writer.tmp,
            templates,
            index,
            pagefind=pagefind,
            locate=writer.locate,
            keep=config.preview,
            words=words,
        )
        writer.write_text(".nojekyll", "")
        years.finish()
        reports, units = report_count(index), len(index.units)
    except OSError as exc:  # a worker's error comes back as raised there, errno included
        writer.abort()
        problem = environment_problem(exc, out)
        if problem is None:
            raise
        print(f"[错误] {problem}", file=sys.stderr)
        return 1
    except BaseException:
        writer.abort()
        raise
    finally:
        words.close()
        shelf.close()
        if pool is not None:
            pool.terminate()
            pool.join()
    cleanup = publish(writer, plan)
    if cleanup is not None and wait:
        cleanup.join()
    if config.preview:  # the first edit then renders at once, as every later one does
        compile_templates(templates)
    if plan.incremental:
        print(f"增量构建：重新处理 {len(plan.dirty)} 个单位，沿用 {len(plan.reused)} 个单位。")
    print(f"已生成 {reports + units + len(shared)} 个页面（{reports} 份报告）到 {writer.out}")
    return 0


def publish(writer: SiteWriter, plan: BuildPlan) -> threading.Thread | None:
    """Put the new site in place with the state of this build; return the old site's deletion."""
    if isinstance(writer, SiteUpdate):
        redone = {p for u in plan.dirty for p in plan.state.units[u].pages or {}}
        staged = writer.staged()
        plan.state.shared = sorted((writer.kept | set(staged)) - redone)
        stale = (plan.stale_files() | set(plan.old.shared if plan.old else ())) - set(plan.state.shared)
        forget_state(writer.out)  # a build killed while moving files leaves no state: the next is full
        writer.commit(stale - redone)
        save_state(writer.out, plan.state, partial=True)
        return None
    plan.state.shared = shared_files(writer.tmp)
    save_state(writer.tmp, plan.state, previous=writer.out if plan.old else None)
    return writer.commit()


def old_report_files(old: BuildState) -> list[str]:
    """Return the report JSON files the last build made (one per report of its summaries)."""
    return [
        report_json(unit_id, f"{r['year']}-{r['kind']}")
        for unit_id, record in old.units.items()
        for r in (record.summary or {}).get("reports", [])
    ]
