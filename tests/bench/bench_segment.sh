#!/bin/sh
# bench_segment.sh -- segmentation speed: tmkit (built-in rules and
# LanguageTool's SRX) against Moses' splitter (Lingua::Sentence, Debian
# liblingua-sentence-perl) on the same German prose, in one run.
#
#   sh tests/bench/bench_segment.sh [CORPUS]
#
# CORPUS defaults to $CORPUS, else ../corpora/de_large.txt beside the source
# tree.  BENCH_MB (default 4) megabytes of it are used for Moses, the whole
# file for tmkit.  Each figure is the best of 3 runs, as wall time and as CPU
# time (user + sys; one core).  On a shared machine compare the ratios.
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

# run "$@" < input > /dev/null; print "wall cpu" seconds (cpu = user + sys of the child)
run1() {
  perl -MTime::HiRes=time -e '
    my $in = shift; my $t0 = time;
    open(STDIN, "<", $in) or die; open(STDOUT, ">", "/dev/null") or die;
    system(@ARGV) == 0 or die "failed: @ARGV\n";
    my @t = times; printf STDERR "%.4f %.4f\n", time - $t0, $t[2] + $t[3];' "$@" 2>&1 >/dev/null
}
# best of 3 runs: "wall cpu" (each the minimum)
best() {
  bw=""; bc=""
  for i in 1 2 3; do
    set -- $(run1 "$@") "$@"
    w=$1; c=$2; shift 2
    bw=$(echo "$w ${bw:-$w}" | awk '{print ($1 < $2) ? $1 : $2}')
    bc=$(echo "$c ${bc:-$c}" | awk '{print ($1 < $2) ? $1 : $2}')
  done
  echo "$bw $bc"
}
mbps() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.1f", $1 / 1048576 / $2; else print "inf" }'; }
show() { # label bytes "wall cpu"
  set -- "$1" "$2" $3
  printf '%-44s %6s MB/s wall, %6s MB/s CPU\n' "$1" "$(mbps "$2" "$3")" "$(mbps "$2" "$4")"
}
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.1f", $1 / $2; else print "inf" }'; }

big=$(wc -c < "$corpus")
small=$(wc -c < "$tmp/slice.txt")
echo "corpus: $corpus ($big bytes; slice of $small bytes for the comparison)"

r=$(best "$corpus" "$TMKIT" segment -l de)
show "tmkit segment -l de (whole corpus)" "$big" "$r"
r_tmk=$(best "$tmp/slice.txt" "$TMKIT" segment -l de)
show "tmkit segment -l de (slice)" "$small" "$r_tmk"
r_lt=""
if [ -f "$srx" ]; then
  r_lt=$(best "$tmp/slice.txt" "$TMKIT" segment --srx "$srx" -l de)
  show "tmkit segment --srx languagetool -l de (slice)" "$small" "$r_lt"
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
  r_m=$(best "$tmp/slice.txt" perl "$tmp/moses.pl")
  show "Moses Lingua::Sentence de (slice)" "$small" "$r_m"
  set -- $r_m $r_tmk
  echo "ratio tmkit/Moses (same slice):   $(ratio "$1" "$3")x wall, $(ratio "$2" "$4")x CPU"
  if [ -n "$r_lt" ]; then
    set -- $r_m $r_lt
    echo "ratio tmkit+LanguageTool/Moses:   $(ratio "$1" "$3")x wall, $(ratio "$2" "$4")x CPU"
  fi
else
  echo "Moses: skipped (install liblingua-sentence-perl)"
fi
