#!/usr/bin/env bash
# Installs Debian's chromium and its chromedriver for the web console's browser tests
# (plugin-service's WebConsoleBrowserTest starts them headless, at /usr/bin/chromium and
# /usr/bin/chromedriver; Selenium is pointed at both, so it never downloads a browser).
#
# Idempotent. Needs root.
#   bash .ci/install-browser.sh
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-browser.sh: must run as root" >&2
    exit 1
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600)
    if ! apt-get install "${apt_opts[@]}" chromium chromium-driver >/dev/null; then
        apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null
        apt-get install "${apt_opts[@]}" chromium chromium-driver >/dev/null
    fi
fi

echo "install-browser.sh: $(/usr/bin/chromium --version 2>/dev/null), $(/usr/bin/chromedriver --version | head -n 1)"
