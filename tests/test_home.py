"""The home page lists every unit once: departments at the top, their member units nested below them."""

from __future__ import annotations

from bs4 import BeautifulSoup
from helpers import MiniPortal


def names(items: list) -> list[str]:
    """Return the unit names of a list's own unit items."""
    return [li.select_one("a.unit-name").get_text() for li in items]


def test_members_nest_under_their_department_and_orphans_stay_listed(portal: MiniPortal) -> None:
    portal.replace("data/jiyuan-ybzx/unit.yaml", "上级部门: ~", "上级部门: jinan-shizhong-ybj")
    portal.replace("data/zhaoyuan-ybj/unit.yaml", "上级部门: ~", "上级部门: not-in-this-portal")
    assert portal.cli("build").status == 0
    home = BeautifulSoup((portal.site() / "index.html").read_text(encoding="utf-8"), "html.parser")
    top = home.select_one("main ul.unit-list")
    assert top is not None
    listed = top.find_all("li", class_="unit-item", recursive=False)
    nested = top.find_all("li", class_="children", recursive=False)
    assert "济源市社会医疗保险中心" not in names(listed)
    assert len(nested) == 1 and names(nested[0].select("li.unit-item")) == ["济源市社会医疗保险中心"]
    parent = nested[0].find_previous_sibling("li", class_="unit-item")
    assert parent is not None and "济南" in names([parent])[0]
    # A unit whose department is not in the portal is still listed, once, at the top level.
    every = names(home.select("main li.unit-item"))
    assert len(every) == len(set(every)) == 4
    assert any("招远" in n for n in names(listed))
