#!/bin/sh
# bench_analyze.sh -- `make bench-analyze`: `tmkit analyze` of a 10,000-segment
# document against the 247,404-pair English-German memory (target: at most
# 5 s).  Not a timed test: the machine may be loaded; wall and CPU time are
# both printed.
#
#   memory    en_de_pairs.tsv converted by `tmkit convert --from tsv -s en -t de`
#   document  10,000 German sentences: de_large.txt cut by `tmkit segment -l de`,
#             a fixed pseudo-random sample, one a line (analyze segments it
#             again, so the count it reports may differ a little)
#   prints    the index build (first run), then the analysis with the index
#             file (the normal case) with its wall/CPU time and peak RSS, the
#             band totals, and the same with --internal-fuzzy on 2,000 segments.
#
# env: TMKIT, CORPORA (folder with en_de_pairs.tsv and de_large.txt; default
# ../corpora beside the source tree, then /work/corpora), BENCH_DIR (work
# folder; the memory of bench-lookup's folder can be reused), NSEG (10000).
set -eu
TMKIT=${TMKIT:-tmkit}
top=${top_srcdir:-.}
CORPORA=${CORPORA:-$top/../corpora}
[ -f "$CORPORA/en_de_pairs.tsv" ] || CORPORA=/work/corpora
if [ ! -f "$CORPORA/en_de_pairs.tsv" ] || [ ! -f "$CORPORA/de_large.txt" ]; then
    echo "bench-analyze: SKIP: en_de_pairs.tsv or de_large.txt not found (set CORPORA; see ../shared/bench/corpora/make_corpora.sh)"
    exit 0
fi
NSEG=${NSEG:-10000}
dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench-analyze.XXXXXX")}
mkdir -p "$dir"
echo "bench-analyze: work folder $dir; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

mem="$dir/mem.tmx"
if [ ! -s "$mem" ]; then
    "$TMKIT" convert -q --from tsv -s en -t de "$CORPORA/en_de_pairs.tsv" -o "$mem" 2>/dev/null
fi
echo "memory: $mem, $(grep -c '<tu>' "$mem") units"

doc="$dir/doc.txt"
head -c 4000000 "$CORPORA/de_large.txt" | "$TMKIT" segment -l de - 2>/dev/null |
    awk 'length > 0' >"$dir/sentences.txt"
# a fixed sample: every k-th sentence
total=$(wc -l <"$dir/sentences.txt")
awk -v n="$NSEG" -v t="$total" 'BEGIN { k = t / n; if (k < 1) k = 1 } NR >= next_line && c < n { print; c++; next_line = int(c * k) + 1 }' \
    "$dir/sentences.txt" >"$doc"
echo "document: $doc, $(wc -l <"$doc") lines"

run() { # label, then the command
    label=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$@" >"$dir/out.csv" 2>"$dir/err" || {
        echo "bench-analyze: $label failed:"; cat "$dir/err"; exit 1; }
    read -r wall user sys rss <"$dir/time"
    printf '%-36s wall %6.2f s, CPU %6.2f s (user %s + sys %s), peak RSS %d MB\n' "$label" \
        "$wall" "$(echo "$user + $sys" | bc)" "$user" "$sys" "$((rss / 1024))"
}
rm -f "$mem.tmkidx"
run "first run (builds the index file)" "$TMKIT" analyze -m "$mem" -s de -t en --format csv "$doc"
run "analyze, index file reused" "$TMKIT" analyze -m "$mem" -s de -t en --format csv "$doc"
grep '^(all files),' "$dir/out.csv" | cut -d, -f2-4 | tr '\n' ' ' | sed 's/^/bands (band,segments,words): /'
echo
t=$(awk '{ print $1 }' "$dir/time")
echo "target: analyze of $NSEG segments <= 5 s wall: $(echo "$t <= 5" | bc | sed 's/1/met/;s/0/NOT met/') ($t s)"
head -2000 "$doc" >"$dir/doc2k.txt"
run "--internal-fuzzy, 2,000 lines" "$TMKIT" analyze -m "$mem" -s de -t en --internal-fuzzy --format csv "$dir/doc2k.txt"
