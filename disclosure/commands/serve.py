"""`serve`: build, serve on 127.0.0.1, rebuild what a save touched and reload the browser at once."""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from dataclasses import replace
from pathlib import Path

from ..config import PortalConfig
from .build import build, output_dir

PREVIEW_DIR = ".preview-site"


def preview_config(config: PortalConfig) -> PortalConfig:
    """Return the config of preview builds: their own folder, with the error overlay script."""
    return replace(config, out_dir=PREVIEW_DIR, preview=True)


def build_once(root: Path, config: PortalConfig) -> tuple[bool, list[str], float]:
    """Build incrementally; return success, the printed problem lines and the seconds taken."""
    start = time.perf_counter()
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        ok = build(root, config, wait=False) == 0
    lines = [line for line in output.getvalue().splitlines() if line.startswith("[")]
    print(output.getvalue().rstrip())
    return ok, lines, time.perf_counter() - start


def write_status(out: Path, ok: bool, problems: list[str]) -> None:
    """Write the status the overlay script reads (inside the served folder; preview only)."""
    folder = out / "__preview__"
    folder.mkdir(parents=True, exist_ok=True)
    status = {"ok": ok, "problems": [p for p in problems if p.startswith(("[错误]", "[警告]"))]}
    (folder / "status.json").write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")


def watched_paths(root: Path, config: PortalConfig) -> list[Path]:
    """Return what an edit can change: data, content, templates, profiles and the config file."""
    paths = [root / config.data_dir, root / config.content_dir, root / config.templates_dir]
    if config.profiles_dir:
        paths.append(root / config.profiles_dir)
    if (root / "portal.yaml").exists():
        paths.append(root / "portal.yaml")
    return [p for p in paths if p.exists()]


def _pass_through(self: object, status: int, headers: object, chunk: bytes, finishing: bool) -> tuple:
    return status, headers, chunk


def serve(root: Path, config: PortalConfig, port: int) -> int:
    """Serve the preview until interrupted."""
    import livereload.server
    import watchfiles
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado import ioloop

    config = preview_config(config)
    out = output_dir(root, config)
    ok, problems, seconds = build_once(root, config)
    if not out.exists():
        print("第一次构建失败，请先按上面的提示修改数据，保存后会自动重试。")
        out.mkdir(parents=True)
    write_status(out, ok, problems)
    # livereload ignores reloads within 3 s of the last one; every save must reload.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    # livereload injects an inline <script>, which the pages' CSP forbids; preview.js loads
    # livereload.js from the same origin instead.
    livereload.server.LiveScriptInjector.transform_first_chunk = _pass_through
    server = Server()
    idle = root / PREVIEW_DIR.replace("site", "idle")
    idle.mkdir(exist_ok=True)
    server.watch(str(idle), delay="forever")  # our own watcher below decides when to reload
    loop_holder: dict[str, ioloop.IOLoop] = {}
    stop = threading.Event()

    def rebuild_on_change() -> None:
        for changes in watchfiles.watch(*watched_paths(root, config), stop_event=stop, debounce=50, step=20):
            names = sorted({Path(p).name for _, p in changes})
            print(f"检测到修改：{'、'.join(names)}，重新构建……")
            ok, problems, seconds = build_once(root, config)
            write_status(out, ok, problems)
            print(f"{'完成' if ok else '有错误，页面上方会显示'}（{seconds * 1000:.0f} 毫秒）")
            loop = loop_holder.get("loop")
            if loop is not None:
                loop.add_callback(LiveReloadHandler.reload_waiters)

    watcher = threading.Thread(target=rebuild_on_change, daemon=True)
    watcher.start()
    loop_holder["loop"] = ioloop.IOLoop.current()
    print(f"预览地址：http://127.0.0.1:{port}/  （保存文件后浏览器自动刷新；按 Ctrl+C 结束）")
    try:
        server.serve(root=str(out), host="127.0.0.1", port=port, restart_delay=0)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
    return 0
