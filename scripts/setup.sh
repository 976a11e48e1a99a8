# Installs what building, running and testing FamilyLink need, each only when missing.
# Sourced by scripts/run and scripts/test. Everything comes from package registries
# (apt, crates.io, npm): nothing is downloaded from anywhere else.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION=0.21.14
# Trunk fails when NO_COLOR is set.
unset NO_COLOR

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages missing; `--lean` leaves out what they only recommend (for a
# large suite such as LibreOffice, of which the tests need the spreadsheet alone).
apt_ensure() {
  local options=() missing=()
  if [ "${1:-}" = --lean ]; then
    options+=(--no-install-recommends)
    shift
  fi
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "apt: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${options[@]}" "${missing[@]}"
  fi
}

MOTO_VERSION=5.2.5

# A local S3-compatible server for the file store's test: moto's server from PyPI, in a venv
# under the user's cache (kept across work trees); answers where its `moto_server` is.
moto_ensure() {
  local venv="${XDG_CACHE_HOME:-$HOME/.cache}/familylink/moto-$MOTO_VERSION"
  if [ ! -x "$venv/bin/moto_server" ]; then
    python3 -m venv --help >/dev/null 2>&1 || apt_ensure python3-venv
    say "pip: installing moto[server] $MOTO_VERSION into $venv" >&2
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q "moto[server]==$MOTO_VERSION" >&2
  fi
  printf '%s\n' "$venv/bin/moto_server"
}

lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

setup_build() {
  # A C toolchain for SQLite (bundled), libpq for PostgreSQL, Node for the self-hosted plotly.js
  # and wasm-opt.
  apt_ensure pkg-config libpq-dev
  # Brotli for the precompressed copies of the web app's files (scripts/precompress).
  apt_ensure brotli
  # The CJK font i-TLS certificates are set in (read by the server at run time).
  apt_ensure fonts-noto-cjk
  command -v cc >/dev/null || apt_ensure build-essential
  # A machine may have Node from elsewhere (with its own npm): only add Debian's when none.
  command -v npm >/dev/null || apt_ensure nodejs npm
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

  local bindgen
  bindgen=$(lock_version wasm-bindgen)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen" ]; then
    say "installing wasm-bindgen-cli $bindgen (the version in Cargo.lock)"
    # Not --locked: one of its locked dependencies is no longer in the registry.
    cargo install wasm-bindgen-cli --version "$bindgen" --force
  fi
  if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (0.22 needs a newer rustc; takes ~15 minutes once)"
    cargo install --locked trunk --version "$TRUNK_VERSION" --force
  fi
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
}

build_release() {
  say "building the web app (trunk, release)"
  # Trunk runs wasm-opt from PATH: npm's binaryen (frontend/package.json), as Debian's is too old.
  PATH="$PWD/frontend/node_modules/.bin:$PATH" trunk build --release
  say "building the server (release)"
  cargo build --release -p api
}
