#!/bin/sh
# bench_lookup.sh -- `make bench-lookup`: fuzzy lookup on the 247,404-pair
# English-German memory, both directions, with figures and ratios in one run
# (not a timed test: the machine may be loaded; the lookup rates are CPU
# time, which load affects less than wall time).
#
#   memory   en_de_pairs.tsv converted by `tmkit convert --from tsv -s en -t de`
#   queries  per direction: 10,000 real sentences not in the memory (de_large.txt /
#            en_large.txt lines) + 10,000 memory sentences edited (a word inserted,
#            deleted, replaced, two swapped, a number changed, case changed)
#   prints   index build time and peak RSS (/usr/bin/time -v), reopen time,
#            lookups/s on one core (k 5, min 50) with p50/p99 latency, the same
#            for tmkit's brute force on a sample (results compared: identical),
#            translate-toolkit's matcher on a few queries, the ratios, and the
#            1.98-million-unit memory (8 copies) loading and answering.
#
# env: TMKIT (the program), CORPORA (folder with en_de_pairs.tsv, de_large.txt,
# en_large.txt; default ../corpora beside the source tree, then /work/corpora),
# BENCH_DIR (work folder, default a temporary one), BRUTE_N (brute-force sample,
# default 40), TTK_N (translate-toolkit sample, default 3), BIG=0 to skip the
# 1.98M memory.
set -eu
TMKIT=${TMKIT:-tmkit}
top=${top_srcdir:-.}
CORPORA=${CORPORA:-$top/../corpora}
[ -f "$CORPORA/en_de_pairs.tsv" ] || CORPORA=/work/corpora
if [ ! -f "$CORPORA/en_de_pairs.tsv" ]; then
    echo "bench-lookup: SKIP: en_de_pairs.tsv not found (set CORPORA; see ../shared/bench/corpora/make_corpora.sh)"
    exit 0
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
BRUTE_N=${BRUTE_N:-40}
TTK_N=${TTK_N:-3}
BIG=${BIG:-1}
dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench-lookup.XXXXXX")}
mkdir -p "$dir"
echo "bench-lookup: work folder $dir; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

mem="$dir/mem.tmx"
if [ ! -s "$mem" ]; then
    "$TMKIT" convert -q --from tsv -s en -t de "$CORPORA/en_de_pairs.tsv" -o "$mem" 2>/dev/null ||
        "$TMKIT" convert --from tsv -s en -t de "$CORPORA/en_de_pairs.tsv" -o "$mem" 2>/dev/null
fi
units=$(grep -c '<tu>' "$mem" || true)
echo "memory: $mem, $units units, $(($(wc -c <"$mem") / 1048576)) MB"

# queries: real sentences not in the memory, and edited memory sentences
"$PY" - "$CORPORA" "$dir" <<'EOF'
import random, re, sys
corp, out = sys.argv[1], sys.argv[2]
rnd = random.Random(11)
src = {'en': [], 'de': []}
with open(corp + '/en_de_pairs.tsv', encoding='utf-8', errors='replace') as f:
    for line in f:
        p = line.rstrip('\n').split('\t')
        if len(p) >= 2:
            src['en'].append(p[0]); src['de'].append(p[1])
for lang, big in (('de', 'de_large.txt'), ('en', 'en_large.txt')):
    mem = set(src[lang])
    real = []
    with open(corp + '/' + big, encoding='utf-8', errors='replace') as f:
        for line in f:
            s = line.strip()
            if 20 <= len(s) <= 300 and s not in mem and '\\' not in s:
                real.append(s)
    rnd.shuffle(real)
    real = real[:10000]
    cands = [s for s in src[lang] if 3 <= len(s.split()) <= 60 and '\\' not in s]
    vocab = [w for s in rnd.sample(cands, 5000) for w in s.split()]
    edited = []
    for s in rnd.sample(cands, 10000):
        w = s.split()
        op = rnd.randrange(6); i = rnd.randrange(len(w))
        if op == 0: w.insert(i, rnd.choice(vocab))
        elif op == 1 and len(w) > 1: del w[i]
        elif op == 2: w[i] = rnd.choice(vocab)
        elif op == 3 and i + 1 < len(w): w[i], w[i + 1] = w[i + 1], w[i]
        elif op == 4:
            nums = [k for k, x in enumerate(w) if re.fullmatch(r'\d+', x)]
            if nums: w[rnd.choice(nums)] = str(rnd.randrange(1000))
            else: w[i] = w[i].upper()
        else: w[i] = w[i].lower() if w[i][:1].isupper() else w[i].capitalize()
        edited.append(' '.join(w))
    with open('%s/q_%s_real.txt' % (out, lang), 'w', encoding='utf-8') as f:
        f.write('\n'.join(real) + '\n')
    with open('%s/q_%s_edited.txt' % (out, lang), 'w', encoding='utf-8') as f:
        f.write('\n'.join(edited) + '\n')
    with open('%s/q_%s_all.txt' % (out, lang), 'w', encoding='utf-8') as f:
        f.write('\n'.join(real + edited) + '\n')
EOF

field() { sed -n "s/.*$1 \([0-9.]*\).*/\1/p" "$2" | head -1; }

