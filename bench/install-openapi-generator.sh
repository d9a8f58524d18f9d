#!/usr/bin/env bash
# Installs the peer generator that `cargo xtask bench` compares against:
# openapi-generator, pinned, from PyPI (the package bundles the jar; it needs
# Java 11 or later on PATH). It goes into a virtual environment under the
# build directory, so nothing outside target/ changes. Not part of .ci/run.
#
# Usage: bash bench/install-openapi-generator.sh [VENV_DIR]
# Default VENV_DIR: target/bench/venv (relative to the workspace root).
set -euo pipefail
cd "$(dirname "$0")/.."

version=7.26.0
venv=${1:-target/bench/venv}

if [[ -x "$venv/bin/openapi-generator-cli" ]] &&
  "$venv/bin/pip" show openapi-generator-cli 2>/dev/null | grep -qx "Version: $version"; then
  echo "openapi-generator-cli $version is already installed in $venv"
  exit 0
fi
command -v java >/dev/null || { echo "error: java is not on PATH; openapi-generator needs Java 11+" >&2; exit 1; }
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-generator-cli==$version"
echo "installed openapi-generator-cli $version in $venv"
