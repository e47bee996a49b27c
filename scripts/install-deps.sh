#!/usr/bin/env bash
# Installs what swiftka-learn needs on a Debian/Ubuntu machine, only where it is missing.
#   scripts/install-deps.sh          libedit-dev and zlib1g-dev (to build and run)
#   scripts/install-deps.sh --test   also kcat and the Python clients the interop tests drive
set -euo pipefail

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "install-deps: need root (or sudo) to run: $*" >&2; exit 1; fi
}

apt_packages=()
[[ -f /usr/include/histedit.h ]] || apt_packages+=(libedit-dev)
[[ -f /usr/include/zlib.h ]] || apt_packages+=(zlib1g-dev)
if [[ $want_test -eq 1 ]]; then
    command -v kcat >/dev/null || apt_packages+=(kcat)
    command -v python3 >/dev/null || apt_packages+=(python3 python3-pip)
fi

if [[ ${#apt_packages[@]} -gt 0 ]]; then
    if ! command -v apt-get >/dev/null; then
        echo "install-deps: please install ${apt_packages[*]} with your package manager" >&2; exit 1
    fi
    echo "install-deps: installing ${apt_packages[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if [[ $want_test -eq 1 ]]; then
    # The versions the interop tests were written against; a client's new release can change
    # what it sends (API versions, defaults), so upgrades are deliberate.
    pins=(confluent-kafka==2.16.1 kafka-python==3.0.12 aiokafka==0.14.0 pytest==9.0.3)
    wrong=()
    for pin in "${pins[@]}"; do
        installed=$(python3 -m pip show "${pin%%==*}" 2>/dev/null | sed -n 's/^Version: //p')
        [[ "$installed" == "${pin##*==}" ]] || wrong+=("$pin")
    done
    if [[ ${#wrong[@]} -gt 0 ]]; then
        echo "install-deps: pip installing ${wrong[*]}"
        python3 -m pip install -q --disable-pip-version-check "${wrong[@]}" \
            || python3 -m pip install -q --disable-pip-version-check --break-system-packages "${wrong[@]}"
    fi
fi
