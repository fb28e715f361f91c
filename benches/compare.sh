#!/usr/bin/env bash
# usage: [REF_PY=python-with-torch] benches/compare.sh — the training-step benchmarks of
# issue 11 side by side: benches/training.rs (criterion, median) and benches/pytorch/training.py
# (the same steps in PyTorch, best of 5), run one after the other; prints both and the ratio.
set -eu
cd "$(dirname "$0")/.."
py=${REF_PY:-/tmp/torch/bin/python}
ours=$(cargo bench --bench training 2>/dev/null | awk '
  /^mlp step/ {k="mlp"} /^cnn step/ {k="cnn"} /^char-rnn step/ {k="char-rnn"} /^matmul/ {k="matmul"}
  /time:/ { v=$4; u=$5; if (u=="µs") v/=1000; if (u=="s") v*=1000; print k, v }')
theirs=$("$py" benches/pytorch/training.py 2 2>/dev/null | awk '{ for (i = 2; i <= NF; i++) if ($i == "ms") { print $1, $(i-1); break } }')
printf '%-9s %12s %12s %8s\n' workload "nnlearn ms" "PyTorch ms" ratio
while read -r k a; do
  b=$(printf '%s\n' "$theirs" | awk -v k="$k" '$1 == k {print $2}')
  printf '%-9s %12.3f %12.3f %8.2f\n' "$k" "$a" "$b" "$(echo "$a / $b" | bc -l)"
done <<< "$ours"
