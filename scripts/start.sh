#!/usr/bin/env bash
# Set up, build the bundled portal into site/, then serve a live preview on http://127.0.0.1:${PORT:-8000}/.
# 安装依赖、生成网站（site/），并在本机 http://127.0.0.1:8000/ 上预览：保存数据或说明文字后浏览器自动刷新。
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${PORT:-8000}"

bash scripts/setup.sh
.venv/bin/python build.py build

echo
echo "网站已生成在 site/ 目录。预览地址：http://127.0.0.1:${PORT}/"
echo "（修改 data/、content/、templates/ 中的文件并保存后，浏览器会自动刷新；按 Ctrl+C 停止）"
echo
exec .venv/bin/python build.py serve --port "$PORT"
