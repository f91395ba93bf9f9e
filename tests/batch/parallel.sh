#!/bin/sh
# The scale-out recipe of README "Many pairs on many machines", run locally:
# the pair list is cut into shards, GNU parallel runs one `tmkit build
# --pairs SHARD` per shard, `tmkit merge` joins the shard memories.  Checks:
#  1. the units of the shards, one after the other, are byte for byte the
#     units of one batch build of the whole list (the order is the list's);
#  2. the merged memory equals the single build passed through `tmkit merge`
#     (merge writes a unit that occurs in several pairs once, the first: the
#     single build keeps every occurrence, so it is compared merged too);
#  3. the batch build gives the same memory with -j 1 and -j 2.
# Data: real German-French document pairs from ../shared (Bleualign's and
# Vecalign's evaluation texts), one of them twice so that merge has a
# repeated unit to drop.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
export SOURCE_DATE_EPOCH=1735689600
data=$SHARED_DIR/bench/alignment
if ! have_shared || [ ! -f "$data/bleualign_eval/eval1957.de" ]; then
  skipped "scale-out recipe: needs ../shared (the German-French texts in $data)"
  finish; exit $?
fi
if ! command -v parallel >/dev/null 2>&1; then
  skipped "scale-out recipe: GNU parallel is not installed (apt-get install parallel, or sh build-aux/install-deps.sh --test)"
  finish; exit $?
fi
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
mkdir de fr
for n in 1957 1989; do
  cp "$data/bleualign_eval/eval$n.de" de/eval$n.txt
  cp "$data/bleualign_eval/eval$n.fr" fr/eval$n.txt
done
for n in test0 test1; do
  cp "$data/vecalign_bleualign_data/$n.de" de/$n.txt
  cp "$data/vecalign_bleualign_data/$n.fr" fr/$n.txt
done
cp de/test0.txt de/again.txt; cp fr/test0.txt fr/again.txt
printf '# German-French pairs\n' >pairs.tsv
for n in eval1957 test0 eval1989 again test1; do
  printf 'de/%s.txt\tfr/%s.txt\n' $n $n >>pairs.tsv
done
opts="-s de-DE -t fr-FR --no-spell -q"

# one batch build, with 1 and with 2 workers
if "$TMKIT" build --pairs pairs.tsv $opts -j 1 -o single.tmx 2>err1 &&
   "$TMKIT" build --pairs pairs.tsv $opts -j 2 -o single2.tmx 2>err2; then
  if cmp -s single.tmx single2.tmx; then ok "batch build: -j 1 and -j 2 give the same memory"
  else bad "batch build: -j 1 and -j 2 differ: $(cmp single.tmx single2.tmx)"; fi
else
  bad "batch build failed: $(cat err1 err2)"
fi

# the recipe: shards, GNU parallel, merge -- run twice, as README says a
# failed shard is simply run again: the second run must not take the
# first run's memories (shard.00.tmx) for lists
grep -v '^#' pairs.tsv | split -l 2 -d --additional-suffix=.list - shard.
for run in 1 2; do
  ls shard.*.list >shards
  if parallel --will-cite -j 2 "\"$TMKIT\" build --pairs {} $opts -j 1 -o {.}.tmx" :::: shards 2>perr &&
     "$TMKIT" merge -q shard.*.tmx -o merged$run.tmx 2>merr; then
    ok "recipe, run $run: $(wc -l <shards | tr -d ' ') shards built with GNU parallel and merged"
  else
    bad "recipe, run $run, failed: $(cat perr merr 2>/dev/null)"
  fi
done
if [ -s merged1.tmx ] && cmp -s merged1.tmx merged2.tmx; then
  ok "the recipe run again gives the same memory"
else
  bad "the recipe run again gives another memory: $(cmp merged1.tmx merged2.tmx 2>&1)"
fi
mv merged2.tmx merged.tmx

# 1. the shards' units in order are the single build's units
body() { sed -n '/<body>/,/<\/body>/p' "$1" | sed '/<body>/d; /<\/body>/d'; }
: >shard-units
for s in $(cat shards); do body "${s%.list}.tmx" >>shard-units; done
body single.tmx >single-units
if [ -s single-units ] && cmp -s shard-units single-units; then
  ok "the shards' units, in order, are those of the single build ($(grep -c '<tu>' single-units) units)"
else
  bad "the shards' units differ from the single build's: $(cmp shard-units single-units 2>&1)"
fi

# 2. merged shards = the single build merged
if "$TMKIT" merge -q single.tmx -o single-merged.tmx 2>serr && cmp -s merged.tmx single-merged.tmx; then
  ok "tmkit merge of the shards equals the single build through tmkit merge"
else
  bad "merged shards differ from the merged single build: $(cat serr; cmp merged.tmx single-merged.tmx 2>&1)"
fi
# the repeated pair's units are in the single build twice and once after merge
n1=$(grep -c '<tu>' single.tmx); n2=$(grep -c '<tu>' merged.tmx)
if [ "$n2" -lt "$n1" ]; then ok "merge wrote the repeated pair's units once ($n1 -> $n2)"
else bad "merge kept $n2 of $n1 units: the repeated pair should have been dropped"; fi
finish
