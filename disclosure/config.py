"""The portal's settings: one typed schema, read from portal.yaml, overridden by CLI flags."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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

    site_url: str = ""
    """The site's public address (scheme and host, e.g. https://czj.example.gov.cn), for a path-only
    base_url: sitemap.xml needs absolute addresses. Without it (and without a host in base_url)
    no sitemap.xml is written and the build says so; robots.txt then names no sitemap."""

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


def _typed(key: str, value: Any, kind: type, line: int | None) -> Any:
    """Check one setting's type, as the schema above declares it."""
    where = f"{CONFIG_FILE}:{line}" if line else CONFIG_FILE
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where} 设置“{key}”只能是 true 或 false，实际为“{value}”")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where} 设置“{key}”应为非负整数，实际为“{value}”")
        return value
    if value is None:
        return ""
    if isinstance(value, (list, dict, bool)):
        raise ConfigError(f"{where} 设置“{key}”应为一段文字，实际为“{value}”")
    return str(value)


_CHOICES = {"zero": ("0.00", "blank"), "search": ("pagefind", "builtin")}


def _read_file(path: Path) -> dict[str, Any]:
    """Read portal.yaml, type-checking every setting and naming the line of any problem."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{CONFIG_FILE} 不是 UTF-8 编码，请另存为 UTF-8") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{CONFIG_FILE}{line} YAML 格式错误，请检查缩进和冒号") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{CONFIG_FILE} YAML 格式错误（可能含有不可见的控制字符）") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{CONFIG_FILE} 应为“键: 值”的形式")
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value} if node is not None else {}
    kinds = {f.name: f.type for f in fields(PortalConfig)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        key = str(key)
        if key not in kinds:
            raise ConfigError(
                f"{CONFIG_FILE}:{lines.get(key, '')} 不认识的设置“{key}”（可用：{'、'.join(sorted(kinds))}）"
            )
        kind = {"bool": bool, "int": int}.get(str(kinds[key]), str)
        values[key] = _typed(key, value, kind, lines.get(key))
        where = f"{CONFIG_FILE}:{lines.get(key, '')}"
        allowed = _CHOICES.get(key)
        if allowed and values[key] not in allowed:
            raise ConfigError(f"{where} 设置“{key}”只能是 {' 或 '.join(allowed)}，实际为“{value}”")
        if key == "site_url" and values[key] and not _is_origin(values[key]):
            raise ConfigError(
                f"{where} 设置“site_url”应为以 https:// 或 http:// 开头的网站地址，"
                f"例如 https://czj.example.gov.cn，实际为“{value}”"
            )
        if key in ("data_dir", "templates_dir") and not (path.parent / str(values[key])).is_dir():
            raise ConfigError(f"{where} 设置“{key}”指向的文件夹“{values[key]}”不存在")
    return values


def _is_origin(url: str) -> bool:
    """Tell whether a text is an http(s) address with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def load_config(root: Path, overrides: dict[str, Any] | None = None) -> PortalConfig:
    """Read portal.yaml under root (if present) and apply non-empty overrides."""
    path = root / CONFIG_FILE
    values = _read_file(path) if path.is_file() else {}
    config = PortalConfig(**values)
    if overrides:
        config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    if config.search not in ("pagefind", "builtin"):
        raise ConfigError(f"{CONFIG_FILE} 设置 search 只能是 pagefind 或 builtin，实际为“{config.search}”")
    if config.zero not in ("0.00", "blank"):
        raise ConfigError(f'{CONFIG_FILE} 设置 zero 只能是 "0.00" 或 "blank"，实际为“{config.zero}”')
    for key in ("data_dir", "content_dir", "templates_dir", "out_dir", "archives_dir"):
        if not getattr(config, key):
            raise ConfigError(f"{CONFIG_FILE} 设置 {key} 不能为空")
    return config
