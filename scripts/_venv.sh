# Sourced by scripts/*: make .venv from pyproject.toml when missing or stale.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
# One environment for tests and benchmarks (awscli is the bench's baseline), so neither reinstalls.
extras="test,bench"
stamp="$venv/.cfshell-stamp"
want="$(cat "$root/pyproject.toml" | sha256sum | cut -d' ' -f1)-$extras"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Setting up $venv (extras: $extras) ..." >&2
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip >&2
    "$venv/bin/python" -m pip install -q -e "$root[$extras]" >&2
    for plugin in "$root"/tests/plugins/*/; do
        [ -f "$plugin/pyproject.toml" ] && "$venv/bin/python" -m pip install -q -e "$plugin" >&2
    done
    echo "$want" > "$stamp"
fi
export PATH="$venv/bin:$PATH"
