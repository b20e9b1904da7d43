"""The chart assets: plotly.js from the installed plotly package, its stylesheet, and charts.js.

Each is written once into the site's assets/ with a content hash in its name, shared by all pages.

plotly.js inserts two <style> elements when it loads (its own rules and MapLibre's), which a
Content-Security-Policy of style-src 'self' refuses. plotly.js skips its own rules when an element
with id "plotly.js-style-global" and class "no-inline-styles" exists, and MapLibre's when an element
with that style's id exists. So the build extracts plotly's rules from the bundle into a stylesheet
(linked with that id and class) and notes the ids to guard; pages keep style-src 'self'. If a future
bundle cannot be read that way, chart pages fall back to style-src 'self' 'unsafe-inline'.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path

PLOTLY_BUNDLE = ("package_data", "plotly.min.js")
_RULES = re.compile(r'=(\{"X,X div":.*?\});for\(', re.S)
_STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
_PAIR = re.compile(rf"\s*({_STRING}|[A-Za-z_$][\w$]*)\s*:\s*({_STRING})\s*(,|$)", re.S)
_GUARDED_STYLE = re.compile(
    r'getElementById\("([0-9a-f]{16,})"\)\)\{var \w+=document\.createElement\("style"\)'
)


def plotly_bundle() -> Path:
    """Return the path of plotly.min.js inside the installed plotly package (without importing it)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("找不到 plotly 包：请安装 plotly（pip install plotly）")
    return Path(next(iter(spec.submodule_search_locations)), *PLOTLY_BUNDLE)


def _js_string(literal: str) -> str:
    """Decode a JavaScript string literal of plain text (quotes and backslashes escaped), or a bare key."""
    if literal[:1] not in ("'", '"'):
        return literal
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def plotly_css(bundle: str) -> str | None:
    """Return plotly.js's global style rules as a stylesheet, or None when the bundle hides them.

    The rules are an object literal of string keys and values ({"X,X div": '…', …}) in the bundle.
    """
    match = _RULES.search(bundle)
    if match is None:
        return None
    body = match.group(1)[1:-1]
    rules: list[tuple[str, str]] = []
    position = 0
    while position < len(body):
        pair = _PAIR.match(body, position)
        if pair is None:
            return None
        rules.append((_js_string(pair.group(1)), _js_string(pair.group(2))))
        position = pair.end()
    lines = [
        "/* plotly.js global rules, extracted from the bundle by the build (see disclosure/charts/assets.py). */"
    ]
    # plotly.js inserts each rule at index 0, so the last one ends up first: keep that cascade order.
    for selector, rule in reversed(rules):
        full = (
            re.sub(r"^,", " ,", selector)
            .replace("X", ".js-plotly-plot .plotly")
            .replace("Y", ".plotly-notifier")
        )
        lines.append(f"{full}{{{rule}}}")
    return "\n".join(lines) + "\n"


@dataclass
class ChartAssets:
    """The asset files of the charts, by site path, and what pages need to load them."""

    script: str
    plotly: str = ""
    stylesheet: str = ""
    guard_ids: tuple[str, ...] = ()
    # plotly.js by its path (read again when written): 4.6 MB that every worker process would map.
    files: dict[str, bytes | Path] = field(default_factory=dict)

    @property
    def inline_styles(self) -> bool:
        """Tell whether chart pages must allow inline styles (plotly's rules could not be extracted)."""
        return bool(self.plotly) and not self.stylesheet


_cache: dict[tuple[object, ...], ChartAssets] = {}


def load_assets(templates: Path, charts: bool) -> ChartAssets:
    """Return the chart assets, read once per process while the files are unchanged (worker
    processes forked after the build's first call share them)."""
    script = templates / "assets" / "charts.js"
    files = [script, plotly_bundle()] if charts else [script]
    key = (str(templates), charts, *((f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if key not in _cache:
        _cache.clear()
        _cache[key] = read_assets(templates, charts)
    return _cache[key]


def read_assets(templates: Path, charts: bool) -> ChartAssets:
    """Read charts.js (always: it also sorts tables) and, with charts on, plotly.js and its rules."""
    from ..render import hashed_name  # render imports this package: import at call time

    script = (templates / "assets" / "charts.js").read_bytes()
    script_name = "assets/" + hashed_name("charts.js", script)
    assets = ChartAssets(script_name, files={script_name: script})
    if not charts:
        return assets
    bundle = plotly_bundle().read_bytes()
    assets.plotly = "assets/" + hashed_name("plotly.min.js", bundle)
    assets.files[assets.plotly] = plotly_bundle()
    text = bundle.decode("utf-8", errors="replace")
    css = plotly_css(text)
    guards = tuple(dict.fromkeys(_GUARDED_STYLE.findall(text)))
    if css is not None and text.count('createElement("style")') == len(guards) + 1:
        data = css.encode("utf-8")
        assets.stylesheet = "assets/" + hashed_name("plotly.css", data)
        assets.files[assets.stylesheet] = data
        assets.guard_ids = guards
    return assets
