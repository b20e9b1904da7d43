"""`archive` and `verify`: freeze one fiscal year into a checksummed folder and zip; check it later."""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

from ..archive import banner, generated_at, verify, write_manifest, write_zip
from ..config import PortalConfig
from ..publish import base_path
from ..state import STATE_DIR, load_state
from .build import build


def archive(root: Path, config: PortalConfig, year: int, out: Path, force: bool) -> int:
    """Build the year's snapshot into out/<year>/ and out/<year>.zip; refuse to overwrite unless forced."""
    target = out / str(year)
    if target.exists() and not force:
        print(f"[错误] {target} 已存在。归档不可覆盖；确需重新生成请加 --force。", file=sys.stderr)
        return 1
    when = generated_at()
    snapshot = replace(config, out_dir=str(target), only_year=year, banner=banner(year, when), preview=False)
    status = build(root, snapshot, full=True)
    if status != 0:
        return status
    state = load_state(target)
    # Every unit with a page in the snapshot: a report, or only 绩效评价 reports (Markdown inputs).
    sources = {
        path: digest
        for record in (state.units.values() if state else [])
        if record.summary and (record.summary["reports"] or record.summary.get("evaluations"))
        for path, digest in record.inputs.items()
    }
    shutil.rmtree(target / STATE_DIR, ignore_errors=True)
    if not any(p for p in (target / "units").glob("*/*/index.html")):
        shutil.rmtree(target)
        print(f"[错误] data/ 中没有 {year} 年度的报告，未生成归档。", file=sys.stderr)
        return 1
    manifest = write_manifest(target, year, when, sources, base_path(config.base_url))
    write_zip(target, out / f"{year}.zip", when)
    print(f"已归档 {year} 年度：{target}（{len(manifest['files'])} 个文件）和 {out / f'{year}.zip'}")
    return 0


def verify_command(folder: Path) -> int:
    """Check an archive against its manifest; print every difference."""
    problems = verify(folder)
    for problem in problems:
        print(f"[错误] {problem}")
    if problems:
        print(f"校验未通过：{len(problems)} 处与清单不符。")
        return 1
    print(f"校验通过：{folder} 与清单一致。")
    return 0
