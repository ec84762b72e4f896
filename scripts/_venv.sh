# Sourced by scripts/*: make the virtual environment a script needs, from pyproject.toml, when
# it is missing or stale, then put it first on PATH.
#
# The caller sets `purpose` before sourcing:
#   run    .venv-run: cfshell and what it needs to run, nothing else (scripts/run), so that a
#          user's shell carries no test bench and `help` shows no example plugin;
#   dev    .venv: the same plus the test and bench extras (pytest, pytest-xdist, hypothesis,
#          ruff, pexpect, awscli) and the test suite's example plugin (scripts/test, scripts/bench).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
purpose="${purpose:-dev}"
case "$purpose" in
    run) venv="$root/.venv-run"; extras=""; plugins=() ;;
    dev)
        venv="$root/.venv"; extras="test,bench"
        plugins=("$root"/tests/plugins/*/)
        ;;
    *) echo "_venv.sh: unknown purpose $purpose" >&2; return 2 ;;
esac
stamp="$venv/.cfshell-stamp"
want="$(cat "$root/pyproject.toml" "$root"/tests/plugins/*/pyproject.toml 2>/dev/null \
    | sha256sum | cut -d' ' -f1)-$purpose"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say() { echo "cfshell setup: $*" >&2; }
    say "building $venv (once, and again when pyproject.toml changes)"
    if [ ! -x "$venv/bin/python" ]; then
        say "creating the virtual environment"
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install -q --upgrade pip >&2
    fi
    if [ -n "$extras" ]; then
        say "installing cfshell (editable) with its dependencies and the extras: $extras"
        "$venv/bin/python" -m pip install -q -e "$root[$extras]" >&2
    else
        say "installing cfshell (editable) with what it needs to run: cmd2, boto3, moto, rich..."
        "$venv/bin/python" -m pip install -q -e "$root" >&2
    fi
    for plugin in "${plugins[@]}"; do
        if [ -f "$plugin/pyproject.toml" ]; then
            say "installing the test suite's plugin $(basename "$plugin")"
            "$venv/bin/python" -m pip install -q -e "$plugin" >&2
        fi
    done
    echo "$want" > "$stamp"
    say "ready"
fi
export PATH="$venv/bin:$PATH"
