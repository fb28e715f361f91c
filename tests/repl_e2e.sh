#!/usr/bin/env bash
# End-to-end test of `nnlearn repl`: scripted through a pipe (the README's example), then in a
# real terminal (tmux, 100x30): type-ahead, echo, a multi-line block, tab completion, a training loop with
# a live chart left in the scrollback, Ctrl-C stopping a loop with the variables kept, :vars,
# history saved, Ctrl-D quitting. Prints `N passed, N failed`; exits 1 if any step failed.
#
#   tests/repl_e2e.sh                 # builds target/debug/nnlearn first
#   NNLEARN_BIN=path/to/nnlearn tests/repl_e2e.sh
SESSION_PREFIX=nnlearn-repl-e2e
SCREEN_HISTORY=200
STEP_SECONDS=40
FAIL_TAIL=30
source "$(dirname "$0")/tmux_harness.sh"

line() { keys -l "$1"; keys Enter; }

# Piped: no prompt, no chart, just what Python's REPL would echo.
OUT=$(printf 'x = torch.ones(2)\nx * 2\nfor i in range(3):\n    plot(i)\n\nx.sum()\n' \
    | NNLEARN_DATA_DIR="$WORK/data" "$BIN" repl 2>&1)
if [ "$OUT" = "$(printf 'tensor([2., 2.])\ntensor(2.)')" ]; then
    pass "piped input is echoed like Python"
else
    fail "piped input is echoed like Python; got:"
    echo "$OUT" | sed 's/^/    | /'
fi

# The first line is typed before the REPL starts: type-ahead must run, not wait for a key.
tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "sleep 1; NNLEARN_DATA_DIR='$WORK/data' '$BIN' repl; echo \"exit status \$?\"; sleep 30"
line "print('typed' + ' ahead')"
step "the prompt appears" ">>>"
step "a line typed ahead of the prompt runs" "typed ahead"

line "w = torch.tensor([1.0, 2.0], requires_grad=True)"
line "(w * w).sum()"
step "an expression is echoed" "tensor(5., grad_fn=<SumBackward0>)"

line "def square(v):"
line "    return v * v"
keys Enter
line "square(12)"
step "a multi-line def runs after the blank line" "144"

keys -l "w.requires"
keys Tab
keys Tab
step "Tab completes attributes" "requires_grad_"
keys C-u

line "model = nn.Linear(1, 1)"
line "opt = optim.SGD(model.parameters(), lr=0.1)"
line "xs = torch.linspace(-1, 1, 32).unsqueeze(1)"
line "for step in range(300):"
line "    loss = F.mse_loss(model(xs), 3 * xs + 1)"
line "    opt.zero_grad()"
line "    loss.backward()"
line "    opt.step()"
line "    plot(loss, label='loss')"
keys Enter
step "training draws a live chart" "━ loss" 60
line "print('after training')"
step "the prompt comes back under the chart" "after training" 60

line "n = 0"
line "while True:"
line "    n += 1"
keys Enter
sleep 1
keys C-c
step "Ctrl-C stops the loop" "KeyboardInterrupt" 10
line "n > 0, w.shape"
step "the session keeps its variables" "(True, torch.Size([2]))"

line ":vars"
step ":vars lists tensors with shape, dtype and device" "torch.float32  cpu"

if screen | grep -qF "━ loss"; then
    pass "the chart stays in the scrollback"
else
    fail "the chart stays in the scrollback"
fi
screen > "$WORK/screen"

keys C-d
step "Ctrl-D quits with status 0" "exit status 0" 10

if grep -qF "def square(v):" "$WORK/data/history.txt" 2>/dev/null; then
    pass "history is saved in the data folder"
else
    fail "history is saved in the data folder: $(head -5 "$WORK/data/history.txt" 2>&1)"
fi

[ -n "${SHOW_SCREEN:-}" ] && cat "$WORK/screen"
finish
