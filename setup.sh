#!/usr/bin/env bash
# Install everything, then solve the built-in example (widths 2,2,2, m = 2, seed 7).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install.sh
mkdir -p out
.venv/bin/algeo solve --widths 2,2,2 --samples 2 --seed 7 --json out/example-2-2-2.json
