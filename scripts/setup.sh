#!/bin/sh
# setup.sh - install the Debian 12 packages borne builds and tests with.
# Installs only what is missing (dpkg-query), with apt-get; downloads nothing else.
set -eu

PKGS="build-essential cmake pkg-config
libsqlite3-dev sqlite3 libmbedtls-dev libcjson-dev libcmocka-dev
libqrencode-dev libmicrohttpd-dev
libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev fonts-dejavu-core
libespeak-ng-dev espeak-ng-data
openssl libssl-dev curl xvfb zbar-tools clang libclang-rt-14-dev python3
libtss2-dev swtpm valgrind"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "setup: installing:$missing"
    if [ "$(id -u)" != 0 ]; then
        echo "setup: these packages are missing and installing them needs root:$missing" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
fi
