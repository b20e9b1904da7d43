"""Command-line entry: `python build.py build|check …`."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from .commands.build import build
from .commands.check import check
from .commands.schema import write_schemas
from .config import ConfigError, load_config


def parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command and flag."""
    main = argparse.ArgumentParser(prog="build.py", description="部门预决算公开网站生成工具")
    main.add_argument("--root", default=".", help="项目目录（默认当前目录）")
    commands = main.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="检查数据并生成网站")
    build_cmd.add_argument("--out", help="输出目录（默认 site/）")
    build_cmd.add_argument("--base-url", help="网站所在路径，例如 /yjsgk/")
    build_cmd.add_argument("--full", action="store_true", help="不沿用上次构建的结果，全部重新生成")
    commands.add_parser("check", help="只检查数据，列出所有问题")
    serve_cmd = commands.add_parser("serve", help="预览：生成网站并在本机打开，保存文件后自动刷新")
    serve_cmd.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    archive_cmd = commands.add_parser(
        "archive", help="把一个年度的全部报告归档（可离线打开，带校验清单和 zip）"
    )
    archive_cmd.add_argument("year", type=int, help="年度，例如 2024")
    archive_cmd.add_argument("--out", default="", help="归档目录（默认 archive/）")
    archive_cmd.add_argument("--force", action="store_true", help="覆盖已有的同年度归档")
    archive_cmd.add_argument("--base-url", help="网站所在路径，与生成网站时的 --base-url 相同，例如 /yjsgk/")
    verify_cmd = commands.add_parser("verify", help="按清单校验一个归档目录")
    verify_cmd.add_argument("folder", help="归档目录，例如 archive/2024")
    bench_cmd = commands.add_parser("bench", help="用样例门户测量构建速度和内存")
    bench_cmd.add_argument("--unit-years", type=int, default=100, help="样例报告份数（默认 100）")
    bench_cmd.add_argument("--keep", help="把样例门户保存在这个目录（默认用完即删）")
    bench_cmd.add_argument(
        "--rounds",
        type=int,
        help="测几轮（每轮一次完整构建、紧接着测下限），报告比值居中的一轮（默认：2000 份以下 5 轮，以上 1 轮）",
    )
    bench_cmd.add_argument("--preview", action="store_true", help="测量预览：保存文件到浏览器刷新的时间")
    commands.add_parser("schema", help="重新生成 data/schema/ 下供编辑器使用的 JSON Schema")
    import_cmd = commands.add_parser(
        "import", help="把已公开的文档（文本、Excel、PDF、CSV）导入为报告 YAML 并检查"
    )
    import_cmd.add_argument(
        "file",
        help="要导入的文件，例如 2024年部门决算.txt；也可以是放有一份报告各表 CSV 的文件夹或 .zip",
    )
    import_cmd.add_argument(
        "--unit", required=True, help="单位代码（data/ 下的文件夹名），例如 jinan-shizhong-ybj"
    )
    import_cmd.add_argument("--year", required=True, type=int, help="年度，例如 2024")
    import_cmd.add_argument(
        "--kind",
        choices=("final", "budget"),
        help="final = 决算，budget = 预算（默认按表样识别；年度 XLSX 中同一单位两者都有时必填）",
    )
    import_cmd.add_argument("--profile", help="表样名称，例如 national-final（默认按表名自动识别）")
    import_cmd.add_argument("--force", action="store_true", help="覆盖已有的报告文件")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit status."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")  # Chinese messages on any terminal encoding
    args = parser().parse_args(argv)
    root = Path(args.root).resolve()
    overrides = {}
    if args.command == "build":
        overrides = {"out_dir": args.out, "base_url": args.base_url}
    elif args.command == "archive":
        overrides = {"base_url": args.base_url}
    try:
        config = load_config(root, overrides)
    except ConfigError as exc:
        print(f"[错误] {exc}", file=sys.stderr)
        return 1
    if args.command == "check":
        return check(root, config)
    if args.command == "serve":
        from .commands.serve import serve

        return serve(root, config, args.port)
    if args.command == "archive":
        from .commands.archive import archive

        out = Path(args.out or config.archives_dir)
        return archive(root, config, args.year, out if out.is_absolute() else root / out, args.force)
    if args.command == "verify":
        from .commands.archive import verify_command

        return verify_command(Path(args.folder).resolve())
    if args.command == "bench":
        if args.preview:
            from .bench_preview import bench_preview

            bench_preview(args.unit_years)
            return 0
        from .bench import bench

        if args.rounds is not None and args.rounds < 1:
            print("[错误] --rounds 至少为 1。", file=sys.stderr)
            return 2
        bench(args.unit_years, Path(args.keep).resolve() if args.keep else None, args.rounds)
        return 0
    if args.command == "import":
        from .commands.importing import import_command

        return import_command(
            root, config, args.file, args.unit, args.year, args.kind, args.profile, args.force
        )
    if args.command == "schema":
        return write_schemas(root, config)
    return build(root, config, full=args.full)
