#!/usr/bin/env bash
# Throughput and latency of the SMTP paths, in one run (see BENCHMARKS.md):
#   1. smtp-load straight into smtp-sink: the floor of any SMTP hop;
#   2. the daemon (`hackable-email smtpd`) between them, the example plugin on every message
#      (deliver; every fifth mentions Project XYZ, so deliver and reply);
#   3. the pipe filter for comparison (`hackable-email filter`, a JVM per message, as pipe(8)
#      runs it, SESSIONS at once, with a sendmail that only reads);
#   4. Postfix relaying to smtp-sink, without and with the daemon as its content filter
#      (FILTER_README: smtpd -> content_filter -> daemon -> smtpd without filter -> sink),
#      and with the daemon's end-of-data policy hop (reinject_policy: the 10026 smtpd asks the
#      daemon before it commits each re-injected message).
# The daemon is warmed up until its JIT compilers settle (a long-running daemon's steady state).
# Latency is one message's, from MAIL to the answer to DATA (for Postfix: its smtpd's answer,
# given once the mail is queued; msgs/s is then counted until the sink got every message).
#
#   postfix-filter/bench/smtpd.sh [--daemon-only] [MESSAGES] [SESSIONS] [PIPE_MESSAGES]   (default 5000 10 100)
# --daemon-only stops after parts 1 and 2 (about a minute): for comparing two builds of the daemon.
# Needs root and Debian's postfix (smtp-sink; .ci/install-postfix.sh); part 4 is skipped without it.
set -euo pipefail

daemon_only=
if [ "${1:-}" = --daemon-only ]; then daemon_only=1; shift; fi
messages=${1:-5000}
sessions=${2:-10}
pipe_messages=${3:-100}
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
launcher="$root/bin/hackable-email"
jar="$root/postfix-filter/target/hackable-email.jar"
pf=/tmp/hackable-email-bench-postfix
tmp=$(mktemp -d /tmp/hackable-email-bench.XXXXXX)
chmod 755 "$tmp"
pids=()
postfix_started=
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true # a daemon still shutting down writes into $tmp
    [ -n "$postfix_started" ] && /usr/sbin/postfix -c "$pf/etc" stop >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

