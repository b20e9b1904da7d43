"""Write the site into a fresh folder and swap it into place only when everything succeeded."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path


def link_file(source: Path, target: Path) -> bool:
    """Hard-link an unchanged file into the new site (a copy across file systems); False if absent."""
    if not source.is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return True


class SiteWriter:
    """Collect output files in a temporary sibling folder; `commit` swaps it for the old site."""

    def __init__(self, out: Path):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        for stale in out.parent.glob(f".{out.name}.old-*"):
            shutil.rmtree(stale, ignore_errors=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
        self.tmp.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site

    def write_text(self, path: str, text: str) -> None:
        """Write one UTF-8 file inside the new site."""
        self.write_bytes(path, text.encode("utf-8"))

    def write_bytes(self, path: str, data: bytes) -> None:
        """Write one binary file inside the new site (never through a link into the old site)."""
        target = self.tmp / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        target.write_bytes(data)

    def keep(self, path: str) -> bool:
        """Carry an unchanged file over from the current site (a hard link: no copy, no rewrite)."""
        return self.link_in(self.out / path, path)

    def link_in(self, source: Path, path: str) -> bool:
        """Place an existing file into the new site by hard link (copy across file systems)."""
        return link_file(source, self.tmp / path)

    def commit(self) -> threading.Thread | None:
        """Replace the old site with the new one (two renames), then delete the old one.

        The deletion runs in a thread and is returned so a command can wait for it; a folder left
        behind by an interrupted deletion is removed by the next build.
        """
        old = None
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
            old.rmdir()
            self.out.rename(old)
        self.tmp.rename(self.out)
        if old is None:
            return None
        thread = threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True})
        thread.start()
        return thread

    def abort(self) -> None:
        """Throw the unfinished site away; the old one stays untouched."""
        shutil.rmtree(self.tmp, ignore_errors=True)
