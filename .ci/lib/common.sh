# Shared by .ci/launch and .ci/test: say what is happening, and install what
# is missing on a Debian or Ubuntu machine (apt packages, tauri-driver, node modules).

# Debian packages to build the app (WebKitGTK and friends) and to run its tests headless.
BUILD_PACKAGES=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev
  libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev build-essential file pkg-config)
RUN_PACKAGES=(xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools webkit2gtk-driver x11-utils xdotool)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\n\033[1;31mxx %s\033[0m\n' "$*" >&2; exit 1; }

# Runs a named step and times it, so slow steps show up in CI logs.
step() {
  local name="$1"; shift
  say "$name"
  local started=$SECONDS
  "$@" || fail "$name failed (exit $?)."
  printf '    (%s: %ds)\n' "$name" "$((SECONDS - started))"
}

ensure_apt_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || fail "Missing system packages (${missing[*]}) and no apt-get: install them with your system's package manager."
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "Missing system packages (${missing[*]}); run this script as root or install sudo."
    sudo=(sudo)
  fi
  say "Installing system packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_rust_and_node() {
  command -v cargo >/dev/null || fail "Rust is missing: install it from rustup (https://rustup.rs), then run this again."
  command -v node >/dev/null || fail "Node.js 20.19 or newer is missing: install it, then run this again."
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || fail "Node.js $(node --version) is too old: Batchdesk's UI tools need 20.19 or newer."
}

ensure_tauri_driver() {
  command -v tauri-driver >/dev/null && return 0
  say "Installing tauri-driver (the WebDriver bridge for end-to-end tests)"
  cargo install tauri-driver --locked --version '^2'
}

# `npm ci` when node_modules is missing or older than the lockfile (always in CI).
ensure_node_modules() {
  local marker="$ROOT/ui/node_modules/.package-lock.json"
  if [ -n "${CI:-}" ] || [ ! -f "$marker" ] || [ "$ROOT/ui/package-lock.json" -nt "$marker" ]; then
    say "Installing the UI's npm packages (npm ci)"
    (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
