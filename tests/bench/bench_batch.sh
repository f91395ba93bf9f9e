#!/bin/sh
# bench_batch.sh -- `make bench-batch`: a batch build on all cores against
# one core.  The 11,505 English-German paragraph pairs of
# en_de_docpairs.tsv are written out as document pairs (GROUP consecutive
# paragraphs make one German and one English plain-text document, a
# paragraph a line), then built into one memory with
#   tmkit build --pairs LIST -s de-DE -t en-US --paragraphs=line -j 1
# and the same with -j 2 (-j JOBS).  Prints both wall times, the ratio (target
# >= 1.8 on 2 cores) and whether the two memories are byte for byte the same
# (they must be).  The machine may be shared: the load (uptime) is printed
# before and after; rerun when it was high.
#
# env: TMKIT (the program), CORPORA (folder with en_de_docpairs.tsv; default
# ../corpora beside the source tree, then /work/corpora), GROUP (paragraphs
# per document, default 50), JOBS (default 2), SPELL=0 to add --no-spell,
# BENCH_DIR (work folder, default a temporary one).
set -eu
TMKIT=${TMKIT:-tmkit}
top=${top_srcdir:-.}
CORPORA=${CORPORA:-$top/../corpora}
[ -f "$CORPORA/en_de_docpairs.tsv" ] || CORPORA=/work/corpora
if [ ! -f "$CORPORA/en_de_docpairs.tsv" ]; then
    echo "bench-batch: SKIP: en_de_docpairs.tsv not found (set CORPORA; see ../shared/bench/corpora/make_corpora.sh)"
    exit 0
fi
GROUP=${GROUP:-50}
JOBS=${JOBS:-2}
spell=
[ "${SPELL:-1}" = 0 ] && spell=--no-spell
if [ -n "${BENCH_DIR:-}" ]; then work=$BENCH_DIR; mkdir -p "$work"
else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
export SOURCE_DATE_EPOCH=1735689600

rm -rf "$work/de" "$work/en"
mkdir -p "$work/de" "$work/en"
# en_de_docpairs.tsv: ENGLISH<TAB>GERMAN, one paragraph pair a line
awk -F '\t' -v dir="$work" -v g="$GROUP" '
  BEGIN { last = -1 }
  NF >= 2 {
    d = int(n / g); n++
    if (d != last) {
      if (last >= 0) { close(de); close(en) }
      de = sprintf("%s/de/doc%05d.txt", dir, d); en = sprintf("%s/en/doc%05d.txt", dir, d)
      printf "de/doc%05d.txt\ten/doc%05d.txt\n", d, d > (dir "/pairs.tsv")
      last = d
    }
    print $2 > de; print $1 > en
  }
  END { printf "%d paragraph pairs, %d document pairs\n", n, d + 1 > "/dev/stderr" }
' "$CORPORA/en_de_docpairs.tsv"

echo "bench-batch: $(wc -l <"$work/pairs.tsv" | tr -d ' ') document pairs of $GROUP paragraphs from en_de_docpairs.tsv, $(nproc) processors"
echo "load before: $(uptime)"
# wall time, and the CPU time the build got (user + system: on a shared
# machine a low CPU share, not the program, limits the speed-up)
run() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %U %S %P' -o "$work/time$1" \
            "$TMKIT" build --pairs "$work/pairs.tsv" -s de-DE -t en-US --paragraphs=line $spell -q \
            -j "$1" -o "$work/j$1.tmx"
    else
        s=$(date +%s.%N)
        "$TMKIT" build --pairs "$work/pairs.tsv" -s de-DE -t en-US --paragraphs=line $spell -q \
            -j "$1" -o "$work/j$1.tmx"
        e=$(date +%s.%N)
        echo "$s $e" | awk '{ printf "%.2f ? ? ?\n", $2 - $1 }' >"$work/time$1"
    fi
    read -r wall user sys cpu <"$work/time$1"
    echo "  -j $1     $wall s wall, $user s user + $sys s system CPU ($cpu of one core)"
}
run 1
run "$JOBS"
echo "load after:  $(uptime)"
t1=$(cut -d' ' -f1 "$work/time1"); tn=$(cut -d' ' -f1 "$work/time$JOBS")
echo "$t1 $tn" | awk -v j="$JOBS" '{ printf "  speed-up with -j %s: %.2fx wall (target >= 1.8 on 2 otherwise idle cores)\n", j, $1 / $2 }'
units=$(grep -c '<tu>' "$work/j1.tmx" || true)
if cmp -s "$work/j1.tmx" "$work/j$JOBS.tmx"; then
    echo "  memories: identical byte for byte ($units units)"
else
    echo "  memories: DIFFER: $(cmp "$work/j1.tmx" "$work/j$JOBS.tmx")"
    exit 1
fi
