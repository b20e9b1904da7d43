"""The portal's settings: one typed schema, read from portal.yaml, overridden by CLI flags."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "portal.yaml"


@dataclass(frozen=True)
class PortalConfig:
    """Settings of one portal; every path is relative to the project root."""

    site_name: str = "部门预决算公开"
    """Name shown in every page's header and title."""

    publisher: str = ""
    """Who publishes the portal (e.g. 某某区财政局), shown in the footer."""

    base_url: str = "/"
    """Path the site is served under, e.g. /yjsgk/; links are relative, so this only feeds sitemaps."""

    zero: str = "0.00"
    """How a zero amount prints in tables: "0.00" (as most documents) or "blank"."""

    data_dir: str = "data"
    """Folder of unit folders with their YAML reports."""

    content_dir: str = "content"
    """Folder of authored Markdown (职责, 机构设置, reasons, glossary, attachments)."""

    templates_dir: str = "templates"
    """Folder of Jinja templates and static assets."""

    profiles_dir: str = ""
    """Extra folder of table profiles (other regions); shipped profiles are always available."""

    jobs: int = 0
    """Worker processes for checking and rendering; 0 uses every core (small portals use one)."""

    out_dir: str = "site"
    """Folder the built portal is written to (replaced whole, only after a successful build)."""

    charts: bool = True
    """Draw interactive charts (self-hosted plotly.js) on report, unit and year pages; false builds without."""

    search: str = "pagefind"
    """Full-text search: "pagefind" (word index, needs the pagefind package) or "builtin" (small index only)."""

    archives_dir: str = "archive"
    """Folder of archived fiscal years (made by `archive`); the portal links and publishes them."""

    only_year: int = 0
    """Set by `archive`: build only the reports of this fiscal year."""

    banner: str = ""
    """Set by `archive`: a notice shown on every page (归档版本 · 2024 年度 · 生成于 …)."""

    preview: bool = False
    """Set by `serve`: pages load a small script that shows build errors over the page."""

    @property
    def blank_zero(self) -> bool:
        """Tell whether zero amounts print blank."""
        return self.zero == "blank"


class ConfigError(ValueError):
    """The config file is malformed or names an unknown option."""


def load_config(root: Path, overrides: dict[str, Any] | None = None) -> PortalConfig:
    """Read portal.yaml under root (if present) and apply non-empty overrides."""
    values: dict[str, Any] = {}
    path = root / CONFIG_FILE
    if path.is_file():
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{CONFIG_FILE} 格式错误：{exc}") from exc
        if not isinstance(raw, dict):
            raise ConfigError(f"{CONFIG_FILE} 应为“键: 值”的形式")
        known = {f.name for f in fields(PortalConfig)}
        for key, value in raw.items():
            if key not in known:
                raise ConfigError(f"{CONFIG_FILE} 中不认识的设置“{key}”（可用：{'、'.join(sorted(known))}）")
            values[key] = (
                int(value)
                if key == "jobs"
                else value
                if isinstance(value, bool)
                else ("" if value is None else str(value))
            )
    config = PortalConfig(**values)
    if overrides:
        config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    if not isinstance(config.charts, bool):
        raise ConfigError(f"charts 只能是 true 或 false，实际为“{config.charts}”")
    if config.search not in ("pagefind", "builtin"):
        raise ConfigError(f"search 只能是 pagefind 或 builtin，实际为“{config.search}”")
    if config.zero not in ("0.00", "blank"):
        raise ConfigError(f'zero 只能是 "0.00" 或 "blank"，实际为“{config.zero}”')
    return config
