#!/usr/bin/env bash
# End-to-end test of the lesson player in a real terminal (tmux, 100x30): opens lesson 2,
# runs a cell, edits and re-runs it, trains with a live chart, stops a long loop and a
# 16000x16000 matmul with Esc, quits with q (and the saved progress records it); also runs without a terminal. Prints `N passed, N failed`; exits 1 if any step failed.
#
#   tests/e2e_tui.sh                 # builds target/debug/nnlearn first
#   NNLEARN_BIN=path/to/nnlearn tests/e2e_tui.sh
SESSION_PREFIX=nnlearn-e2e
source "$(dirname "$0")/tmux_harness.sh"

# Without a terminal: a clear message and exit status 2, never a panic.
NNLEARN_DATA_DIR="$WORK/data" "$BIN" --lang en lesson 2 </dev/null >"$WORK/out" 2>&1
STATUS=$?
if [ "$STATUS" = "2" ] && grep -q "needs a terminal" "$WORK/out"; then
    PASSED=$((PASSED + 1))
    echo "ok     without a terminal: message and exit status 2"
else
    FAILED=$((FAILED + 1))
    echo "FAILED without a terminal: exit status $STATUS, output:"
    sed 's/^/    | /' "$WORK/out"
fi

# A private data folder: no saved progress, nothing left behind.
tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "NNLEARN_DATA_DIR='$WORK/data' '$BIN' --lang en --max-memory 4G lesson 2; echo \$? > '$WORK/status'; sleep 30"

step "lesson 2 opens" "Linear regression"
# The status bar says whether CUDA was found (and if not, why).
step "the status bar reports CUDA" "· CUDA"

# Cell 1 prints the shape of x.
keys Enter
step "a cell runs and shows its output" "torch.Size([4, 3])"

# Edit cell 1: add a line at its end, then run it with Ctrl-R.
keys e
keys Down Down Down Down Down Down End Enter
keys -l "print(x.sum())"
keys C-r
step "an edited cell re-runs with the new output" "tensor(8.)"

# Cell 9 trains a model and plots its loss: Enter first runs the cells before it.
for _ in 1 2 3 4 5 6 7 8; do keys Tab; done
keys Enter
step "training shows the chart legend" "━ loss" 60
step "training finishes" "loss after training" 60

# A long loop in the lesson's session, stopped with Esc.
keys :
keys -l "while True: pass"
keys Enter
step "the loop is running" "(Esc stops)" 10
keys Escape
step "Esc stops the loop with KeyboardInterrupt" "KeyboardInterrupt" 10
keys Escape

# A 16000x16000 matmul (tens of seconds) stopped with Esc at once; its operand stays.
keys :
keys -l "a = torch.ones(16000, 16000); print('made', a.shape[0])"
keys Enter
step "a 16000x16000 tensor is made" "made 16000" 60
keys -l "b = a @ a"
keys Enter
step "the matmul is running" "(Esc stops)" 10
sleep 0.5
# KeyboardInterrupt in the traceback that quotes the product's line.
interrupted() { screen | awk '/^ +b = a @ a/ { run = 1 } run && /KeyboardInterrupt/ { hit = 1 } END { exit !hit }'; }
START=$(date +%s%N)
keys Escape
for _ in $(seq 1 500); do
    interrupted && break
    sleep 0.01
done
MS=$((($(date +%s%N) - START) / 1000000))
if interrupted && [ "$MS" -le 500 ]; then
    pass "Esc stops the matmul with KeyboardInterrupt (${MS} ms)"
else
    fail "Esc stops the matmul with KeyboardInterrupt: ${MS} ms; screen:"
    screen | sed 's/^/    | /'
fi
keys -l "print(a[15999, 15999].item(), 'intact')"
keys Enter
step "the operand is intact" "1.0 intact" 10
keys Escape

keys q
for _ in $(seq 1 100); do
    [ -s "$WORK/status" ] && break
    sleep 0.1
done
STATUS=$(cat "$WORK/status" 2>/dev/null || echo "none")
if [ "$STATUS" = "0" ]; then
    PASSED=$((PASSED + 1))
    echo "ok     q quits with exit status 0"
else
    FAILED=$((FAILED + 1))
    echo "FAILED q quits with exit status 0: got $STATUS"
    screen | sed 's/^/    | /'
fi

if grep -q '"current": "linear-regression"' "$WORK/data/progress.json" 2>/dev/null; then
    PASSED=$((PASSED + 1))
    echo "ok     progress saved on quit"
else
    FAILED=$((FAILED + 1))
    echo "FAILED progress saved on quit: $(cat "$WORK/data/progress.json" 2>&1 | head -5)"
fi

finish
