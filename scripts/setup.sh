#!/usr/bin/env bash
# One-shot, idempotent setup: Python virtualenv (.venv) with the project and its test tools,
# plus the Debian packages the browser tests need (chromium, fonts-noto-cjk).
# Safe to run again: it only does what is still missing.
#
# 一次性安装（可重复运行）：在项目目录建 .venv 并安装本项目及测试工具；
# 缺少 chromium 或中文字体 fonts-noto-cjk 时（以 root 运行）用 apt-get 安装。
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"

say() { printf '[setup] %s\n' "$*"; }
warn() { printf '[setup] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- Python
find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3 python; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

APT_UPDATED=0
apt_install() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    say "apt-get install -y $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null
}

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    PY="$(find_python)" || {
        warn "需要 Python 3.11 或更高版本（未找到）。 Python >= 3.11 is required but was not found."
        exit 1
    }
    if [ -e "$VENV" ] && [ ! -w "$VENV" ]; then
        warn "$VENV 无法使用且不可写（是否由其他用户创建？）。 $VENV is broken and not writable."
        exit 1
    fi
    say "creating $VENV with $PY"
    if ! "$PY" -m venv --clear "$VENV" 2>/dev/null; then
        # Debian's own python3 ships venv/ensurepip separately.
        if is_root && command -v apt-get >/dev/null 2>&1; then
            apt_install python3-venv
            "$PY" -m venv --clear "$VENV"
        else
            warn "无法创建虚拟环境：请安装 python3-venv（sudo apt-get install python3-venv）。"
            warn "Cannot create a virtualenv: install python3-venv."
            exit 1
        fi
    fi
fi

# Reinstall only when pyproject.toml changed (or the previous install did not finish).
STAMP="$VENV/.disclosure-installed"
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$WANT" ] \
    || ! "$VENV/bin/python" -c 'import disclosure, pytest, playwright, ruff, mypy' >/dev/null 2>&1; then
    say "pip install -e .[test]"
    LOG="$VENV/pip-install.log"
    if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test]" >"$LOG" 2>&1; then
        cat "$LOG" >&2
        warn "pip install 失败（见上）。 pip install failed, see above."
        exit 1
    fi
    echo "$WANT" >"$STAMP"
else
    say "Python packages up to date ($VENV)"
fi

# ---------------------------------------------------------------- Debian packages
missing=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if [ ! -x /usr/bin/chromium ]; then
    missing+=(chromium)
fi
if command -v dpkg-query >/dev/null 2>&1; then
    have_pkg fonts-noto-cjk || missing+=(fonts-noto-cjk)
elif ! fc-list ':lang=zh' 2>/dev/null | grep -q .; then
    missing+=(fonts-noto-cjk)
fi

command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)  # the Nu HTML validator
if [ "${#missing[@]}" -gt 0 ]; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
        apt_install "${missing[@]}"
    else
        warn "缺少系统软件包：${missing[*]}。浏览器测试需要它们，请用管理员权限运行："
        warn "    sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk"
        warn "Missing Debian packages: ${missing[*]} (not root, not installing). Browser tests are"
        warn "skipped locally without /usr/bin/chromium and fail in CI (CI=true)."
    fi
else
    say "chromium and fonts-noto-cjk present"
fi