"$launcher" --version >/dev/null   # builds the jar if it is missing
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }
load() { # PORT LABEL [MESSAGES] [WARM-UP MESSAGES]
    java -jar "$jar" smtp-load --to "127.0.0.1:$1" --sessions "$sessions" --label "$2" \
        --messages "${3:-$messages}" --warmup "${4:-0}"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
jit_ticks() { # CPU of the JVM's C1 and C2 compiler threads
    local t sum=0
    for t in /proc/"$1"/task/*; do
        case "$(cat "$t/comm" 2>/dev/null)" in C1\ Compiler*|C2\ Compiler*)
            sum=$((sum + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0))) ;; esac
    done
    echo "$sum"
}
key() { printf '%s' "$1" | tr 'A-Z' 'a-z' | od -An -tx1 | tr -d ' \n'; }

echo "hackable-email SMTP bench: $messages messages of ~2 KB over $sessions sessions, $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

sink=$(freeport)
smtp-sink -u postfix "127.0.0.1:$sink" 256 2>"$tmp/sink.err" & pids+=($!)
wait_port "$sink"

mkdir -p "$tmp/store/$(key bob@example.com)"
cp "$root/example-plugin/dist/plugin.wasm" "$tmp/store/$(key bob@example.com)/plugin.wasm"
daemon_port=$(freeport)
cat > "$tmp/filter.yaml" <<YAML
store: $tmp/store
log: $tmp/filter.log
reply_period: 0
smtpd:
  listen: 127.0.0.1:$daemon_port
  reinject: 127.0.0.1:$sink
  max_sessions: $sessions
YAML

# 1. the floor
load "$sink" "smtp-sink directly (the floor)" "$messages" 1000 | tee "$tmp/direct"

# 2. the daemon between them
"$launcher" smtpd --config "$tmp/filter.yaml" 2>"$tmp/daemon.err" & daemon=$!; pids+=($daemon)
wait_port "$daemon_port"
# Warm up to the steady state of a long-running daemon: rounds of 2,000 messages until the
# JIT compilers use under 5 % of the daemon's CPU in a round (at most 10 rounds). C2 compiles
# the plugin's generated code for many seconds; a fixed warm-up measured part of that.
warm=0
for round in $(seq 1 10); do
    w0=$(cpu_ticks "$daemon"); j0=$(jit_ticks "$daemon")
    load "$daemon_port" "warm-up" 2000 >/dev/null
    warm=$((warm + 2000))
    w1=$(cpu_ticks "$daemon"); j1=$(jit_ticks "$daemon")
    [ $(( (j1 - j0) * 20 )) -lt $((w1 - w0)) ] && break
done
echo "  (daemon warmed up with $warm messages; JIT compilers at $(( (j1 - j0) * 100 / (w1 - w0 + 1) )) % of its CPU in the last round)"
before=$(cpu_ticks "$daemon")
load "$daemon_port" "daemon (example plugin, reply every 5th)" | tee "$tmp/daemon"
after=$(cpu_ticks "$daemon")
awk -v t=$((after - before)) -v n="$messages" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "  daemon CPU: %.2f ms a message (user+system)\n", t * 1000 / hz / n }'
awk '{ for (i = 1; i <= NF; i++) { if ($i == "msgs/s") r[FILENAME] = $(i-1); if ($i == "p50") a[FILENAME] = $(i+1); if ($i == "p99") b[FILENAME] = $(i+1) } }
     END { d = ARGV[1]; f = ARGV[2];
           printf "  daemon/direct: %.0f %% of the floor'"'"'s msgs/s; added latency p50 %.2f ms, p99 %.2f ms\n",
                  100 * r[f] / r[d], a[f] - a[d], b[f] - b[d] }' "$tmp/direct" "$tmp/daemon"

[ -n "$daemon_only" ] && exit 0

# 3. the pipe filter: a JVM per message
printf '#!/bin/sh\ncat >/dev/null\n' > "$tmp/sendmail"; chmod +x "$tmp/sendmail"
printf 'store: %s\nsendmail: %s\nlog: %s\nreply_period: 0\n' "$tmp/store" "$tmp/sendmail" "$tmp/pipe.log" > "$tmp/pipe.yaml"
mail="$root/postfix-filter/src/main/resources/dev/hackablemail/filter/bench/plain.eml"
start=$(date +%s%N)
seq "$pipe_messages" | xargs -P "$sessions" -I{} bash -c \
    's=$(date +%s%N); "$0" filter --config "$1" -f alice@example.org -- bob@example.com < "$2" || exit 255; echo $(( ($(date +%s%N) - s) / 1000 ))' \
    "$launcher" "$tmp/pipe.yaml" "$mail" > "$tmp/pipe.us"
end=$(date +%s%N)
sort -n "$tmp/pipe.us" | awk -v n="$pipe_messages" -v ns=$((end - start)) -v s="$sessions" '{ v[NR] = $1 }
    END { printf "%-44s %8.1f msgs/s  p50 %6.0f ms  p90 %6.0f ms  p99 %6.0f ms  max %7.0f ms  (%d messages, %d at once)\n",
          "pipe filter (a JVM per message)", n / (ns / 1e9), v[int(NR*0.5)+1]/1e3, v[int(NR*0.9)+1]/1e3,
          v[int(NR*0.99)+1]/1e3, v[NR]/1e3, n, s }'

# 4. Postfix without and with the daemon as content filter
if [ "$(id -u)" -ne 0 ] || [ ! -x /usr/sbin/postfix ]; then
    echo "(Postfix part skipped: needs root and /usr/sbin/postfix)"
    exit 0
fi
exec 8>"$pf.lock"; flock 8
[ -f "$pf/etc/main.cf" ] && /usr/sbin/postfix -c "$pf/etc" stop >/dev/null 2>&1 || true
rm -rf "$pf"; mkdir -p "$pf/etc" "$pf/queue" "$pf/data" "$pf/log"; chown postfix "$pf/data"
plain=$(freeport); filtered=$(freeport); reinject=$(freeport); daemon2=$(freeport)
reinject_p=$(freeport); policy=$(freeport)
cat > "$pf/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.bench.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
relayhost = [127.0.0.1]:$sink
maillog_file = $pf/log/maillog
maillog_file_prefixes = $pf
hackable-smtp_destination_recipient_limit = 1
hackable-smtp_destination_concurrency_limit = $sessions
smtp_destination_concurrency_limit = 20
biff = no
CF
{
    grep -v '^smtp .* inet ' /etc/postfix/master.cf
    echo "127.0.0.1:$plain inet n - n - - smtpd"
    echo "127.0.0.1:$filtered inet n - n - - smtpd -o content_filter=hackable-smtp:[127.0.0.1]:$daemon2"
    echo "hackable-smtp unix - - n - $sessions smtp -o smtp_data_done_timeout=1200 -o disable_dns_lookups=yes -o max_use=20"
    reinject_opts="-o content_filter= -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters -o smtpd_helo_restrictions= -o smtpd_client_restrictions= -o smtpd_sender_restrictions= -o smtpd_relay_restrictions=permit_mynetworks,reject -o smtpd_recipient_restrictions=permit_mynetworks,reject -o mynetworks=127.0.0.0/8"
    echo "127.0.0.1:$reinject inet n - n - - smtpd $reinject_opts"
    echo "127.0.0.1:$reinject_p inet n - n - - smtpd $reinject_opts -o smtpd_end_of_data_restrictions=check_policy_service,inet:127.0.0.1:$policy -o smtpd_policy_service_try_limit=1"
} > "$pf/etc/master.cf"
/usr/sbin/postconf -c "$pf/etc" -F '*/*/chroot = n' >/dev/null
/usr/sbin/postfix -c "$pf/etc" start >/dev/null; postfix_started=1
wait_port "$plain"; wait_port "$filtered"
# max_sessions above the transport's maxproc: Postfix's connection cache (scache) holds idle
# connections to the daemon while its smtp processes open new ones; a 421 "Too many
# connections" marks the daemon dead for every queued message until the next queue run.
sed -e "s/^  listen: .*/  listen: 127.0.0.1:$daemon2/" -e "s/^  reinject: .*/  reinject: 127.0.0.1:$reinject/" \
    -e "s/^  max_sessions: .*/  max_sessions: $((2 * sessions))/" \
    -e "s|^log: .*|log: $tmp/filter2.log|" "$tmp/filter.yaml" > "$tmp/filter2.yaml"
echo "  journal: $tmp/journal2" >> "$tmp/filter2.yaml"
kill "$daemon"; wait "$daemon" 2>/dev/null || true
"$launcher" smtpd --config "$tmp/filter2.yaml" 2>"$tmp/daemon2.err" & daemon=$!; pids+=($daemon)
wait_port "$daemon2"

# the load's mails only (to bob), not the daemon's replies to their senders
sent_to_sink() { grep -c "to=<bob@example.com>, relay=127.0.0.1\[127.0.0.1\]:$sink, .*status=sent" "$pf/log/maillog" 2>/dev/null || true; }
queue_empty() { until /usr/sbin/postqueue -c "$pf/etc" -p | grep -q "Mail queue is empty"; do sleep 0.2; done; }
through_postfix() { # PORT LABEL
    local base start end n
    base=$(sent_to_sink); start=$(date +%s%N)
    load "$1" "$2" > "$tmp/postfix.line"
    while [ "$(sent_to_sink)" -lt $((base + messages)) ]; do sleep 0.1; done
    end=$(date +%s%N)
    awk -v n="$messages" -v ns=$((end - start)) -v label="$2" '{ sub(/^.*msgs\/s/, ""); printf "%-44s %8.0f msgs/s %s\n", label, n / (ns / 1e9), $0 }' "$tmp/postfix.line"
}
load "$filtered" "warm-up" 1000 >/dev/null
while [ "$(sent_to_sink)" -lt 1000 ]; do sleep 0.2; done
through_postfix "$plain" "Postfix -> smtp-sink (no content filter)"
through_postfix "$filtered" "Postfix -> daemon -> Postfix -> smtp-sink"
# the same daemon port, now re-injecting into the smtpd that asks it at the end of DATA
queue_empty
kill "$daemon"; wait "$daemon" 2>/dev/null || true
sed -e "s/^  reinject: .*/  reinject: 127.0.0.1:$reinject_p/" -e "s|^  journal: .*|  journal: $tmp/journal3|" \
    -e "s|^log: .*|log: $tmp/filter3.log|" "$tmp/filter2.yaml" > "$tmp/filter3.yaml"
echo "  reinject_policy: 127.0.0.1:$policy" >> "$tmp/filter3.yaml"
"$launcher" smtpd --config "$tmp/filter3.yaml" 2>"$tmp/daemon3.err" & pids+=($!)
wait_port "$daemon2"
load "$filtered" "warm-up" 1000 >/dev/null
while [ "$(sent_to_sink)" -lt $((2 * messages + 2000)) ]; do sleep 0.2; done
through_postfix "$filtered" "Postfix -> daemon+policy -> Postfix -> sink"
echo "  (Postfix rows: msgs/s until smtp-sink got every message; latency: Postfix's smtpd answering DATA)"
