#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running VectoBeat: installs what is
# missing, builds, and runs `vectobeat up` (extra arguments are passed to it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release vectobeat
exec ./build/vectobeat up "$@"
