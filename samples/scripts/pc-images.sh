#!/usr/bin/env bash
# Image benchmark of codec pc against PNG/optipng/WebP/JPEG XL/xz/zstd on ../shared/assets/images
# (grey images). Usage (from the project root, after building cli/target/occam.jar):
#   samples/scripts/pc-images.sh [ASSET_DIR] [WORK_DIR]
# Prints one markdown row per image: bytes and bits per pixel of each method, and the pc encode and
# decode wall times of `occam compress/decompress -T 2` (JVM start and model load included).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
assets="${1:-$root/../shared/assets/images}"
work="${2:-$(mktemp -d)}"
occam="$root/bin/occam"
jar="$root/cli/target/occam.jar"
mkdir -p "$work"
size() { stat -c %s "$1"; }
bpp() { awk -v b="$1" -v n="$2" 'BEGIN { printf "%.3f", b * 8 / n }'; }
echo "| image | pixels | stored | pc (file) | pc (pixels as PGM) | optipng -o7 | cwebp -lossless -z 9 -exact | cjxl -d 0 -e 9 | xz -9e (PGM) | zstd -19 (PGM) | pc enc s | pc dec s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for f in ${FILES:-"$assets"/*.png "$assets"/*.pgm}; do
  name="$(basename "$f")"
  base="$name"
  cp "$f" "$work/$name"; chmod u+w "$work/$name"
  java -cp "$jar" dev.occam.pc.Evaluate pgm "$f" "$work/$base.raw.pgm"
  read -r w h < <(head -c 64 "$work/$base.raw.pgm" | sed -n 2p)
  n=$((w * h))
  t0=$(date +%s.%N)
  "$occam" compress -q -f -T 2 "$work/$name" -o "$work/$name.occ"
  t1=$(date +%s.%N)
  "$occam" decompress -q -f -T 2 "$work/$name.occ" -o "$work/$name.back"
  t2=$(date +%s.%N)
  cmp "$f" "$work/$name.back"
  "$occam" compress -q -f -T 2 "$work/$base.raw.pgm" -o "$work/$base.raw.pgm.occ"
  optipng -quiet -clobber -o7 -out "$work/$base.opt.png" "$work/$base.raw.pgm"
  cwebp -quiet -lossless -z 9 -exact "$work/$base.raw.pgm" -o "$work/$base.webp"
  cjxl -d 0 -e 9 "$work/$base.raw.pgm" "$work/$base.jxl" >/dev/null 2>&1
  xz -9e -k -c "$work/$base.raw.pgm" > "$work/$base.xz"
  zstd -19 -q -c "$work/$base.raw.pgm" > "$work/$base.zst"
  row="| $name | ${w}x${h} | $(size "$f") ($(bpp "$(size "$f")" $n))"
  for g in "$work/$name.occ" "$work/$base.raw.pgm.occ" "$work/$base.opt.png" "$work/$base.webp" "$work/$base.jxl" "$work/$base.xz" "$work/$base.zst"; do
    row="$row | $(size "$g") ($(bpp "$(size "$g")" $n))"
  done
  echo "$row | $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') | $(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.2f", b-a}') |"
done
