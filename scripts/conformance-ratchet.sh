#!/usr/bin/env bash
# Runs the shared PyTorch conformance suite and fails if any case listed in
# tests/conformance-exact.txt is not an exact pass. Add cases as they pass.
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${CONFORMANCE_DIR:-../shared/conformance}"
bin="${1:-target/release/nnlearn}"
if [ ! -x "$suite/run" ]; then
  echo "conformance suite not found at $suite; skipping" >&2
  exit 0
fi
report=$(python3 "$suite/run" --bin "$bin" || true)
echo "$report" | tail -2
missing=0
while read -r name; do
  [ -z "$name" ] && continue
  if ! echo "$report" | grep -qx "pass   $name"; then
    echo "ratchet: $name is no longer an exact pass" >&2
    echo "$report" | grep -E " $name( |$)" >&2 || true
    missing=1
  fi
done < tests/conformance-exact.txt
exit $missing
