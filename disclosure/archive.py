"""Per-year archival snapshots: self-contained folders with a manifest of SHA-256 hashes, and a zip."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
from pathlib import Path

from . import __version__

MANIFEST = "manifest.json"
_EXCLUDED = {MANIFEST}
_EXCLUDED_FOLDER = ".build-state/"  # state.STATE_DIR: removed from archives, never listed


def generated_at() -> dt.datetime:
    """Return the generation time: SOURCE_DATE_EPOCH when given (reproducible), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def banner(year: int, when: dt.datetime) -> str:
    """Return the notice shown on every archived page."""
    local = when.astimezone(dt.timezone(dt.timedelta(hours=8)))
    return f"归档版本 · {year} 年度 · 生成于 {local:%Y-%m-%d}"


def file_hashes(folder: Path) -> dict[str, str]:
    """Return every file of a folder (but the manifest) with its SHA-256, sorted by path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.relative_to(folder).as_posix() not in _EXCLUDED
        and not p.relative_to(folder).as_posix().startswith(_EXCLUDED_FOLDER)
    }


def write_manifest(
    folder: Path, year: int, when: dt.datetime, sources: dict[str, str], site_path: str = "/"
) -> dict:
    """Write manifest.json: every file's hash, the hashes of the data files it was built from, and the
    site path (base URL) its 404 page and sitemap were made for."""
    manifest = {
        "year": year,
        "generated": when.isoformat(),
        "site_path": site_path,
        "generator": f"disclosure-portal {__version__}",
        "files": file_hashes(folder),
        "sources": dict(sorted(sources.items())),
    }
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return manifest


def write_zip(folder: Path, target: Path, when: dt.datetime) -> None:
    """Zip a folder reproducibly: sorted entries, fixed times and permissions."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def verify(folder: Path) -> list[str]:
    """Compare a folder with its manifest; return the problems in Chinese (empty when intact)."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return [f"{folder} 中没有 {MANIFEST}，不是归档目录"]
    try:
        recorded = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        recorded = None
    if not isinstance(recorded, dict) or not all(isinstance(v, str) for v in recorded.values()):
        return [f"{manifest_path} 已损坏，无法读取（应有 files：每个文件的路径和 SHA-256）"]
    actual = file_hashes(folder)
    problems = [f"被修改：{p}" for p in sorted(recorded) if p in actual and actual[p] != recorded[p]]
    problems += [f"缺少：{p}" for p in sorted(recorded) if p not in actual]
    problems += [f"多出：{p}" for p in sorted(actual) if p not in recorded]
    return problems


def archive_site_path(folder: Path) -> str | None:
    """Return the site path an archive was made for (None when its manifest does not say)."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("site_path")
    except (OSError, ValueError, AttributeError):
        return None


def archived_years(archives: Path) -> list[int]:
    """Return the years that have an archive folder with a manifest, newest first."""
    if not archives.is_dir():
        return []
    return sorted(
        (int(p.name) for p in archives.iterdir() if p.name.isdigit() and (p / MANIFEST).is_file()),
        reverse=True,
    )
