"""Publishing: sub-path support files, atomic swaps that survive a kill, per-year archives."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from disclosure.cli import main
from disclosure.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("data", "content", "templates"):
        shutil.copytree(ROOT / name, root / name)
    return root


def _digest_tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_sitemap_robots_and_404_follow_the_base_url(project: Path):
    assert main(["--root", str(project), "build", "--base-url", "https://czj.example.gov.cn/yjsgk/"]) == 0
    site = project / "site"
    tree = ElementTree.parse(site / "sitemap.xml")
    locations = [loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://czj.example.gov.cn/yjsgk/units/jiyuan-ybzx/2023-final/" in locations
    assert "https://czj.example.gov.cn/yjsgk/units/jinan-shizhong-ybj/2024-final/" in locations
    assert all(loc.startswith("https://czj.example.gov.cn/yjsgk/") for loc in locations)
    assert "Sitemap: https://czj.example.gov.cn/yjsgk/sitemap.xml" in (site / "robots.txt").read_text()
    page = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "html.parser")
    # Served for any missing path at any depth, so its links start from the base path.
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("/yjsgk/assets/")
    assert {a["href"] for a in page.select("main a")} >= {"/yjsgk/index.html"}


def _locations(site: Path) -> list[str]:
    tree = ElementTree.parse(site / "sitemap.xml")
    return [str(loc.text) for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def test_path_only_base_url_takes_the_host_from_site_url(project: Path):
    (project / "portal.yaml").write_text("site_url: https://czj.example.gov.cn\n", encoding="utf-8")
    assert main(["--root", str(project), "build", "--base-url", "/yjsgk/"]) == 0
    site = project / "site"
    locations = _locations(site)
    assert "https://czj.example.gov.cn/yjsgk/units/jiyuan-ybzx/2023-final/" in locations
    assert all(loc.startswith("https://czj.example.gov.cn/yjsgk/") for loc in locations)
    assert "Sitemap: https://czj.example.gov.cn/yjsgk/sitemap.xml" in (site / "robots.txt").read_text()


def test_without_a_host_no_sitemap_is_written_and_the_build_says_why(project: Path, capsys):
    assert main(["--root", str(project), "build", "--base-url", "/yjsgk/"]) == 0
    site = project / "site"
    assert not (site / "sitemap.xml").exists()
    assert "未生成 sitemap.xml" in capsys.readouterr().out
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Allow: /" in robots and "Sitemap" not in robots
    # Setting the address later brings the sitemap back (an incremental build).
    (project / "portal.yaml").write_text("site_url: https://czj.example.gov.cn/\n", encoding="utf-8")
    assert main(["--root", str(project), "build", "--base-url", "/yjsgk/"]) == 0
    assert _locations(site)[0] == "https://czj.example.gov.cn/yjsgk/"


def test_site_url_must_be_an_http_address(project: Path, capsys):
    (project / "portal.yaml").write_text("site_name: 公开\nsite_url: czj.example.gov.cn\n", encoding="utf-8")
    assert main(["--root", str(project), "build"]) != 0
    err = capsys.readouterr()
    assert "portal.yaml:2" in err.out + err.err and "site_url" in err.out + err.err


def test_archive_404_links_inside_the_archive(project: Path):
    (project / "portal.yaml").write_text("site_url: https://czj.example.gov.cn\n", encoding="utf-8")
    assert main(["--root", str(project), "archive", "2024"]) == 0
    folder = project / "archive" / "2024"
    page = BeautifulSoup((folder / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("/archive/2024/assets/")
    assert {a["href"] for a in page.select("main a")} >= {"/archive/2024/index.html"}
    assert all(not a["href"].startswith("/index") for a in page.select("a[href]"))
    assert all(loc.startswith("https://czj.example.gov.cn/archive/2024/") for loc in _locations(folder))
    # Published in the live portal, the archive's 404 page and links resolve inside it.
    assert main(["--root", str(project), "build"]) == 0
    href = page.select_one("link[rel=stylesheet]")["href"]
    assert (project / "site" / href.lstrip("/")).is_file()


def test_permanent_urls_do_not_change_between_builds_or_years(project: Path):
    assert main(["--root", str(project), "build"]) == 0
    first = {
        p.relative_to(project / "site").as_posix() for p in (project / "site" / "units").rglob("index.html")
    }
    extra = project / "data" / "jiyuan-ybzx" / "2022-final.yaml"
    text = (project / "data" / "jiyuan-ybzx" / "2023-final.yaml").read_text(encoding="utf-8")
    extra.write_text(text.replace("年度: 2023", "年度: 2022"), encoding="utf-8")
    assert main(["--root", str(project), "build"]) in (0, 1)
    second = {
        p.relative_to(project / "site").as_posix() for p in (project / "site" / "units").rglob("index.html")
    }
    assert first <= second


def test_a_killed_build_leaves_the_previous_site_whole(tmp_path: Path):
    root = tmp_path / "big"
    generate(ROOT, root, 120)
    site = root / "site"
    assert main(["--root", str(root), "build"]) == 0
    before = _digest_tree(site)
    (next(iter(sorted((root / "content").glob("unit-*/20*-final.md"))))).write_text(
        "改了\n", encoding="utf-8"
    )
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", "--full"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not any(root.glob(".site.building-*/units/*/*/index.html")):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the build and its workers, mid-way
    process.wait()
    assert _digest_tree(site) == before
    # The next build cleans up and succeeds.
    assert main(["--root", str(root), "build"]) == 0


def test_archive_is_self_contained_verifiable_and_not_overwritten(project: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01
    assert main(["--root", str(project), "archive", "2024"]) == 0
    folder = project / "archive" / "2024"
    page = BeautifulSoup(
        (folder / "units/jinan-shizhong-ybj/2024-final/index.html").read_text(), "html.parser"
    )
    assert page.select_one(".archive-banner").get_text() == "归档版本 · 2024 年度 · 生成于 2025-01-01"
    assert not (folder / "units" / "jiyuan-ybzx").exists()  # 2023 only: not in the 2024 archive
    home = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    assert [a["href"] for a in home.select(".unit-name")] == [
        "units/jinan-shizhong-ybj/index.html",
        "units/zaozhuang-shizhong-ybj/index.html",  # 2024 绩效评价报告 only (seed 001)
        "units/zhaoyuan-ybj/index.html",  # 2024 部门预算 (seed 002)
    ]
    assert main(["verify", str(folder)]) == 0
    # Refuses to overwrite without --force.
    assert main(["--root", str(project), "archive", "2024"]) == 1
    first_zip = (project / "archive" / "2024.zip").read_bytes()
    assert main(["--root", str(project), "archive", "2024", "--force"]) == 0
    assert (project / "archive" / "2024.zip").read_bytes() == first_zip  # reproducible
    names = zipfile.ZipFile(project / "archive" / "2024.zip").namelist()
    assert "2024/manifest.json" in names and "2024/units/jinan-shizhong-ybj/2024-final/index.html" in names


def test_verify_catches_a_flipped_byte_a_missing_and_an_extra_file(project: Path, capsys):
    assert main(["--root", str(project), "archive", "2024"]) == 0
    folder = project / "archive" / "2024"
    target = folder / "glossary" / "index.html"
    data = bytearray(target.read_bytes())
    data[100] ^= 0x01
    target.write_bytes(bytes(data))
    (folder / "robots.txt").unlink()
    (folder / "extra.html").write_text("x", encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "被修改：glossary/index.html" in out
    assert "缺少：robots.txt" in out
    assert "多出：extra.html" in out


def test_live_portal_lists_and_publishes_archives(project: Path):
    assert main(["--root", str(project), "archive", "2024"]) == 0
    assert main(["--root", str(project), "build"]) == 0
    site = project / "site"
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in home.select(".archive-list a")]
    assert links == ["archive/2024/index.html"]
    assert (site / "archive/2024/manifest.json").is_file()
    assert main(["verify", str(site / "archive" / "2024")]) == 0


def test_archive_manifest_hashes_every_file_and_every_source_and_banners_every_page(project: Path):
    assert main(["--root", str(project), "archive", "2024"]) == 0
    folder = project / "archive" / "2024"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = _digest_tree(folder)
    del files["manifest.json"]
    assert manifest["files"] == files
    # The data files of every unit with a page in the archive, hashed as they are on disk.
    archived_units = {p.parent.name for p in (folder / "units").glob("*/index.html")}
    assert archived_units == {"jinan-shizhong-ybj", "zaozhuang-shizhong-ybj", "zhaoyuan-ybj"}
    expected = {
        path.relative_to(project).as_posix()
        for unit in archived_units
        for top in ("data", "content")
        for path in (project / top / unit).rglob("*")
        if path.is_file() and not path.name.startswith(("2023", "2022"))
    }
    assert set(manifest["sources"]) == expected
    for path, digest in manifest["sources"].items():
        assert hashlib.sha256((project / path).read_bytes()).hexdigest() == digest, path
    # The banner on every page; open data beside the pages.
    for page in folder.rglob("*.html"):
        banner = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(".archive-banner")
        assert banner is not None and banner.get_text().startswith("归档版本 · 2024 年度 · 生成于 "), page
    downloads = {p.relative_to(folder).as_posix() for p in (folder / "downloads").rglob("*")}
    assert {
        "downloads/2024/2024.xlsx",
        "downloads/2024/datapackage.json",
        "downloads/2024/jinan-shizhong-ybj/final/final-01.csv",
        "downloads/2024/jinan-shizhong-ybj/final/final-01.xlsx",
        "downloads/2024/jinan-shizhong-ybj/final/report.json",
        "downloads/2024/zhaoyuan-ybj/budget/report.json",
    } <= downloads


def _asset_names(site: Path) -> dict[str, str]:
    """Map each asset's plain name (site.css) to its published name (site.1a2b3c4d5e.css)."""
    names = {}
    for path in sorted((site / "assets").iterdir()):
        m = re.fullmatch(r"(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})\.(?P<suffix>[a-z]+)", path.name)
        assert m, f"asset without a content hash in its name: {path.name}"
        assert hashlib.sha256(path.read_bytes()).hexdigest()[:10] == m["digest"], path.name
        names[f"{m['stem']}.{m['suffix']}"] = path.name
    return names


