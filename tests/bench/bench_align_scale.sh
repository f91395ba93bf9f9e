#!/bin/sh
# bench_align_scale.sh -- growth of alignment time and memory with the
# document length: synthetic document pairs of 5,000 / 20,000 / 50,000
# segments made from the German-English pairs in $CORPORA/en_de_pairs.tsv
# (1 % of the German segments left untranslated, 2 % of the English ones
# joining two German segments), aligned with and without a dictionary;
# prints wall time, peak memory, strict/lax F1 and the time per 1,000
# segments (a flat figure = linear growth).  Not part of make check.
# usage: bench_align_scale.sh [TMKIT] ; env CORPORA (default ../corpora beside
# the source tree), SHARED_DIR (for score.py), SIZES.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
TMKIT=${1:-${TMKIT:-$top/src/cli/tmkit}}
CORPORA=${CORPORA:-$top/../corpora}
SHARED_DIR=${SHARED_DIR:-$top/../shared}
SIZES=${SIZES:-5000 20000 50000}
P=$CORPORA/en_de_pairs.tsv
S=$SHARED_DIR/bench/alignment/score.py
[ -f "$P" ] || { echo "skip: $P absent (set CORPORA; see make_corpora.sh)"; exit 0; }
[ -f "$S" ] || { echo "skip: $S absent (set SHARED_DIR)"; exit 0; }
command -v python3 >/dev/null || { echo "skip: python3 absent"; exit 0; }
[ -x /usr/bin/time ] || { echo "skip: /usr/bin/time absent (apt-get install time)"; exit 0; }
bindir=$(dirname "$TMKIT")
if [ -x "$bindir/.libs/tmkit" ] && [ -d "$bindir/../lib/.libs" ]; then
  LD_LIBRARY_PATH=$(cd "$bindir/../lib/.libs" && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  export LD_LIBRARY_PATH
  TMKIT=$bindir/.libs/tmkit
fi
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
for n in $SIZES; do
  python3 - "$P" "$n" "$out" <<'PY'
import random, sys
path, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(n)
rows = []
with open(path, encoding='utf-8') as f:
    for line in f:
        p = line.rstrip('\n').split('\t')
        if len(p) == 2 and p[0].strip() and p[1].strip():
            rows.append(p)
random.shuffle(rows)
rows = rows[:n]
de, en, gold = [], [], []
k = 0
while k < len(rows):
    r = random.random()
    if r < 0.01:
        gold.append('[%d]:[]' % len(de)); de.append(rows[k][1]); k += 1
    elif r < 0.03 and k + 1 < len(rows):
        gold.append('[%d, %d]:[%d]' % (len(de), len(de) + 1, len(en)))
        de += [rows[k][1], rows[k + 1][1]]; en.append(rows[k][0] + ' ' + rows[k + 1][0]); k += 2
    else:
        gold.append('[%d]:[%d]' % (len(de), len(en))); de.append(rows[k][1]); en.append(rows[k][0]); k += 1
for name, lines in (('de', de), ('en', en), ('gold', gold)):
    with open('%s/%d.%s' % (out, n, name), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
PY
  for mode in --no-dict ""; do
    /usr/bin/time -f "%e %M" -o "$out/time" "$TMKIT" align --src "$out/$n.de" --tgt "$out/$n.en" \
      -s de -t en --segmented $mode -f beads -q >"$out/$n.align" || { echo "FAIL at $n"; exit 1; }
    read -r secs kb <"$out/time"
    f1=$(python3 "$S" -q "$out/$n.gold" "$out/$n.align")
    awk -v n="$n" -v m="${mode:-dict}" -v s="$secs" -v kb="$kb" -v f="$f1" 'BEGIN {
      printf "%6d segments %-9s %6.2f s %6.1f MB  %.3f s per 1000  %s\n", n, m, s, kb / 1024, s * 1000 / n, f }'
  done
done
