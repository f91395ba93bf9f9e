#!/bin/sh
# tsv_roundtrip.sh [CORPORA_DIR] -- the real pairs go TSV -> TMX -> TSV
# byte-identical (issue 13.4).  Reads en_de_pairs.tsv (247,404 English-German
# pairs built by ../shared/bench/corpora/make_corpora.sh, in tmkit's TSV:
# backslash escapes, quotes are text), converts it to TMX and back, and
# compares line by line.  The only lines allowed to differ are those with
# characters XML 1.0 forbids, which convert must report one by one
# ("FILE:LINE: dropped ..."); any other difference, or a reported line that
# is not different, fails (exit 1).  Prints the figures.  Without the
# corpus it says so and exits 0, as the other benchmarks.  `make
# bench-tsv-roundtrip` runs it; in `make check`, tests/tmx/run.sh makes the
# same byte-for-byte comparison.
set -e
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
TMKIT=${TMKIT:-$top_srcdir/src/cli/tmkit}
corpora=${1:-${TMKIT_CORPORA:-}}
if [ -z "$corpora" ]; then
  for d in "$top_srcdir/../corpora" "${SHARED_DIR:-$top_srcdir/../shared}/../corpora"; do
    [ -f "$d/en_de_pairs.tsv" ] && { corpora=$d; break; }
  done
fi
tsv="$corpora/en_de_pairs.tsv"
if [ -z "$corpora" ] || [ ! -f "$tsv" ]; then
  echo "tsv_roundtrip: skipped: no en_de_pairs.tsv (build it with ../shared/bench/corpora/make_corpora.sh, or set TMKIT_CORPORA)"
  exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/tsv-roundtrip.XXXXXX")
trap 'rm -rf "$dir"' EXIT
t0=$(date +%s.%N)
SOURCE_DATE_EPOCH=1735689600 "$TMKIT" convert "$tsv" -s en -t de -o "$dir/pairs.tmx" 2>"$dir/to-tmx.err"
t1=$(date +%s.%N)
"$TMKIT" convert -q "$dir/pairs.tmx" -o "$dir/back.tsv" 2>"$dir/to-tsv.err"
t2=$(date +%s.%N)
# the lines convert reported (characters XML forbids), by number
sed -n 's/^tmkit: .*:\([0-9][0-9]*\): dropped .*/\1/p' "$dir/to-tmx.err" | sort -u >"$dir/reported"
# the lines that differ, by number
awk 'NR == FNR { a[FNR] = $0; n = FNR; next }
     { if (!(FNR in a) || a[FNR] != $0) print FNR; m = FNR }
     END { for (i = m + 1; i <= n; i++) print i }' "$tsv" "$dir/back.tsv" | sort -u >"$dir/differ"
total=$(wc -l <"$tsv")
ndiff=$(wc -l <"$dir/differ")
nrep=$(wc -l <"$dir/reported")
unreported=$(comm -23 "$dir/differ" "$dir/reported" | wc -l)
same_reported=$(comm -13 "$dir/differ" "$dir/reported" | wc -l)
identical=$((total - ndiff))
printf 'tsv_roundtrip: %s lines, %s byte-identical after TSV -> TMX -> TSV, %s differ\n' \
  "$total" "$identical" "$ndiff"
printf 'tsv_roundtrip: %s line(s) reported with characters XML forbids; %s differing line(s) not reported; %s reported line(s) unchanged\n' \
  "$nrep" "$unreported" "$same_reported"
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "tsv_roundtrip: TSV -> TMX %.2f s, TMX -> TSV %.2f s (wall clock)\n", b - a, c - b }'
if [ "$unreported" -ne 0 ] || [ "$same_reported" -ne 0 ] || [ "$(wc -l <"$dir/back.tsv")" -ne "$total" ]; then
  echo "FAIL: tsv_roundtrip: differences other than reported XML-forbidden characters; first ones:"
  comm -23 "$dir/differ" "$dir/reported" | head -5 | while read -r n; do
    echo "  line $n:"; sed -n "${n}p" "$tsv" | head -c 300; echo; sed -n "${n}p" "$dir/back.tsv" | head -c 300; echo
  done
  exit 1
fi
echo "PASS: tsv_roundtrip"
