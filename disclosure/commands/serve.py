"""`serve`: build, serve on 127.0.0.1, rebuild what a save touched and reload the browser at once."""

from __future__ import annotations

import contextlib
import io
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..config import PortalConfig
from .build import build, output_dir

PREVIEW_DIR = ".preview-site"


def preview_config(config: PortalConfig) -> PortalConfig:
    """Return the config of preview builds: their own folder, with the error overlay script."""
    return replace(config, out_dir=PREVIEW_DIR, preview=True)


def build_once(
    root: Path, config: PortalConfig, wait: bool = False, touched: set[str] | None = None
) -> tuple[bool, list[str], float]:
    """Build incrementally; return success, the printed problem lines and the seconds taken.

    wait: also wait until a replaced site is deleted (the first build: so that no deletion of
    tens of thousands of files competes with the builds that follow saves). touched: the paths
    changed since the last successful build (other units' folders are then not listed).
    """
    start = time.perf_counter()
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        ok = build(root, config, wait=wait, touched=touched) == 0
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


def compile_templates(root: Path, config: PortalConfig) -> None:
    """Compile every template in this process now (a first build in workers did not), not at the first save."""
    from ..render import template_environment

    env = template_environment(root / config.templates_dir)
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)


def rebuild_on_change(
    root: Path,
    config: PortalConfig,
    out: Path,
    reload: Callable[[dict], None],
    stop: threading.Event,
    built: bool,
) -> None:
    """Rebuild after every save (inotify; a save is taken once no event came for 5 ms), then reload.

    built: the first build succeeded (so the state on disk describes the files as they are now).
    """
    import watchfiles

    # The paths changed since the last successful build; None: unknown, look at every unit's files.
    touched: set[str] | None = set() if built else None
    for changes in watchfiles.watch(*watched_paths(root, config), stop_event=stop, debounce=50, step=5):
        detected = time.perf_counter()
        names = sorted({Path(p).name for _, p in changes})
        print(f"检测到修改：{'、'.join(names)}，重新构建……")
        if touched is not None:
            touched.update(Path(os.path.relpath(p, root)).as_posix() for _, p in changes)
        cpu = time.process_time()
        try:
            ok, problems, seconds = build_once(root, config, touched=touched)
        except Exception as error:  # a bug must not stop the preview: report it, keep watching
            print(f"构建时出现意外错误（请报告）：{type(error).__name__}: {error}")
            ok, problems, seconds, touched = False, [f"[错误] 构建时出现意外错误：{error}"], 0.0, None
        write_status(out, ok, problems)
        cpu = time.process_time() - cpu
        reload({"ok": ok})
        if ok:
            touched = set()
        print(
            f"{'完成' if ok else '有错误，页面上方会显示'}（构建 {seconds * 1000:.0f} 毫秒，"
            f"CPU {cpu * 1000:.0f} 毫秒；发现修改到通知浏览器 {(time.perf_counter() - detected) * 1000:.0f} 毫秒）"
        )


def serve(root: Path, config: PortalConfig, port: int) -> int:
    """Serve the preview until interrupted."""
    from tornado import ioloop

    from ..preview_server import application, broadcast

    config = preview_config(config)
    out = output_dir(root, config)
    ok, problems, _ = build_once(root, config, wait=True)
    if not out.exists():
        print("第一次构建失败，请先按上面的提示修改数据，保存后会自动重试。")
        out.mkdir(parents=True)
    write_status(out, ok, problems)
    compile_templates(root, config)
    application(str(out)).listen(port, address="127.0.0.1")
    loop = ioloop.IOLoop.current()
    stop = threading.Event()
    watcher = threading.Thread(
        target=rebuild_on_change,
        args=(root, config, out, lambda data: loop.add_callback(broadcast, data), stop, ok),
        daemon=True,
    )
    watcher.start()
    print(f"预览地址：http://127.0.0.1:{port}/  （保存文件后浏览器自动刷新；按 Ctrl+C 结束）")
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
    return 0
