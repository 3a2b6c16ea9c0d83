# Sourced by the bench scripts: the real programs they drive (mosquitto, mosquitto_sub, python3; clang for the native
# build). As root, whichever is missing is installed from Debian, as test.sh does; otherwise the apt-get line is named.
require_programs() { # program:package ...
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "$0: missing programs; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}
