"""The stages shared by every command: load → model → validate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .builder import build_portal
from .config import PortalConfig
from .model import Portal
from .problems import Problems
from .profile import load_profiles
from .sources import read_sources
from .validate import validate


@dataclass
class Checked:
    """A portal model and every problem found while loading and checking it."""

    portal: Portal
    problems: Problems


def load_and_check(root: Path, config: PortalConfig) -> Checked:
    """Read the inputs, build the model and run every check, collecting all problems."""
    problems = Problems()
    extra = (root / config.profiles_dir,) if config.profiles_dir else ()
    profiles = load_profiles(extra)
    sources = read_sources(root / config.data_dir, root / config.content_dir, root, problems)
    portal = build_portal(sources, profiles, problems)
    validate(portal, problems)
    return Checked(portal, problems)
