#!/usr/bin/env bash
# level-sweep.sh FILE... : every level of every codec that compresses (or of CODECS=a,b), one CSV
# on stdout with the columns of `occam bench --format csv`, for ratio/speed curves per codec.
#
# Environment: OCCAM (launcher; default bin/occam of this checkout), CODECS (comma-separated;
# default all codecs that can compress), REPEAT (default 1), THREADS (occam -T, default 1).
# Each codec's level range comes from `occam codecs --format csv`; codecs without levels run once.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OCCAM="${OCCAM:-$here/../../bin/occam}"
REPEAT="${REPEAT:-1}"
THREADS="${THREADS:-1}"

if [ "$#" -eq 0 ]; then
  echo "usage: $0 FILE..." >&2
  exit 2
fi

codecs_csv="$("$OCCAM" codecs --format csv)"
wanted=",${CODECS:-},"
header_done=0
status=0
# columns: name,aliases,extension,kind,levels,default_level,compress,decompress,description
while IFS=, read -r name _aliases _ext _kind levels _default compress _rest; do
  [ "$name" = "name" ] && continue
  [ "$compress" = "yes" ] || continue
  if [ -n "${CODECS:-}" ] && [[ "$wanted" != *",$name,"* ]]; then continue; fi
  args=(bench --format csv --repeat "$REPEAT" -T "$THREADS" --codecs "$name")
  if [ -n "$levels" ] && [ "$levels" != "-" ]; then args+=(--levels "$levels"); fi
  out="$("$OCCAM" "${args[@]}" "$@")" || status=1
  if [ "$header_done" -eq 0 ]; then
    printf '%s\n' "$out"
    header_done=1
  else
    printf '%s\n' "$out" | tail -n +2
  fi
done <<< "$codecs_csv"
exit "$status"
