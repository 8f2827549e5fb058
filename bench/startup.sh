#!/usr/bin/env bash
# Start-up time of short certgate commands, as a user runs them through the launcher: each command RUNS times
# (default 10) per configuration, printing the median wall time and the median CPU time (user + system) in ms.
# The configurations: the launcher without its start-up measures (CERTGATE_CDS=off: no class-data-sharing
# archive, full JIT), as it runs by default (AppCDS archive; C1 only for help and a single verify), the archive
# with the full JIT (JAVA_OPTS=-XX:TieredStopAtLevel=4 overrides the launcher's choice), and the default plus
# the serial collector.
# Usage: bench/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-10}"
P=policies/examples/pki
verify=(verify --trust "$P/issuing-ca.pem" --crl "$P/issuing-ca.crl" --at 2030-01-01T00:00:00Z
        --id fqdn:gw1.example.net --peer "$P/gw-good.pem")

./certgate --version >/dev/null   # build the jar and the archive first, outside the measurement

# median of the numbers on standard input
median() {
    sort -n | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

# measure LABEL ENV... -- ARGS...: RUNS runs of ./certgate ARGS under the environment assignments ENV
measure() {
    local label="$1"
    shift
    local env=()
    while [[ "$1" != "--" ]]; do env+=("$1"); shift; done
    shift
    local walls=() cpus=() i wall user sys times
    times="$(mktemp)"
    for ((i = 0; i < runs; i++)); do
        env ${env[@]+"${env[@]}"} /usr/bin/time -o "$times" -f '%e %U %S' ./certgate "$@" >/dev/null 2>&1 || true
        read -r wall user sys < "$times"
        walls+=("$(awk -v w="$wall" 'BEGIN { print w * 1000 }')")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print (u + s) * 1000 }')")
    done
    rm -f "$times"
    printf '%-44s %-10s %8.0f %8.0f\n' "$label" "$1" "$(printf '%s\n' "${walls[@]}" | median)" \
        "$(printf '%s\n' "${cpus[@]}" | median)"
}

printf '%-44s %-10s %8s %8s\n' "configuration (median of $runs runs)" command "wall ms" "cpu ms"
for args in "--help" "verify"; do
    if [[ "$args" == verify ]]; then set -- "${verify[@]}"; else set -- --help; fi
    measure "before: CERTGATE_CDS=off" CERTGATE_CDS=off -- "$@"
    measure "AppCDS archive, full JIT" JAVA_OPTS=-XX:TieredStopAtLevel=4 -- "$@"
    measure "after: the default (AppCDS, C1 only)" -- "$@"
    measure "the default + -XX:+UseSerialGC" JAVA_OPTS=-XX:+UseSerialGC -- "$@"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) processors; $(java -version 2>&1 | head -1)"
