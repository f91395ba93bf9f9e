#!/bin/sh
# bench_tmx_cg.sh [CORPORA_DIR] -- repeatable TMX speed figures: instructions
# counted by valgrind's callgrind, tmkit against `xmllint --noout --stream`
# on the same ~6 MB TMX (the first ~2.3 MB of en_de_pairs.tsv converted;
# TMX_CG_KB to change).  Instruction counts do not vary with the machine's
# load, unlike timings; the ratio is xmllint's count / tmkit's (above 1 =
# fewer instructions than xmllint).
set -e
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
TMKIT=${TMKIT:-$top_srcdir/src/cli/tmkit}
corpora=${1:-${TMKIT_CORPORA:-$top_srcdir/../corpora}}
kb=${TMX_CG_KB:-2300}
tsv="$corpora/en_de_pairs.tsv"
if [ ! -f "$tsv" ]; then
  echo "bench-tmx-cg: skipped: no $tsv (build it with ../shared/bench/corpora/make_corpora.sh)"
  exit 0
fi
for t in xmllint valgrind; do
  command -v $t >/dev/null 2>&1 || { echo "bench-tmx-cg: skipped: $t missing"; exit 0; }
done
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-tmx-cg.XXXXXX")
trap 'rm -rf "$dir"' EXIT
head -c $((kb * 1024)) "$tsv" | sed '$d' >"$dir/p.tsv"
SOURCE_DATE_EPOCH=1735689600 "$TMKIT" convert -q "$dir/p.tsv" -s en -t de -o "$dir/s.tmx" 2>/dev/null
size=$(wc -c <"$dir/s.tmx")
echo "bench-tmx-cg: $(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }') MB, $(grep -c '<tu>' "$dir/s.tmx") units"
# the libtool wrapper would be counted too: run the real program when built
prog=$TMKIT
libdir=
if [ -x "$(dirname "$TMKIT")/.libs/tmkit" ]; then
  prog="$(dirname "$TMKIT")/.libs/tmkit"
  libdir="$(cd "$(dirname "$TMKIT")/../lib/.libs" 2>/dev/null && pwd)"
fi
count() { # command... -> instructions
  LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" valgrind --tool=callgrind \
    --callgrind-out-file="$dir/cg.out" "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
peer=$(count xmllint --noout --stream "$dir/s.tmx")
printf '%-28s %14s instructions\n' "xmllint --noout --stream" "$peer"
for c in "stats" "validate -q" "convert -q --to tsv" "filter -q --pair en,de" "merge -q"; do
  case $c in
    stats|validate*) n=$(count "$prog" $c "$dir/s.tmx") ;;
    *) n=$(count "$prog" $c "$dir/s.tmx" -o "$dir/out") ;;
  esac
  awk -v c="tmkit $c" -v n="$n" -v p="$peer" 'BEGIN {
    printf "%-28s %14d instructions | vs xmllint: %.3fx\n", c, n, p / n }'
done
