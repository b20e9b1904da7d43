"""The preview's web server: the site folder with browser caching, and a stream telling pages to reload.

Pages load templates/assets/preview.js, which opens a WebSocket to /__preview__/events (allowed by
the pages' `connect-src 'self'`) and reloads on a `reload` message. Asset files whose names
carry their content hash are cached by the browser for good, so a reload fetches the page alone and
plotly.js comes from the cache (compiled code included); every other file is revalidated each time.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from tornado import web, websocket

EVENTS = "/__preview__/events"
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


class ReloadEvents(websocket.WebSocketHandler):
    """One open page listening for reloads (a WebSocket: not among the browser's six connections per host)."""

    listeners: set[ReloadEvents] = set()

    def open(self, *args: str, **kwargs: str) -> None:
        """Take the page in and tell it the stream is ready."""
        ReloadEvents.listeners.add(self)
        self.send("ready", {})

    def on_close(self) -> None:
        """Forget a page that went away (reloaded, navigated or closed)."""
        ReloadEvents.listeners.discard(self)

    def send(self, event: str, data: dict[str, Any]) -> None:
        """Send one event now; a page that closed meanwhile is forgotten."""
        try:
            sent = self.write_message(json.dumps({"event": event, **data}, ensure_ascii=False))
            sent.add_done_callback(lambda done: done.cancelled() or done.exception())  # closed meanwhile
        except websocket.WebSocketClosedError:
            ReloadEvents.listeners.discard(self)


def broadcast(data: dict[str, Any]) -> None:
    """Tell every open page to reload (call on the server's event loop)."""
    for listener in list(ReloadEvents.listeners):
        listener.send("reload", data)


def application(site: str) -> web.Application:
    """Return the preview application serving the site folder."""
    return web.Application(
        [
            (EVENTS, ReloadEvents),
            (r"/(.*)", SiteFiles, {"path": site, "default_filename": "index.html"}),
        ],
        static_hash_cache=False,
    )
