"""Write the site: a full build into a fresh folder swapped in at the end; an incremental one in place.

- SiteWriter (full builds, and any build that runs pagefind over the whole folder): every file goes
  into a temporary sibling folder, unchanged ones by hard link; `commit` swaps it for the old site in
  two renames. A failed or killed build leaves the previous site whole.
- SiteUpdate (incremental builds): only changed files are written, into a staging folder; `commit`
  moves each into the site by rename (atomic per file: a page is always whole, old or new), then
  deletes the files the site no longer has. A failed build stages nothing into the site. The build
  state is taken away before the first move and written back last, so a build killed while moving
  leaves no state and the next build is a full one.
"""

from __future__ import annotations

import filecmp
import io
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
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


def carry(keep_from: Path, into: Path, path: str, in_place: bool) -> bool:
    """Keep the current site's file at path in the new site; False when there is none."""
    if in_place:
        return (keep_from / path).is_file()
    return link_file(keep_from / path, into / path)


def same_bytes(path: Path, data: bytes) -> bool:
    """Tell whether a file exists and holds exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def put_file(target: Path, data: bytes, current: Path | None, in_place: bool) -> None:
    """Write a file, or keep the current site's copy (current) when it holds exactly these bytes."""
    if current is not None and same_bytes(current, data) and (in_place or link_file(current, target)):
        return
    write_new(target, data)


def write_new(target: Path, data: bytes) -> None:
    """Write a file as a new one: its folder made when missing, an existing file (perhaps a link
    into the current site, never to be written through) replaced.

    One open in the common case: a build writes some 25 files a report.
    """
    with _open_new(target) as file:
        file.write(data)


def write_new_text(target: Path, pieces: Iterable[str]) -> None:
    """Write text given in pieces (UTF-8) as a new file, as write_new does bytes."""
    with _open_new(target) as file, io.TextIOWrapper(file, encoding="utf-8", newline="") as text:
        text.writelines(pieces)


def _open_new(target: Path) -> io.BufferedWriter:
    try:
        return open(target, "xb")
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        return open(target, "xb")
    except FileExistsError:
        target.unlink()
        return open(target, "xb")


def _staging(out: Path, kind: str) -> Path:
    """Make a private-named, world-readable folder beside the site (same file system: renames)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in (*out.parent.glob(f".{out.name}.old-*"), *out.parent.glob(f".{out.name}.staging-*")):
        shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.{kind}-", dir=out.parent))
    folder.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
    return folder


class SiteWriter:
    """Collect output files in a temporary sibling folder; `commit` swaps it for the old site."""

    in_place = False

    def __init__(self, out: Path):
        self.out = out
        self.tmp = _staging(out, "building")

    def write_text(self, path: str, text: str) -> None:
        """Write one UTF-8 file inside the new site."""
        self.write_bytes(path, text.encode("utf-8"))

    def write_pieces(self, path: str, pieces: Iterable[str]) -> None:
        """Write one UTF-8 file inside the new site from its text in pieces (never held whole)."""
        write_new_text(self.tmp / path, pieces)

    def write_bytes(self, path: str, data: bytes) -> None:
        """Write one binary file inside the new site (never through a link into the old site)."""
        write_new(self.tmp / path, data)

    def keep(self, path: str) -> bool:
        """Carry an unchanged file over from the current site (a hard link: no copy, no rewrite)."""
        return self.link_in(self.out / path, path)

    def link_in(self, source: Path, path: str) -> bool:
        """Place an existing file into the new site by hard link (copy across file systems)."""
        return link_file(source, self.tmp / path)

    def locate(self, path: str) -> Path:
        """Return where the new site's file at path is while building."""
        return self.tmp / path

    def unchanged(self, path: str) -> bool:
        """Tell whether the new site's file is the current site's very file (carried over)."""
        try:
            return os.path.samefile(self.tmp / path, self.out / path)
        except OSError:
            return False

    def commit(self, stale: Iterable[str] = ()) -> threading.Thread | None:
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


class SiteUpdate(SiteWriter):
    """Stage only the changed files of an incremental build; `commit` moves them into the site."""

    in_place = True

    def __init__(self, out: Path):
        self.out = out
        self.tmp = _staging(out, "staging")
        self.kept: set[str] = set()

    def write_bytes(self, path: str, data: bytes) -> None:
        """Stage a file, unless the site already holds exactly these bytes."""
        if same_bytes(self.out / path, data):
            self.kept.add(path)
            return
        super().write_bytes(path, data)

    def write_pieces(self, path: str, pieces: Iterable[str]) -> None:
        """Stage a file written in pieces, unless the site already holds exactly these bytes."""
        super().write_pieces(path, pieces)
        staged, current = self.tmp / path, self.out / path
        if current.is_file() and filecmp.cmp(staged, current, shallow=False):
            staged.unlink()
            self.kept.add(path)

    def keep(self, path: str) -> bool:
        """Leave the site's file as it is; False when there is none."""
        if (self.out / path).is_file():
            self.kept.add(path)
            return True
        return False

    def link_in(self, source: Path, path: str) -> bool:
        """Place an existing file at path, unless the site's file there already is that file."""
        try:
            if os.path.samefile(source, self.out / path):
                self.kept.add(path)
                return True
        except OSError:
            pass
        return super().link_in(source, path)

    def locate(self, path: str) -> Path:
        """Return the staged file at path, or else the site's."""
        staged = f"{self.tmp}/{path}"  # strings: called for every page of the site
        return Path(staged) if os.path.isfile(staged) else self.out / path

    def unchanged(self, path: str) -> bool:
        """Tell whether nothing was staged at path and the site has a file there."""
        return not os.path.exists(f"{self.tmp}/{path}") and os.path.isfile(f"{self.out}/{path}")

    def staged(self) -> list[str]:
        """Return every staged file's path in the site, sorted."""
        found = []
        for directory, _, files in os.walk(self.tmp):
            relative = Path(directory).relative_to(self.tmp).as_posix()
            found += [name if relative == "." else f"{relative}/{name}" for name in files]
        return sorted(found)

    def commit(self, stale: Iterable[str] = ()) -> None:
        """Move every staged file into the site (one rename each), then delete the stale files."""
        for path in self.staged():
            target = self.out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.tmp / path, target)
        for path in sorted(stale):
            (self.out / path).unlink(missing_ok=True)
            _remove_empty_parents(self.out, Path(path).parent)
        shutil.rmtree(self.tmp, ignore_errors=True)
        return None


def _remove_empty_parents(out: Path, folder: Path) -> None:
    """Remove a folder of the site and its parents while they are empty."""
    while folder.parts:
        try:
            (out / folder).rmdir()
        except OSError:
            return
        folder = folder.parent
