#!/bin/sh
# bench_tmx.sh [CORPORA_DIR] -- TMX speed and memory, tmkit against xmllint
# in the same run.  Builds a large TMX (default ~400 MB, TMX_BENCH_MB to
# change) in $TMPDIR from en_de_pairs.tsv (tmkit convert, then the body
# repeated), then runs, each under /usr/bin/time -v:
#   xmllint --noout --stream BIG          (the peer)
#   tmkit stats BIG, tmkit validate BIG, tmkit convert BIG (to TSV),
#   tmkit filter --pair en,de BIG, tmkit merge BIG -o OUT
# and prints MB/s (wall and user CPU), peak RSS and the ratio to xmllint.
# Timings on a shared machine are noisy: compare the ratios (stats and
# xmllint alternate TMX_BENCH_ROUNDS times; the best of each and the median
# of the rounds' ratios are printed).
set -e
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
TMKIT=${TMKIT:-$top_srcdir/src/cli/tmkit}
corpora=${1:-${TMKIT_CORPORA:-$top_srcdir/../corpora}}
mb=${TMX_BENCH_MB:-400}
tsv="$corpora/en_de_pairs.tsv"
if [ ! -f "$tsv" ]; then
  echo "bench-tmx: skipped: no $tsv (build it with ../shared/bench/corpora/make_corpora.sh)"
  exit 0
fi
for t in xmllint /usr/bin/time; do
  command -v $t >/dev/null 2>&1 || { echo "bench-tmx: skipped: $t missing"; exit 0; }
done
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-tmx.XXXXXX")
trap 'rm -rf "$dir"' EXIT
one="$dir/one.tmx"; big="$dir/big.tmx"
SOURCE_DATE_EPOCH=1735689600 "$TMKIT" convert -q "$tsv" -s en -t de -o "$one" 2>/dev/null
# header (up to <body>), body, footer; repeat the body to reach the size
sed -n '1,/<body>/p' "$one" >"$big"
sed '1,/<body>/d; /<\/body>/,$d' "$one" >"$dir/body"
bsize=$(wc -c <"$dir/body")
n=$(( (mb * 1048576 + bsize - 1) / bsize ))
i=0; while [ $i -lt $n ]; do cat "$dir/body" >>"$big"; i=$((i+1)); done
printf '  </body>\n</tmx>\n' >>"$big"
rm -f "$dir/body" "$one"
size=$(wc -c <"$big")
smb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')
echo "bench-tmx: $big: $smb MB, $n copies of en_de_pairs.tsv ($(grep -c '<tu>' "$big") units)"
echo "bench-tmx: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # name command...
  name=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$dir/time" || { echo "bench-tmx: $name failed:"; tail -5 "$dir/time"; return 0; }
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time" |
         awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  user=$(sed -n 's/.*User time (seconds): //p' "$dir/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
  awk -v n="$name" -v w="$wall" -v u="$user" -v r="$rss" -v s="$size" -v pw="${peer_wall:-0}" -v pu="${peer_user:-0}" 'BEGIN {
    mbw = s / 1048576 / (w > 0 ? w : 0.001); mbu = s / 1048576 / (u > 0 ? u : 0.001);
    printf "%-26s %7.2f s wall %7.1f MB/s | %7.2f s user %7.1f MB/s | peak RSS %6.1f MB", n, w, mbw, u, mbu, r / 1024;
    if (pw > 0) printf " | vs xmllint: %.2fx wall, %.2fx user", pw / w, pu / u;
    printf "\n" }'
  last_wall=$wall; last_user=$user
}

# stats against xmllint: TMX_BENCH_ROUNDS alternating runs (default 3), then
# the best time of each and their ratio (a shared machine slows single runs)
rounds=${TMX_BENCH_ROUNDS:-3}
best_xw=0; best_xu=0; best_sw=0; best_su=0
: >"$dir/ratios"
r=0
while [ $r -lt $rounds ]; do
  peer_wall=; peer_user=
  run "xmllint --stream" xmllint --noout --stream "$big"
  [ "$best_xu" = 0 ] || awk -v a="$last_user" -v b="$best_xu" 'BEGIN { exit !(a < b) }' &&
    { best_xw=$last_wall; best_xu=$last_user; }
  peer_wall=$last_wall; peer_user=$last_user
  run "tmkit stats" "$TMKIT" stats "$big"
  [ "$best_su" = 0 ] || awk -v a="$last_user" -v b="$best_su" 'BEGIN { exit !(a < b) }' &&
    { best_sw=$last_wall; best_su=$last_user; }
  awk -v a="$peer_user" -v b="$last_user" 'BEGIN { if (b > 0) printf "%.4f\n", a / b }' >>"$dir/ratios"
  r=$((r+1))
done
med=$(sort -n "$dir/ratios" | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
awk -v s="$size" -v xw="$best_xw" -v xu="$best_xu" -v sw="$best_sw" -v su="$best_su" -v n="$rounds" -v med="$med" 'BEGIN {
  printf "best of %d: xmllint %.1f MB/s user, tmkit stats %.1f MB/s user | stats vs xmllint: %.2fx wall, %.2fx user; median of the rounds: %sx user\n",
    n, s / 1048576 / xu, s / 1048576 / su, xw / sw, xu / su, med }'
peer_wall=$best_xw; peer_user=$best_xu
run "tmkit validate" "$TMKIT" validate -q "$big"
run "tmkit convert (to TSV)" "$TMKIT" convert -q "$big" -o "$dir/out.tsv"
rm -f "$dir/out.tsv"
run "tmkit filter --pair" "$TMKIT" filter -q --pair en,de "$big" -o "$dir/out.tmx"
rm -f "$dir/out.tmx"
run "tmkit merge" "$TMKIT" merge -q "$big" -o "$dir/out.tmx"
rm -f "$dir/out.tmx"
run "xmllint --stream (again)" xmllint --noout --stream "$big"
