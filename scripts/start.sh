#!/usr/bin/env bash
# Set up, build the bundled portal into site/, and serve it on http://127.0.0.1:${PORT:-8000}/.
# 安装依赖、生成网站（site/），并在本机 http://127.0.0.1:8000/ 上预览。按 Ctrl+C 停止。
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${PORT:-8000}"

bash scripts/setup.sh
.venv/bin/python build.py build

echo
echo "网站已生成在 site/ 目录。请用浏览器打开：http://127.0.0.1:${PORT}/"
echo "（按 Ctrl+C 停止预览；改了数据后重新运行本命令或 python build.py build）"
echo
exec .venv/bin/python -m http.server "$PORT" --bind 127.0.0.1 --directory site
