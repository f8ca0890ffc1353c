#!/usr/bin/env bash
# Install if needed, then run the whole test suite (doctests included).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install.sh
exec .venv/bin/python -m pytest "$@"
