# Shared by the tmux end-to-end tests (sourced, not run). Before sourcing, set
# SESSION_PREFIX, and optionally SCREEN_HISTORY (lines of scrollback to read),
# STEP_SECONDS (default wait) and FAIL_TAIL (screen lines shown on failure).
# Defines BIN, WORK, SESSION, pass/fail/screen/wait_for/step/keys and `finish`.
set -u

cd "$(dirname "$0")/.."
BIN=${NNLEARN_BIN:-}
if [ -z "$BIN" ]; then
    cargo build --quiet --bin nnlearn || { echo "0 passed, 1 failed (build)"; exit 1; }
    BIN="${CARGO_TARGET_DIR:-target}/debug/nnlearn"
fi
command -v tmux >/dev/null || { echo "tmux is needed"; exit 2; }

WORK=$(mktemp -d)
SESSION="$SESSION_PREFIX-$$"
PASSED=0
FAILED=0
trap 'tmux kill-session -t "$SESSION" 2>/dev/null; rm -rf "$WORK"' EXIT

pass() { PASSED=$((PASSED + 1)); echo "ok     $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAILED $1"; }

screen() { tmux capture-pane -p -S "-${SCREEN_HISTORY:-0}" -t "$SESSION" 2>/dev/null; }

# wait_for TEXT [SECONDS]: polls the screen until TEXT appears.
wait_for() {
    local text=$1 limit=${2:-${STEP_SECONDS:-20}} waited=0
    while [ "$waited" -lt $((limit * 10)) ]; do
        if screen | grep -qF -- "$text"; then
            return 0
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    return 1
}

# step NAME TEXT [SECONDS]: one check; on failure the screen is shown.
step() {
    local name=$1 text=$2 limit=${3:-${STEP_SECONDS:-20}}
    if wait_for "$text" "$limit"; then
        pass "$name"
    else
        fail "$name: did not see '$text' within ${limit}s; screen:"
        screen | tail -"${FAIL_TAIL:-1000}" | sed 's/^/    | /'
    fi
}

keys() { tmux send-keys -t "$SESSION" "$@"; }

# finish: the closing line both runners read, and the exit status.
finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}
