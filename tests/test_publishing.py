"""Publishing: sub-path support files, atomic swaps that survive a kill, per-year archives."""

from __future__ import annotations

import hashlib
import os
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
