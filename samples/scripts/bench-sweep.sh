#!/usr/bin/env bash
# bench-sweep.sh DIR_OR_FILE...
#
# One CSV (on stdout) comparing `occam bench` with the system compressors on the same files.
# Columns are those of `occam bench --format csv`:
#   file,codec,level,original_bytes,compressed_bytes,ratio,bits_per_byte,compress_mb_s,decompress_mb_s,repeats,threads
# System tools appear as codec "sys:NAME" (zstd -19, xz -9e, bzip2 -9, brotli -q 11, gzip -9,
# zpaq -m5, 7z PPMd); a tool missing from PATH is reported as "absent" on stderr and skipped.
# MB/s = 10^6 original bytes per second, median of REPEAT runs (system tools: wall time of the
# process, so JVM-free tools have no start-up cost while occam's numbers are in-process).
# Every system-tool round trip is compared with cmp; a mismatch is reported and the exit status is 1.
#
# Environment: OCCAM (the launcher; default bin/occam of this checkout), CODECS (occam codecs,
# comma-separated; default: all that compress), LEVELS (occam --levels), REPEAT (default 3),
# THREADS (occam -T, default 1), TOOLS (space-separated subset of: zstd xz bzip2 brotli gzip zpaq 7z).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OCCAM="${OCCAM:-$here/../../bin/occam}"
REPEAT="${REPEAT:-3}"
THREADS="${THREADS:-1}"
TOOLS="${TOOLS:-zstd xz bzip2 brotli gzip zpaq 7z}"

if [ "$#" -eq 0 ]; then
  echo "usage: $0 DIR_OR_FILE..." >&2
  exit 2
fi

files=()
for a in "$@"; do
  if [ -d "$a" ]; then
    while IFS= read -r f; do files+=("$f"); done < <(find "$a" -type f ! -name '.*' | LC_ALL=C sort)
  elif [ -f "$a" ]; then
    files+=("$a")
  else
    echo "bench-sweep: $a: no such file or directory" >&2
    exit 1
  fi
done
if [ "${#files[@]}" -eq 0 ]; then
  echo "bench-sweep: no files" >&2
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/bench-sweep.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

echo "file,codec,level,original_bytes,compressed_bytes,ratio,bits_per_byte,compress_mb_s,decompress_mb_s,repeats,threads"

# occam itself, in-process timing
occam_args=(bench --format csv --repeat "$REPEAT" -T "$THREADS")
[ -n "${CODECS:-}" ] && occam_args+=(--codecs "$CODECS")
[ -n "${LEVELS:-}" ] && occam_args+=(--levels "$LEVELS")
if ! "$OCCAM" "${occam_args[@]}" "${files[@]}" > "$tmp/occam.csv"; then
  status=1
fi
tail -n +2 "$tmp/occam.csv"

now_ns() { date +%s%N; }

# median of numbers on stdin
median() { LC_ALL=C sort -n | awk '{v[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# compress_TOOL IN OUT / decompress_TOOL IN OUT (the compressed form is whatever file OUT names)
compress_zstd()   { zstd -q -19 -T1 -c "$1" > "$2"; }
decompress_zstd() { zstd -q -d -c "$1" > "$2"; }
compress_xz()     { xz -9e -T1 -c "$1" > "$2"; }
decompress_xz()   { xz -d -c "$1" > "$2"; }
compress_bzip2()  { bzip2 -9 -c "$1" > "$2"; }
decompress_bzip2(){ bzip2 -d -c "$1" > "$2"; }
compress_brotli() { brotli -q 11 -c "$1" > "$2"; }
decompress_brotli(){ brotli -d -c "$1" > "$2"; }
compress_gzip()   { gzip -9 -n -c "$1" > "$2"; }
decompress_gzip() { gzip -d -c "$1" > "$2"; }
compress_zpaq()   { rm -f "$2.zpaq"; (cd "$(dirname "$1")" && zpaq a "$2.zpaq" "$(basename "$1")" -m5 -t1 >/dev/null 2>&1); mv "$2.zpaq" "$2"; }
decompress_zpaq() { rm -rf "$tmp/zx"; mkdir "$tmp/zx"; cp "$1" "$tmp/zx/a.zpaq"
                    (cd "$tmp/zx" && zpaq x a.zpaq -to out -t1 >/dev/null 2>&1); find "$tmp/zx/out" -type f -exec cat {} + > "$2"; }
# Debian's 7zip package installs 7zz; p7zip installs 7z/7za
SEVENZ=$(command -v 7z || command -v 7zz || command -v 7za || true)
compress_7z()     { rm -f "$2.7z"; "$SEVENZ" a -bd -m0=PPMd -mx=9 -mmt=1 "$2.7z" "$1" >/dev/null; mv "$2.7z" "$2"; }
decompress_7z()   { cp "$1" "$tmp/d.7z"; "$SEVENZ" e -so "$tmp/d.7z" > "$2" 2>/dev/null; }

level_of() {
  case "$1" in zstd) echo 19 ;; xz) echo 9e ;; bzip2) echo 9 ;; brotli) echo 11 ;; gzip) echo 9 ;; zpaq) echo 5 ;; 7z) echo ppmd9 ;; esac
}

for tool in $TOOLS; do
  exe=$tool; [ "$tool" = 7z ] && exe=${SEVENZ:-7z}
  if ! command -v "$exe" > /dev/null 2>&1; then
    echo "bench-sweep: $tool absent" >&2
    continue
  fi
  for f in "${files[@]}"; do
    size=$(wc -c < "$f" | tr -d ' ')
    abs="$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
    : > "$tmp/ct"; : > "$tmp/dt"
    ok=1
    for _ in $(seq "$REPEAT"); do
      t0=$(now_ns); "compress_$tool" "$abs" "$tmp/c" || ok=0; t1=$(now_ns)
      "decompress_$tool" "$tmp/c" "$tmp/d" || ok=0; t2=$(now_ns)
      echo $((t1 - t0)) >> "$tmp/ct"; echo $((t2 - t1)) >> "$tmp/dt"
      if [ "$ok" -ne 1 ] || ! cmp -s "$abs" "$tmp/d"; then ok=0; break; fi
    done
    if [ "$ok" -ne 1 ]; then
      echo "bench-sweep: $f: sys:$tool: round trip FAILED" >&2
      status=1
      continue
    fi
    csize=$(wc -c < "$tmp/c" | tr -d ' ')
    ct=$(median < "$tmp/ct"); dt=$(median < "$tmp/dt")
    awk -v f="$f" -v t="sys:$tool" -v l="$(level_of "$tool")" -v o="$size" -v c="$csize" -v ct="$ct" -v dt="$dt" -v r="$REPEAT" '
      function q(s) { if (s ~ /[",\n]/) { gsub(/"/, "\"\"", s); return "\"" s "\"" } return s }
      BEGIN {
        ratio = c > 0 ? sprintf("%.3f", o / c) : ""
        bpb = o > 0 ? sprintf("%.3f", 8 * c / o) : ""
        cs = ct > 0 ? sprintf("%.3f", o / 1e6 / (ct / 1e9)) : ""
        ds = dt > 0 ? sprintf("%.3f", o / 1e6 / (dt / 1e9)) : ""
        printf "%s,%s,%s,%d,%d,%s,%s,%s,%s,%d,1\n", q(f), t, l, o, c, ratio, bpb, cs, ds, r
      }'
  done
done
exit "$status"
