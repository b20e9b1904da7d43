"""`build`: validate, then render the whole portal — load → check → pages → render → write."""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import PortalConfig
from ..output import SiteWriter
from ..pages import all_pages
from ..pipeline import load_and_check
from ..render import Renderer, hashed_name
from .check import print_problems


def build(root: Path, config: PortalConfig) -> int:
    """Build the portal into config.out_dir; on any error publish nothing and return 1."""
    checked = load_and_check(root, config)
    print_problems(checked.problems, notes=False)
    if checked.problems.has_errors():
        print("有错误，未生成网站；原有网站保持不变。", file=sys.stderr)
        return 1
    templates = root / config.templates_dir
    css = (templates / "assets" / "site.css").read_bytes()
    css_name = "assets/" + hashed_name("site.css", css)
    out = Path(config.out_dir)
    out = out if out.is_absolute() else root / out
    writer = SiteWriter(out)
    try:
        writer.write_bytes(css_name, css)
        renderer = Renderer(config, templates, checked.portal, css_name)
        pages = all_pages(checked.portal)
        for page in pages:
            writer.write_text(page.path, renderer.render(page))
        writer.write_text(".nojekyll", "")
    except BaseException:
        writer.abort()
        raise
    writer.commit()
    print(f"已生成 {len(pages)} 个页面（{len(checked.portal.reports)} 份报告）到 {out}")
    return 0
