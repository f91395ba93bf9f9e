#!/bin/sh
# segment_multi_table.sh -- per-language table of tmkit's built-in sentence
# rules on pySBD's test sets in ../shared/bench/segmentation/multi (21
# languages, 231 cases), scored with ../shared's score.py (strict: the
# trimmed segments must equal the expected list).
#
#   sh tests/bench/segment_multi_table.sh          (or: make segment-multi-table)
#
# Prints a Markdown table: language, cases, passed, percent.  Needs python3
# and ../shared (set SHARED_DIR otherwise); says so and stops when missing.
# The cases that pass are pinned in tests/spec/segment/multi-passing.txt and
# checked by make check; this script only prints the table.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=${top_srcdir:-$(cd "$here/../.." && pwd)}
TMKIT=${TMKIT:-$top/src/cli/tmkit}
bench=${SHARED_DIR:-$top/../shared}/bench/segmentation
export TMKIT_DATADIR=${TMKIT_DATADIR:-$top/dictionaries}
if [ ! -f "$bench/score.py" ] || [ ! -d "$bench/multi" ]; then
  echo "segment-multi-table: skipped: no $bench/multi (set SHARED_DIR to the shared folder)"
  exit 0
fi
if ! command -v python3 >/dev/null; then
  echo "segment-multi-table: skipped: python3 is not installed"
  exit 0
fi
cd "$bench"
echo "| lang | cases | passed | % |"
echo "| --- | --- | --- | --- |"
all=0; ok=0
for f in multi/golden_*.jsonl; do
  l=${f#multi/golden_}; l=${l%.jsonl}
  n=$(wc -l < "$f")
  last=$(python3 score.py --quiet "$f" "$TMKIT" segment -l "$l" | tail -n 1)
  p=${last%% passed*}
  echo "| $l | $n | $p | $(awk -v p="$p" -v n="$n" 'BEGIN { printf "%.0f", 100 * p / n }') |"
  all=$((all + n)); ok=$((ok + p))
done
echo "| **all** | **$all** | **$ok** | **$(awk -v p="$ok" -v n="$all" 'BEGIN { printf "%.1f", 100 * p / n }')** |"
