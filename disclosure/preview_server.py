"""The preview's web server: the site folder with browser caching, and a stream telling pages to reload.

Pages load templates/assets/preview.js, which opens a WebSocket to /__preview__/livereload (allowed by
the pages' `connect-src 'self'`), greets the server in livereload's protocol and reloads on its
`reload` command. Asset files whose names
carry their content hash are cached by the browser for good, so a reload fetches the page alone and
plotly.js comes from the cache (compiled code included); every other file is revalidated each time.
"""

from __future__ import annotations

import os
import re
from typing import Any

from livereload.handlers import LiveReloadHandler
from tornado import web, websocket

EVENTS = "/__preview__/livereload"
HASHED_ASSET = re.compile(r"^assets/.+\.[0-9a-f]{10}\.[a-z]+$")  # render.hashed_name's names


class SiteFiles(web.StaticFileHandler):
    """Serve the site folder: hashed assets cached for a year, everything else revalidated."""

    def compute_etag(self) -> str | None:
        """Tag a file by inode, time and size: a build replaces a changed file, never edits it in place."""
        info = os.stat(self.absolute_path or "")
        return f'"{info.st_ino:x}-{info.st_mtime_ns:x}-{info.st_size:x}"'

    def set_extra_headers(self, path: str) -> None:
        """Let the browser keep hashed assets without asking; make it ask for the rest."""
        immutable = HASHED_ASSET.match(path.replace(os.sep, "/"))
        self.set_header("Cache-Control", "max-age=31536000, immutable" if immutable else "no-cache")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Answer a missing address with the site's own 404 page, as the published site would."""
        page = os.path.join(self.root, "404.html")
        if status_code == 404 and os.path.isfile(page):
            self.set_header("Content-Type", "text/html; charset=utf-8")
            with open(page, "rb") as file:
                self.finish(file.read())
            return
        super().write_error(status_code, **kwargs)


class ReloadEvents(LiveReloadHandler):
    """One open page listening for reloads, over livereload's WebSocket protocol (official-7).

    livereload's own watcher polls and drops a reload that comes within 3 s of the last one; the
    preview watches with inotify instead and sends `reload` after every build (broadcast).
    """

    def check_origin(self, origin: str) -> bool:
        """Accept pages of the preview itself only (livereload accepts any origin)."""
        return websocket.WebSocketHandler.check_origin(self, origin)


def broadcast(data: dict[str, Any]) -> None:
    """Tell every open page to reload at once (call on the server's event loop)."""
    message = {"command": "reload", "path": "ok" if data.get("ok") else "error", "liveCSS": False}
    for page in list(ReloadEvents.waiters):
        page.send_message(message)


def application(site: str) -> web.Application:
    """Return the preview application serving the site folder."""
    return web.Application(
        [
            (EVENTS, ReloadEvents),
            (r"/(.*)", SiteFiles, {"path": site, "default_filename": "index.html"}),
        ],
        static_hash_cache=False,
    )
