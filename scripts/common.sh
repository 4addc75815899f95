# Shared setup for scripts/run and scripts/test: idempotent, and quick when nothing changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
TOOLS="$ROOT/.tools"

ensure_python_packages() {  # $1: requirements file
  local req="$1" stamp="$VENV/.installed-$(basename "$1")"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  local want; want="$(cat requirements.txt "$req" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -r "$req"
    echo "$want" > "$stamp"
  fi
}

ensure_bun() {  # Reflex's own bun installer downloads from the internet; the npm registry has bun.
  local bin="$TOOLS/node_modules/bun/bin"
  if [ ! -x "$bin/bun" ]; then
    npm install --silent --no-audit --no-fund --prefix "$TOOLS" bun@1 >/dev/null
    ln -sf bun.exe "$bin/bun"
  fi
  export REFLEX_BUN_PATH="$bin/bun"
}

ensure_axe() {  # axe-core, the accessibility checker the browser tests run in each page, from the npm registry
  if [ ! -f "$TOOLS/node_modules/axe-core/axe.min.js" ]; then
    npm install --silent --no-audit --no-fund --prefix "$TOOLS" axe-core@4 >/dev/null
  fi
}

prepare_database() {  # migrate to head, load reference data, make sure an administrator exists
  "$VENV/bin/reflex" db migrate
  "$VENV/bin/python" -m wbs_app.cli setup
}

export PATH="$VENV/bin:$PATH"
export REFLEX_TELEMETRY_ENABLED=false
export REFLEX_USE_GRANIAN="${REFLEX_USE_GRANIAN:-false}"  # gunicorn + uvicorn: see rxconfig.py
export REFLEX_CHECK_LATEST_VERSION=false  # no outbound connection: Reflex would ask PyPI for its latest version
