"""`schema`: write the JSON Schemas of the data files into data/schema/."""

from __future__ import annotations

from pathlib import Path

from ..config import PortalConfig
from ..profile import load_profiles
from ..schema import dump, report_schema, unit_schema


def schema_files(root: Path, config: PortalConfig) -> dict[str, str]:
    """Return schema file names and their text, one report schema per profile."""
    extra = (root / config.profiles_dir,) if config.profiles_dir else ()
    files = {"unit.schema.json": dump(unit_schema())}
    for profile_id, profile in sorted(load_profiles(extra).items()):
        files[f"report-{profile_id}.schema.json"] = dump(report_schema(profile))
    return files


def write_schemas(root: Path, config: PortalConfig) -> int:
    """Write every schema file; return 0."""
    folder = root / config.data_dir / "schema"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schema_files(root, config).items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"已写入 {folder / name}")
    return 0
