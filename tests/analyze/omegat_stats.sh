#!/bin/sh
# Cross-check with a real CAT tool: OmegaT's own match statistics
# (org.omegat.core.statistics.CalcMatchStatistics, what Tools > Match
# Statistics computes) on the bundled sample, run headless through
# OmegatMatchStats.java, against `tmkit analyze` of the same document and
# memory.  Exact matches and repetitions must agree (README, "Analysis":
# why the fuzzy bands may differ).
#
# The document is tmx/sample/de.txt as `tmkit segment` cuts it, one segment a
# line, plus repeated segments and a new sentence twice; OmegaT reads it one
# segment per line (sentence_seg off, segmentOn=BREAKS), so both tools see
# the same segments.  Two OmegaT runs:
#   A  memory in tm/:      OmegaT's Repetitions = tmkit's rep + xrep
#                          (OmegaT puts 100 % memory matches in 95-100 %)
#   B  memory in tm/auto/: OmegaT applies exact matches as translations and
#                          counts a translated segment as an exact match even
#                          when it repeats, so Exact + Repetitions (B) =
#                          tmkit's context + 100 + rep + xrep, and
#                          Exact (B) = tmkit's context + 100 + the repetitions
#                          OmegaT does not count as such (A - B).
# Needs java, javac and OmegaT (build-aux/install-deps.sh --test installs
# omegat and default-jdk-headless); skips visibly without them.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../omegat.sh"

jar=/usr/share/omegat/OmegaT.jar
if [ ! -f "$jar" ] || ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  skipped "OmegaT match statistics: OmegaT, java or javac missing (build-aux/install-deps.sh --test installs omegat and default-jdk-headless)"
  finish; exit
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# OmegaT's class path: its jar and the Class-Path of its manifest
cp_list=$(unzip -p "$jar" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' |
  sed -n '/^Class-Path:/,/^[A-Z][A-Za-z-]*: /p' | sed -e '1s/^Class-Path: //' -e '/^[A-Z][A-Za-z-]*: /d' -e 's/^ //' |
  tr -d '\n' | tr ' ' ':')
cp="$jar:$cp_list"
mkdir -p "$work/cls"
if javac -nowarn -cp "$cp" -d "$work/cls" "$here/OmegatMatchStats.java" >"$work/javac.err" 2>&1; then
  ok "OmegatMatchStats compiled against OmegaT $(unzip -p "$jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Implementation-Version: //p')"
else
  bad "OmegatMatchStats does not compile against this OmegaT:
$(tail -5 "$work/javac.err")"
  finish; exit
fi

# the document
"$TMKIT" segment -l de-DE "$top_srcdir/tmx/sample/de.txt" >"$work/segs.txt" || { bad "tmkit segment failed"; finish; exit; }
{ cat "$work/segs.txt"; sed -n '2p;4p;6p' "$work/segs.txt"
  echo "Ein ganz neuer Satz, den es nirgends gibt."; echo "Ein ganz neuer Satz, den es nirgends gibt."; } >"$work/doc.txt"

project() { # folder, tm subfolder
  p=$1
  mkdir -p "$p/source" "$p/$2" "$p/omegat" "$p/glossary" "$p/dictionary" "$p/target" "$p.cfg"
  cp "$work/doc.txt" "$p/source/doc.txt"
  cp "$top_srcdir/tmx/sample.tmx" "$p/$2/sample.tmx"
  omegat_project "$p"
  cat >"$p/omegat/filters.xml" <<'F'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters removeTags="false" removeSpacesNonseg="true" preserveSpaces="false" ignoreFileContext="false">
    <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
        <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}" sourceEncoding="UTF-8" targetEncoding="UTF-8"/>
        <option name="segmentOn" value="BREAKS"/>
    </filter>
</filters>
F
  timeout 300 java -Xmx512m -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Duser.language=en \
    -cp "$work/cls:$cp" org.omegat.core.statistics.OmegatMatchStats "$p" "$p.cfg" \
    >"$p.out" 2>"$p.err"
}
row() { # file, row title -> segments
  awk -F'\t' -v t="$2" '$1 == t { print $2 }' "$1"
}
project "$work/A" tm
rcA=$?
project "$work/B" tm/auto
rcB=$?
if [ $rcA -ne 0 ] || [ $rcB -ne 0 ] || [ -z "$(row "$work/A.out" Total:)" ]; then
  bad "OmegaT did not give match statistics (exit $rcA/$rcB):
$(tail -5 "$work/A.err")"
  finish; exit
fi
(cd "$work" && "$TMKIT" analyze -m "$top_srcdir/tmx/sample.tmx" --no-index-file --format csv doc.txt) >"$work/tmkit.csv" ||
  { bad "tmkit analyze failed"; finish; exit; }
t() { awk -F, -v b="$1" '$1 == "doc.txt" && $2 == b { print $3 }' "$work/tmkit.csv"; }
ctx=$(t context); rep=$(t rep); xrep=$(t xrep); e100=$(t 100); total=$(t total)
reps=$((rep + xrep)); exact=$((ctx + e100))
oA_total=$(row "$work/A.out" Total:); oA_rep=$(row "$work/A.out" Repetitions:)
oB_exact=$(row "$work/B.out" "Exact match:"); oB_rep=$(row "$work/B.out" Repetitions:)
summary="tmkit: context $ctx, 100% $e100, repetitions $rep + cross-file $xrep, total $total
OmegaT, memory in tm/:
$(cat "$work/A.out")
OmegaT, memory in tm/auto/:
$(cat "$work/B.out")"
if [ "$oA_total" = "$total" ]; then ok "both see $total segments"
else bad "segments differ: OmegaT $oA_total, tmkit $total
$summary"; fi
if [ "$oA_rep" = "$reps" ]; then ok "repetitions agree: $reps"
else bad "repetitions differ: OmegaT $oA_rep, tmkit $reps
$summary"; fi
if [ $((oB_exact + oB_rep)) = $((exact + reps)) ] && [ "$oB_exact" = $((exact + oA_rep - oB_rep)) ]; then
  ok "exact matches agree: tmkit context + 100% = $exact; OmegaT exact $oB_exact of which $((oA_rep - oB_rep)) are repetitions of exact matches"
else bad "exact matches differ: OmegaT exact $oB_exact (repetitions $oB_rep), tmkit context + 100% $exact (repetitions $reps)
$summary"; fi
printf '%s\n' "$summary" | sed 's/^/# /'
finish
