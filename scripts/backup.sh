#!/usr/bin/env bash
# Cron-ready Quire backup with verification and retention.
#
#   scripts/backup.sh TARGET_ROOT [--keep N] [--dir LEDGER] [--no-verify]
#
# Each run:
#   1. takes an online backup with `quire backup` into TARGET_ROOT/.quire-<UTC>.partial;
#   2. verifies it by restoring it into a temporary directory (`quire restore`, which opens and
#      verifies the copy), unless --no-verify;
#   3. renames it to TARGET_ROOT/quire-<UTC timestamp> (so a listed backup is always complete);
#   4. deletes all but the newest N backups (default 7) of that exact name pattern;
#   5. logs one line to stdout: `<UTC time> quire-backup ok|FAILED ...`.
# Exit 0 on success; on failure the failing step's exit code (see docs/CLI.md), or 1 for usage.
#
# Environment: QUIRE_DIR (ledger when --dir is absent), QUIRE_BIN (the quire launcher to use,
# default bin/quire next to this script), TMPDIR (where the verification copy is restored).
#
# Example crontab line (03:17 every night, keep two weeks):
#   17 3 * * * /opt/quire/scripts/backup.sh /backups/quire --keep 14 --dir /var/lib/quire >> /var/log/quire-backup.log 2>&1
set -euo pipefail

usage() {
  echo "usage: backup.sh TARGET_ROOT [--keep N] [--dir LEDGER] [--no-verify]" >&2
  exit 1
}

here="$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}" 2>/dev/null || echo "${BASH_SOURCE[0]}")")" && pwd)"
quire="${QUIRE_BIN:-$here/../bin/quire}"
root=""
keep=7
ledger="${QUIRE_DIR:-./ledger.state}"
verify=1
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) [ $# -ge 2 ] || usage; keep="$2"; shift 2 ;;
    --keep=*) keep="${1#--keep=}"; shift ;;
    --dir) [ $# -ge 2 ] || usage; ledger="$2"; shift 2 ;;
    --dir=*) ledger="${1#--dir=}"; shift ;;
    --no-verify) verify=0; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "backup.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$root" ] || usage; root="$1"; shift ;;
  esac
done
[ -n "$root" ] || usage
case "$keep" in ''|*[!0-9]*) echo "backup.sh: --keep must be a whole number >= 1, got '$keep'" >&2; exit 1 ;; esac
[ "$keep" -ge 1 ] || { echo "backup.sh: --keep must be at least 1, got $keep" >&2; exit 1; }

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) quire-backup $*"; }

started=$(date +%s)
mkdir -p "$root"

# One run at a time per TARGET_ROOT: a slow backup must not race the next cron tick.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$root/.quire-backup.lock"
  if ! flock -n 9; then
    log "FAILED root=$root reason=another-backup-is-running"
    exit 4
  fi
fi
# Partial copies of runs that died (power loss, kill -9) are never backups: remove them.
rm -rf "$root"/.quire-*.partial

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="$root/quire-$stamp"
partial="$root/.quire-$stamp.partial"
check=""
errfile="$(mktemp "${TMPDIR:-/tmp}/quire-backup-err.XXXXXX")"
step="start"
cleanup() {
  rm -rf "$partial"
  [ -z "$check" ] || rm -rf "$check"
  rm -f "$errfile"
}
trap cleanup EXIT

fail() {
  local code=$1
  local reason
  reason="$(tr '\n' ' ' < "$errfile" | sed 's/  */ /g; s/ $//')"
  log "FAILED step=$step exit=$code ledger=$ledger target=$final reason=\"${reason:-unknown}\""
  exit "$code"
}

if [ -e "$final" ]; then
  echo "backup.sh: $final already exists (two runs in one second?)" > "$errfile"
  step="name"; fail 4
fi

step="backup"
"$quire" --dir "$ledger" backup "$partial" >/dev/null 2>"$errfile" || fail $?

if [ "$verify" -eq 1 ]; then
  step="verify"
  check="$(mktemp -d "${TMPDIR:-/tmp}/quire-backup-check.XXXXXX")"
  "$quire" --dir "$check/ledger" restore "$partial" >/dev/null 2>"$errfile" || fail $?
  rm -rf "$check"
  check=""
fi

step="publish"
mv "$partial" "$final" 2>"$errfile" || fail 5

# Retention: only directories named exactly quire-YYYYMMDDTHHMMSSZ count; the names sort by time.
step="retention"
shopt -s nullglob
backups=("$root"/quire-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z)
shopt -u nullglob
removed=0
if [ "${#backups[@]}" -gt "$keep" ]; then
  excess=$(( ${#backups[@]} - keep ))
  for (( i = 0; i < excess; i++ )); do
    rm -rf "${backups[$i]}" 2>"$errfile" || fail 5
    removed=$(( removed + 1 ))
  done
fi
kept=$(( ${#backups[@]} - removed ))
log "ok ledger=$ledger backup=$final verified=$([ "$verify" -eq 1 ] && echo yes || echo no) kept=$kept removed=$removed seconds=$(( $(date +%s) - started ))"
