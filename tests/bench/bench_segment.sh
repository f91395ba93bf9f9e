#!/bin/sh
# bench_segment.sh -- segmentation speed: tmkit (built-in rules and
# LanguageTool's SRX) against Moses' splitter (Lingua::Sentence, Debian
# liblingua-sentence-perl) on the same German prose, in one run.
#
#   sh tests/bench/bench_segment.sh [CORPUS]
#
# CORPUS defaults to $CORPUS, else ../corpora/de_large.txt beside the source
# tree.  BENCH_MB (default 4) megabytes of it are used for Moses, the whole
# file for tmkit.  Each figure is the best of 3 runs of the process wall time
# (the machine is shared: compare the ratios, not the absolute numbers).
# Not part of make check.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=${top_srcdir:-$(cd "$here/../.." && pwd)}
TMKIT=${TMKIT:-$top/src/cli/tmkit}
corpus=${1:-${CORPUS:-$top/../corpora/de_large.txt}}
srx=${SHARED_DIR:-$top/../shared}/bench/segmentation/languagetool_segment.srx
mb=${BENCH_MB:-4}
export TMKIT_DATADIR=${TMKIT_DATADIR:-$top/dictionaries}

if [ ! -f "$corpus" ]; then
  echo "bench-segment: skipped: no corpus at $corpus (build it with ../shared/bench/corpora/make_corpora.sh or pass a file)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c $((mb * 1024 * 1024)) "$corpus" > "$tmp/slice.txt"
# cut at the last full line
sed '$d' "$tmp/slice.txt" > "$tmp/slice2.txt" && mv "$tmp/slice2.txt" "$tmp/slice.txt"

now() { perl -MTime::HiRes=time -e 'printf "%.4f\n", time'; }
# best of 3 wall seconds of "$@" < $input > /dev/null
best() {
  input=$1; shift
  b=""
  for i in 1 2 3; do
    t0=$(now); "$@" < "$input" > /dev/null; t1=$(now)
    t=$(echo "$t0 $t1" | awk '{printf "%.4f", $2 - $1}')
    b=$(echo "$t ${b:-$t}" | awk '{print ($1 < $2) ? $1 : $2}')
  done
  echo "$b"
}
mbps() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.1f", $1 / 1048576 / $2; else print "inf" }'; }

big=$(wc -c < "$corpus")
small=$(wc -c < "$tmp/slice.txt")
echo "corpus: $corpus ($big bytes; slice of $small bytes for the comparison)"

t=$(best "$corpus" "$TMKIT" segment -l de)
echo "tmkit segment -l de (whole corpus):            $(mbps "$big" "$t") MB/s"
t_tmk=$(best "$tmp/slice.txt" "$TMKIT" segment -l de)
echo "tmkit segment -l de (slice):                   $(mbps "$small" "$t_tmk") MB/s"
if [ -f "$srx" ]; then
  t_lt=$(best "$tmp/slice.txt" "$TMKIT" segment --srx "$srx" -l de)
  echo "tmkit segment --srx languagetool -l de (slice): $(mbps "$small" "$t_lt") MB/s"
else
  echo "tmkit with LanguageTool's SRX: skipped ($srx absent)"
fi
if perl -MLingua::Sentence -e 1 2>/dev/null; then
  cat > "$tmp/moses.pl" <<'PERL'
use strict; use warnings; use Lingua::Sentence;
binmode(STDIN, ':utf8'); binmode(STDOUT, ':utf8');
my $s = Lingua::Sentence->new('de');
while (my $l = <STDIN>) { chomp $l; print $s->split($l), "\n" if length $l; }
PERL
  t_m=$(best "$tmp/slice.txt" perl "$tmp/moses.pl")
  echo "Moses Lingua::Sentence de (slice):             $(mbps "$small" "$t_m") MB/s"
  echo "ratio tmkit/Moses (same slice):                $(echo "$t_m $t_tmk" | awk '{printf "%.1f", $1 / $2}')x"
  [ -n "$t_lt" ] && echo "ratio tmkit+LanguageTool SRX/Moses:            $(echo "$t_m $t_lt" | awk '{printf "%.1f", $1 / $2}')x"
else
  echo "Moses: skipped (install liblingua-sentence-perl)"
fi
