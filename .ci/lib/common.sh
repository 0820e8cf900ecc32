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

# Free space (GiB) on the filesystem that will hold the build. A cold build with its
# tests and e2e binaries takes about 10 GiB without incremental data.
free_gib() {
  local dir="$1"
  while [ ! -d "$dir" ]; do dir="$(dirname "$dir")"; done
  df -P -B1G "$dir" | awk 'NR==2 {print $4}'
}

# Makes sure the build directory has room: when it does not, the build cache (ours
# alone, rebuilt from scratch) goes first; when that is not enough, stop with the reason.
ensure_free_disk() {
  local target_dir="$1" needed_gib="$2" free
  free="$(free_gib "$target_dir")"
  say "Disk: ${free} GiB free where the build goes ($target_dir)"
  [ "$free" -ge "$needed_gib" ] && return 0
  if [ -d "$target_dir" ]; then
    say "Less than ${needed_gib} GiB free: removing the old build cache to make room"
    rm -rf "$target_dir"
    free="$(free_gib "$target_dir")"
  fi
  [ "$free" -ge "$needed_gib" ] \
    || fail "Only ${free} GiB free where the build goes; the tests need about ${needed_gib} GiB. Free some space and run again."
}

# Where cargo puts its build output (CARGO_TARGET_DIR, a config file, or target/).
cargo_target_dir() {
  cargo metadata --format-version 1 --no-deps \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))'
}