def test_asset_names_carry_their_content_hash_and_change_with_it(project: Path):
    assert main(["--root", str(project), "build"]) == 0
    site = project / "site"
    before = _asset_names(site)
    assert {"site.css", "charts.js"} <= set(before)
    report = BeautifulSoup(
        (site / "units/jinan-shizhong-ybj/2024-final/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    used = {
        Path(tag.get("href") or tag.get("src")).name
        for tag in report.select("link[rel=stylesheet], script[src]")
    }
    assert before["site.css"] in used and before["charts.js"] in used
    css = project / "templates" / "assets" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert main(["--root", str(project), "build"]) == 0
    after = _asset_names(site)
    assert after["site.css"] != before["site.css"] and after["charts.js"] == before["charts.js"]
    assert not (site / "assets" / before["site.css"]).exists()


def _build_on_a_terminal(root: Path, **env: str) -> str:
    """Run `build --full` with stdout on a pseudo-terminal; return what it printed."""
    controller, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "CI"} | env
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", "--full"],
        stdout=terminal, stderr=terminal, env=environment,
    )  # fmt: skip
    os.close(terminal)
    chunks = []
    with contextlib.suppress(OSError):  # EIO once the child closed the terminal
        while chunk := os.read(controller, 65536):
            chunks.append(chunk)
    os.close(controller)
    assert process.wait() == 0, b"".join(chunks).decode(errors="replace")
    return b"".join(chunks).decode(errors="replace")


