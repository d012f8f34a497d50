#!/usr/bin/env bash
# Wall time of one cold filter run: `bin/hackable-email filter ...` as a fresh JVM, as Postfix
# runs it, with a sendmail that only reads its input. Uses hyperfine when installed
# (apt-get install hyperfine), else a shell loop. Rerunnable; prints milliseconds.
#
#   postfix-filter/bench/cold-start.sh [RUNS]        (default 10)
#
# STORE=postgresql://USER@HOST:PORT/DB measures with that store (a local cache folder of its
# own); default: a temporary folder store. See store/bench/with-postgres.sh.
set -euo pipefail

runs=${1:-10}
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
launcher="$root/bin/hackable-email"
jar="$root/postfix-filter/target/hackable-email.jar"
mails="$root/postfix-filter/src/main/resources/dev/hackablemail/filter/bench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$launcher" --version >/dev/null   # builds the jar if it is missing
# Make sure the CDS archive exists (the launcher makes it in the background on first use).
for _ in $(seq 1 120); do
    [ -f "${jar%.jar}.jsa" ] && [ "${jar%.jar}.jsa" -nt "$jar" ] && break
    sleep 0.5
done

store=${STORE:-$tmp/store}
mkdir -p "$tmp/store" "$tmp/cache"
printf '#!/bin/sh\ncat >/dev/null\n' > "$tmp/sendmail"
chmod +x "$tmp/sendmail"
for mode in compiler interpreter; do
    printf 'store: %s\ncache: %s\nsendmail: %s\nlog: %s\nreply_period: 0\nexecution: %s\n' \
        "$store" "$tmp/cache" "$tmp/sendmail" "$tmp/filter.log" "$mode" > "$tmp/$mode.yaml"
done
# The plugin goes in as an admin pushes it (the store's layout is the store's business).
"$launcher" plugin push --config "$tmp/compiler.yaml" --guest bob@example.com \
    "$root/example-plugin/dist/plugin.wasm" >/dev/null

declare -A commands=(
    ["no plugin (pass-through)"]="$launcher filter --config $tmp/compiler.yaml -f alice@example.org -- nobody@example.com < $mails/plain.eml"
    ["example plugin, plain mail"]="$launcher filter --config $tmp/compiler.yaml -f alice@example.org -- bob@example.com < $mails/plain.eml"
    ["example plugin, Project XYZ (deliver+reply)"]="$launcher filter --config $tmp/compiler.yaml -f alice@example.org -- bob@example.com < $mails/project-xyz.eml"
    ["same, execution: interpreter"]="$launcher filter --config $tmp/interpreter.yaml -f alice@example.org -- bob@example.com < $mails/project-xyz.eml"
    ["same, plain java -jar (no launcher flags)"]="java -jar $jar filter --config $tmp/compiler.yaml -f alice@example.org -- bob@example.com < $mails/project-xyz.eml"
)
order=("no plugin (pass-through)" "example plugin, plain mail" "example plugin, Project XYZ (deliver+reply)"
    "same, execution: interpreter" "same, plain java -jar (no launcher flags)")

echo "cold start of one filter run, store $store, $runs runs each ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
for name in "${order[@]}"; do
    cmd=${commands[$name]}
    if command -v hyperfine >/dev/null 2>&1; then
        mean=$(hyperfine --warmup 1 --runs "$runs" --export-json "$tmp/h.json" "$cmd" >/dev/null 2>&1 &&
            python3 -c "import json,sys; r=json.load(open('$tmp/h.json'))['results'][0]; print('%6.0f ms  (min %4.0f, max %4.0f)' % (r['mean']*1e3, r['min']*1e3, r['max']*1e3))")
    else
        bash -c "$cmd" >/dev/null 2>&1 || true
        total=0
        for _ in $(seq 1 "$runs"); do
            start=$(date +%s%N)
            bash -c "$cmd" >/dev/null 2>&1 || { echo "failed: $cmd" >&2; exit 1; }
            total=$((total + $(date +%s%N) - start))
        done
        mean=$(printf '%6d ms' $((total / runs / 1000000)))
    fi
    printf '%-45s %s\n' "$name" "$mean"
done
grep -q "exit=0" "$tmp/filter.log" || { echo "the filter did not exit 0: $(tail -1 "$tmp/filter.log")" >&2; exit 1; }
