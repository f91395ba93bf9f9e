#!/bin/sh
# bench_spell.sh [CORPUS_DIR] -- tmkit spell against the hunspell CLI, in one run.
#   1. speed without suggestions: hunspell -l vs tmkit spell --no-suggest on de_large.txt
#   2. agreement: flagged words compared, differences listed by kind
#   3. a report with suggestions vs hunspell -a on a sample of SPELL_SUGG_LINES lines
#      (default 300, spread over the file), in the fast (default) and thorough
#      suggestion modes, with how often tmkit's first suggestion is hunspell's,
#      plus the extrapolation to the whole file
# CORPUS_DIR defaults to $SPELL_CORPUS, then ../corpora beside the source tree
# (built by ../shared/bench/corpora/make_corpora.sh).  Figures are wall-clock
# and CPU seconds; the machine may be shared, so compare the ratios.
# SPELL_STEPS lists the steps to run (default "1 2 3"; step 3 alone takes a
# few minutes where steps 1 and 2 take many on a loaded machine, but the
# whole-file extrapolation of step 3 needs step 1); SPELL_MODES the
# suggestion modes of step 3 (default "fast thorough").
: "${TMKIT:?set TMKIT to the tmkit program (make bench-spell does)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
dir=${1:-${SPELL_CORPUS:-$top_srcdir/../corpora}}
f=$dir/de_large.txt
if [ ! -f "$f" ]; then
  echo "bench-spell: skipped: $f not found (build it with ../shared/bench/corpora/make_corpora.sh)"
  exit 0
fi
for p in hunspell python3; do
  command -v $p >/dev/null 2>&1 || { echo "bench-spell: skipped: $p not installed"; exit 0; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# seconds (wall, user+sys) of a command: run CMD... ; result in $wall $cpu
run() {
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@"
  read -r wall u s < "$work/time"
  cpu=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1f", a/b; else print "inf" }'; }

words=$(wc -w < "$f")
echo "== corpus $f: $(wc -c < "$f") bytes, $words words; $(nproc) processors; load $(cut -d' ' -f1-3 /proc/loadavg)"

steps=${SPELL_STEPS:-1 2 3}
has_step() { case " $steps " in *" $1 "*) return 0 ;; esac; return 1; }

if has_step 1 || has_step 2; then
run hunspell -i UTF-8 -l -d de_DE "$f" > "$work/h.txt"; hw=$wall; hcpu=$cpu
run "$TMKIT" spell -d de_DE --no-wordlists --no-suggest --format words "$f" > "$work/t.txt"; tw=$wall; tcpu=$cpu
sort -u "$work/h.txt" > "$work/hu"; sort -u "$work/t.txt" > "$work/tu"
fi
if has_step 1; then
echo "== 1. checking without suggestions"
echo "hunspell -i UTF-8 -l -d de_DE: ${hw} s wall, ${hcpu} s CPU, $(awk -v w="$words" -v t="$hw" 'BEGIN{printf "%.0f", w/t}') words/s"
echo "tmkit spell --no-suggest: ${tw} s wall, ${tcpu} s CPU, $(awk -v w="$words" -v t="$tw" 'BEGIN{printf "%.0f", w/t}') words/s"
echo "ratio: $(ratio "$hw" "$tw")x faster (wall), $(ratio "$hcpu" "$tcpu")x less CPU (target: 20x)"
fi
if has_step 2; then
echo "== 2. agreement with hunspell -l"
comm -23 "$work/hu" "$work/tu" > "$work/h_only"
comm -13 "$work/hu" "$work/tu" > "$work/t_only"
"$TMKIT" spell -d de_DE --no-wordlists --no-suggest --words --format words "$work/h_only" > "$work/h_only_tk"
hunspell -i UTF-8 -l -d de_DE "$work/t_only" > "$work/t_only_hl"
python3 "$top_srcdir/tests/bench/spell_compare.py" "$work/h.txt" "$work/t.txt" \
  "$work/h_only_tk" "$work/t_only_hl"
fi

has_step 3 || exit 0
echo "== 3. report with suggestions (sample)"
n=${SPELL_SUGG_LINES:-300}
total=$(wc -l < "$f")
step=$(( total / n )); [ "$step" -ge 1 ] || step=1
awk -v s="$step" -v n="$n" 'NR % s == 0 && c < n { print; c++ }' "$f" > "$work/sample.txt"
run hunspell -i UTF-8 -a -d de_DE < "$work/sample.txt" > "$work/a.out"; aw=$wall; acpu=$cpu
aocc=$(grep -c '^[&#]' "$work/a.out")
echo "hunspell -a on $n lines: ${aw} s wall, ${acpu} s CPU, $aocc flagged occurrences, $(awk -v t="$aw" -v o="$aocc" 'BEGIN{printf "%.1f", 1000*t/o}') ms each"
for mode in ${SPELL_MODES:-fast thorough}; do
  run "$TMKIT" spell -d de_DE --no-wordlists --suggest-mode $mode "$work/sample.txt" > "$work/r.txt"; rw=$wall; rcpu=$cpu
  rocc=$(wc -l < "$work/r.txt")
  rdist=$(sed 's/^[^:]*:[0-9]*:[0-9]*: //; s/: .*//' "$work/r.txt" | sort -u | wc -l)
  echo "tmkit spell --suggest-mode $mode: ${rw} s wall, ${rcpu} s CPU, $rocc flagged ($rdist distinct), $(awk -v t="$rw" -v o="$rdist" 'BEGIN{printf "%.1f", 1000*t/o}') ms per distinct word"
  echo "  ratio on the sample: $(ratio "$aw" "$rw")x faster (wall), $(ratio "$acpu" "$rcpu")x less CPU (target: 10x)"
  echo "  $(python3 "$top_srcdir/tests/bench/spell_sugg_compare.py" "$work/a.out" "$work/r.txt")"
  if [ $mode = fast ] && has_step 1; then
    hocc=$(wc -l < "$work/h.txt"); tdist=$(wc -l < "$work/tu")
    est_a=$(awk -v t="$aw" -v o="$aocc" -v O="$hocc" 'BEGIN{printf "%.0f", t/o*O}')
    est_t=$(awk -v t="$rw" -v d="$rdist" -v D="$tdist" 'BEGIN{printf "%.0f", t/d*D}')
    echo "  whole file, extrapolated: hunspell -a ~${est_a} s ($hocc flagged occurrences), tmkit ~${est_t} s ($tdist distinct words): $(ratio "$est_a" "$est_t")x"
  fi
done