def test_progress_bar_shows_on_a_terminal_and_stays_quiet_in_ci(tmp_path: Path):
    root = tmp_path / "portal"
    generate(ROOT, root, 24, years_per_unit=1)  # 24 units: a bar from 20 on
    bar = re.compile(r"检查并生成 .*━.* \d+/\d+")  # label, bar, done/total of the units
    assert bar.search(_build_on_a_terminal(root)), "no progress bar on a terminal"
    quiet = _build_on_a_terminal(root, CI="true")
    assert "检查并生成" not in quiet and "━" not in quiet, quiet


def test_an_archive_published_under_a_sub_path_links_inside_it(project: Path, capsys):
    assert main(["--root", str(project), "archive", "2024", "--base-url", "/yjsgk/"]) == 0
    assert main(["--root", str(project), "build", "--base-url", "/yjsgk/"]) == 0
    assert "[警告]" not in capsys.readouterr().err
    site = project / "site"
    page = BeautifulSoup((site / "archive/2024/404.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [page.select_one("link[rel=stylesheet]")["href"], *(a["href"] for a in page.select("main a"))]
    assert hrefs and all(h.startswith("/yjsgk/archive/2024/") for h in hrefs), hrefs
    for href in hrefs:  # served from /yjsgk/, the site folder's root
        assert (site / href.removeprefix("/yjsgk/")).is_file(), href
    # Published under another path than it was made for: the build says so and how to mend it.
    assert main(["--root", str(project), "build", "--base-url", "/other/"]) == 0
    err = capsys.readouterr().err
    assert "archive/2024 归档时网站路径为 /yjsgk/，本次生成为 /other/" in err
    assert "archive 2024 --base-url /other/ --force" in err


@pytest.mark.parametrize(
    "manifest", ["[1]", '{"files": ["a"]}', '{"files": {"a": 1}}', "不是 JSON", '{"year": 2024}']
)
def test_verify_reports_a_damaged_manifest_without_a_traceback(tmp_path: Path, capsys, manifest: str):
    (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
    assert main(["verify", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"[错误] {tmp_path / 'manifest.json'} 已损坏，无法读取" in out


def test_verify_says_a_folder_without_manifest_is_no_archive(tmp_path: Path, capsys):
    assert main(["verify", str(tmp_path)]) == 1
    assert f"[错误] {tmp_path} 中没有 manifest.json，不是归档目录" in capsys.readouterr().out


def test_an_output_folder_that_cannot_be_written_is_an_error_not_a_traceback(project: Path, capsys):
    blocker = project / "a-file"
    blocker.write_text("x", encoding="utf-8")
    for argv in (["build", "--out", str(blocker)], ["build", "--out", str(blocker / "site")]):
        assert main(["--root", str(project), *argv]) == 1
        err = capsys.readouterr().err
        assert err.startswith("[错误] ") and str(blocker) in err and "--out" in err, err
    assert main(["--root", str(project), "archive", "2024", "--out", str(blocker)]) == 1
    assert str(blocker) in capsys.readouterr().err
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("given", ["yjsgk", "/yjsgk", "yjsgk/"])
def test_a_base_url_without_its_slashes_still_roots_the_404_page(project: Path, given: str):
    assert main(["--root", str(project), "build", "--base-url", given]) == 0
    page = BeautifulSoup((project / "site" / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("/yjsgk/assets/site.")
    assert {a["href"] for a in page.select("main a")} >= {"/yjsgk/index.html"}


def test_a_build_outside_a_project_says_so(tmp_path: Path, capsys):
    assert main(["--root", str(tmp_path / "nowhere"), "build"]) == 1
    err = capsys.readouterr().err
    assert "[错误] 找不到样式表" in err and "--root" in err
    assert not (tmp_path / "nowhere").exists()  # nothing written
