#!/usr/bin/env bash
# Wall time of one cold filter run (`bin/hackable-email filter ...`, a fresh JVM as Postfix
# runs it) on hostile mail: multiparts nested 10,000 deep (667 KB) and a 30 MB text mail,
# with and without the example plugin. Checks that each exits 0 and that sendmail got the
# mail byte for byte. Rerunnable; prints the mean in milliseconds.
#
#   postfix-filter/bench/hostile-mail.sh [RUNS]        (default 3)
set -euo pipefail

runs=${1:-3}
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
launcher="$root/bin/hackable-email"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$launcher" --version >/dev/null   # builds the jar if it is missing

key() { printf '%s' "$1" | tr 'A-Z' 'a-z' | od -An -tx1 | tr -d ' \n'; }
mkdir -p "$tmp/store/$(key bob@example.com)"
cp "$root/example-plugin/dist/plugin.wasm" "$tmp/store/$(key bob@example.com)/plugin.wasm"
printf '#!/bin/sh\ncat > "%s/received"\n' "$tmp" > "$tmp/sendmail"
chmod +x "$tmp/sendmail"
# Generous limits: the figure is the time the work takes, not when a limit stops it (the
# example plugin copies and parses a 30 MB input inside Wasm).
printf 'store: %s\nsendmail: %s\nlog: %s\nreply_period: 0\nplugin_timeout: 60s\ntime_limit: 120s\n' \
    "$tmp/store" "$tmp/sendmail" "$tmp/filter.log" > "$tmp/filter.yaml"

python3 - "$tmp" <<'PY'
import sys
tmp = sys.argv[1]
depth = 10000
head = "From: <alice@example.org>\nTo: <bob@example.com>\nSubject: deep\nMIME-Version: 1.0\n"
parts = "".join('Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(depth))
tail = "".join("--b%d--\n" % i for i in reversed(range(depth)))
open(tmp + "/nested.eml", "w").write(head + parts + "Content-Type: text/plain\n\nat the bottom\n" + tail)
line = "x" * 75 + "\n"
with open(tmp + "/large.eml", "w") as f:
    f.write("From: <alice@example.org>\nTo: <bob@example.com>\nSubject: large\n\n")
    f.write(line * ((30 << 20) // len(line)))
PY

run() { # NAME RECIPIENT MAIL
    local total=0
    for _ in $(seq 1 "$runs"); do
        rm -f "$tmp/received"
        start=$(date +%s%N)
        "$launcher" filter --config "$tmp/filter.yaml" -f alice@example.org -- "$2" < "$3" \
            || { echo "$1: exit $?: $(tail -1 "$tmp/filter.log")" >&2; exit 1; }
        total=$((total + $(date +%s%N) - start))
        cmp -s "$3" "$tmp/received" || { echo "$1: sendmail did not get the mail byte for byte" >&2; exit 1; }
    done
    printf '%-46s %6d ms  (%d bytes)\n' "$1" $((total / runs / 1000000)) "$(stat -c %s "$3")"
}

echo "hostile mail, one cold filter run each, mean of $runs ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
run "nested 10,000 deep, no plugin (not parsed)" nobody@example.com "$tmp/nested.eml"
run "nested 10,000 deep, example plugin" bob@example.com "$tmp/nested.eml"
run "30 MB text, no plugin" nobody@example.com "$tmp/large.eml"
run "30 MB text, example plugin" bob@example.com "$tmp/large.eml"
