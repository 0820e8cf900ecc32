#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with an unlocked gnome-keyring, so that the
# OS keychain code is tested against a real Secret Service. Usage: with-keyring.sh CMD...
# Call it through `dbus-run-session -- .ci/lib/with-keyring.sh CMD...`.
set -euo pipefail
runtime_dir="$(mktemp -d)"
trap 'rm -rf "$runtime_dir"' EXIT
export XDG_RUNTIME_DIR="$runtime_dir"
# A fixed password creates and unlocks a fresh login keyring without a prompt. The
# keyring files live in this run's own folder (the daemon's XDG_DATA_HOME), so runs side
# by side, or a developer's own login keyring, never meet.
mkdir -p "$runtime_dir/data"
eval "$(printf 'batchdesk-test' | XDG_DATA_HOME="$runtime_dir/data" gnome-keyring-daemon --daemonize --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# The daemon claims its bus name asynchronously: ask the bus until it has an owner.
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
    exec "$@"
  fi
  sleep 0.1
done
echo "gnome-keyring did not start its Secret Service." >&2
exit 1
