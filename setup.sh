#!/usr/bin/env bash
# Installs what tandem needs on Debian (only what is missing) and builds it into build/.
# Idempotent: a second run installs nothing and rebuilds only what changed.
#   ./setup.sh            release build (-O2 -g)
#   SANITIZE=1 ./setup.sh ASan/UBSan build into build-asan/
#   TSAN=1 ./setup.sh     ThreadSanitizer build of the threaded unit tests only, into build-tsan/
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  build-essential cmake ninja-build pkg-config
  liburing-dev libfmt-dev libgtest-dev libxxhash-dev libssl-dev liblzf-dev
  # The reference implementation and clients the tests compare against.
  redis-server redis-tools python3 python3-redis python3-pytest python3-pytest-xdist
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  # The packaged redis-server starts a system instance on 6379 where systemd runs; tests start
  # their own servers on free ports, and tandem's default port must stay free.
  if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
    $sudo systemctl disable --now redis-server >/dev/null 2>&1 || true
  fi
fi

build_dir=build
cmake_args=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_UNITY=ON)
if [ "${SANITIZE:-0}" = 1 ]; then
  build_dir=build-asan
  cmake_args+=(-DTANDEM_SANITIZE=ON)
elif [ "${TSAN:-0}" = 1 ]; then
  build_dir=build-tsan
  cmake_args+=(-DTANDEM_TSAN=ON)
fi
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir"