for pair in de:en en:de; do
    s=${pair%:*}; t=${pair#*:}
    idx="$dir/mem.$s-$t.tmkidx"
    echo
    echo "== $s -> $t =="
    rm -f "$idx"
    /usr/bin/time -v "$TMKIT" lookup -m "$mem" -s "$s" -t "$t" -i "$idx" /dev/null \
        >/dev/null 2>"$dir/build.$s.txt" || true
    bw=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): \(.*\)/\1/p' "$dir/build.$s.txt")
    bu=$(sed -n 's/.*User time (seconds): \(.*\)/\1/p' "$dir/build.$s.txt")
    bs=$(sed -n 's/.*System time (seconds): \(.*\)/\1/p' "$dir/build.$s.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): \(.*\)/\1/p' "$dir/build.$s.txt")
    echo "index build (TMX read + index + save): wall $bw, CPU $(echo "$bu $bs" | awk '{printf "%.2f", $1 + $2}') s, peak RSS $((rss / 1024)) MB (targets: 2 s, 300 MB); index $(($(wc -c <"$idx") / 1048576)) MB"
    "$TMKIT" lookup -m "$mem" -s "$s" -t "$t" -i "$idx" --stats /dev/null 2>"$dir/reopen.$s.txt" >/dev/null || true
    echo "reopen (mapped index): $(sed -n 's/.*open \([0-9.]*\) s (\([0-9.]*\) s CPU).*/\1 s wall, \2 s CPU/p' "$dir/reopen.$s.txt") (target 0.3 s)"
    for set in real edited all; do
        "$TMKIT" lookup -m "$mem" -s "$s" -t "$t" -i "$idx" -k 5 --min-score 50 --format tsv --stats \
            "$dir/q_${s}_$set.txt" >"$dir/out.$s.$set.tsv" 2>"$dir/stats.$s.$set.txt" || true
        st="$dir/stats.$s.$set.txt"
        echo "lookup $set ($(sed -n 's/.*; \([0-9]*\) segments, \([0-9]*\) with a match.*/\1 queries, \2 with a match/p' "$st")): $(field '=' "$st") queries/s CPU, p50 $(field 'p50' "$st") ms, p99 $(field 'p99' "$st") ms"
    done
    qps=$(field '=' "$dir/stats.$s.all.txt")
    # brute force on a sample: same results, and its rate
    sample="$dir/sample.$s.txt"
    { head -n $((BRUTE_N / 2)) "$dir/q_${s}_real.txt"; head -n $((BRUTE_N / 2)) "$dir/q_${s}_edited.txt"; } >"$sample"
    "$TMKIT" lookup -m "$mem" -s "$s" -t "$t" -i "$idx" --format tsv "$sample" >"$dir/idx.$s.tsv" 2>/dev/null || true
    "$TMKIT" lookup -m "$mem" -s "$s" -t "$t" -i "$idx" --format tsv --brute-force --stats "$sample" \
        >"$dir/brute.$s.tsv" 2>"$dir/brute.$s.txt" || true
    if cmp -s "$dir/idx.$s.tsv" "$dir/brute.$s.tsv"; then same="identical"; else same="DIFFERENT (see $dir/idx.$s.tsv, $dir/brute.$s.tsv)"; fi
    bq=$(field '=' "$dir/brute.$s.txt")
    echo "tmkit brute force ($BRUTE_N queries): $bq queries/s CPU; results $same; index/brute ratio $(echo "scale=0; $qps / $bq" | bc)x"
    # translate-toolkit's matcher (python3 translate.search.match), a few queries
    if "$PY" -c 'import translate.search.match' 2>/dev/null; then
        head -n "$TTK_N" "$dir/q_${s}_edited.txt" >"$dir/ttk.$s.txt"
        col=$([ "$s" = en ] && echo 0 || echo 1)
        tt=$("$PY" "$top/tests/bench/bench_lookup_ttk.py" "$CORPORA/en_de_pairs.tsv" "$col" "$dir/ttk.$s.txt" 2>/dev/null || echo "")
        if [ -n "$tt" ]; then
            echo "translate-toolkit matcher ($TTK_N queries, min 50, 5 matches; its default 70-character cut): $tt s per query; tmkit index is $(echo "scale=0; $tt * $qps / 1" | bc)x faster"
        fi
    else
        echo "translate-toolkit: SKIP (python3 translate.search.match missing: apt-get install translate-toolkit)"
    fi
done

if [ "$BIG" != 0 ]; then
    echo
    echo "== the 1.98-million-unit memory (8 copies of the pairs), de -> en =="
    big="$dir/big.tmx"
    if [ ! -s "$big" ]; then
        sed -n '1,/<body>/p' "$mem" >"$big"
        sed -n '/<body>/,/<\/body>/p' "$mem" | sed '1d;$d' >"$dir/body"
        for i in 1 2 3 4 5 6 7 8; do cat "$dir/body" >>"$big"; done
        printf '  </body>\n</tmx>\n' >>"$big"
        rm -f "$dir/body"
    fi
    head -n 1000 "$dir/q_de_all.txt" >"$dir/q_big.txt"
    /usr/bin/time -v "$TMKIT" lookup -m "$big" -s de -t en -i "$dir/big.tmkidx" --rebuild-index --stats --format tsv "$dir/q_big.txt" \
        >/dev/null 2>"$dir/big.txt" || true
    echo "$(grep -c '' "$big" >/dev/null; sed -n 's/^tmkit lookup: //p' "$dir/big.txt")"
    echo "peak RSS $(($(sed -n 's/.*Maximum resident set size (kbytes): \(.*\)/\1/p' "$dir/big.txt") / 1024)) MB, wall $(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): \(.*\)/\1/p' "$dir/big.txt")"
fi
echo
echo "bench-lookup: done (files in $dir)"
