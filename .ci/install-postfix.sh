#!/usr/bin/env bash
# Installs Debian's Postfix for the postfix-filter end-to-end test (PostfixE2ETest),
# without questions and without starting the system instance, and lets the test's
# private instances be reached with `sendmail -C DIR` (alternate_config_directories).
#
# Idempotent: run it as often as you like. Needs root (as every machine here is).
#   bash .ci/install-postfix.sh
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-postfix.sh: must run as root" >&2
    exit 1
fi

if [ ! -x /usr/sbin/postfix ] || [ ! -x /usr/sbin/sendmail ]; then
    echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
    echo "postfix postfix/mailname string example.test" | debconf-set-selections
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt/dpkg run instead of failing on its lock.
    apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600)
    if ! apt-get install "${apt_opts[@]}" postfix >/dev/null; then
        apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null
        apt-get install "${apt_opts[@]}" postfix >/dev/null
    fi
fi

# The end-to-end test makes its private instances under /tmp (mktemp -d, the name
# starts with "hackable-e2e-"). Postfix only accepts `sendmail -C DIR` / `postfix -c DIR`
# for a DIR listed in the default instance's alternate_config_directories; a glob is
# not allowed there, so the test uses one fixed config folder that this line names.
E2E_DIR=/tmp/hackable-email-e2e/etc
current=$(postconf -h alternate_config_directories 2>/dev/null || true)
case " ${current//,/ } " in
    *" $E2E_DIR "*) ;;
    *) postconf -e "alternate_config_directories = ${current:+$current, }$E2E_DIR" ;;
esac

# The system instance stays stopped: the test starts its own.
postfix_version=$(postconf -h mail_version)
echo "install-postfix.sh: Postfix $postfix_version at /usr/sbin/postfix; alternate_config_directories = $(postconf -h alternate_config_directories)"
