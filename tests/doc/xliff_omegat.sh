#!/bin/sh
# A real CAT tool writes the XLIFF: OmegaT translates an XLIFF job of the
# bundled sample (tmx/sample/de.txt cut by `tmkit segment`, one trans-unit a
# segment, plus one sentence no memory has) with tmx/sample.tmx in tm/auto,
# headless (--mode=console-translate), and writes target/doc.xlf.  tmkit
# build of that file must give one unit per segment OmegaT translated
# (Total - Remaining of its project_stats.txt), and every unit must be a
# pair of the memory OmegaT took the translations from.
#
# OmegaT 3.6's XLIFF filter translates the text of <target> (a job file
# carries a copy of the source there) and leaves an untranslated segment's
# copy as it is, with no state: tmkit counts such a copy as untranslated.
# Needs java and OmegaT (build-aux/install-deps.sh --test installs omegat and
# default-jdk-headless); skips visibly without them.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../omegat.sh"

jar=/usr/share/omegat/OmegaT.jar
if [ ! -f "$jar" ] || ! command -v java >/dev/null 2>&1; then
  skipped "OmegaT XLIFF: OmegaT or java missing (build-aux/install-deps.sh --test installs omegat and default-jdk-headless)"
  finish; exit
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
p=$work/P
mkdir -p "$p/source" "$p/tm/auto" "$p/omegat" "$p/glossary" "$p/dictionary" "$p/target" "$work/cfg"
"$TMKIT" segment -l de-DE "$top_srcdir/tmx/sample/de.txt" >"$work/segs.txt" 2>"$work/err" ||
  { bad "tmkit segment failed: $(cat "$work/err")"; finish; exit; }
echo "Ein ganz neuer Satz, den es nirgends gibt." >>"$work/segs.txt"
xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
  echo '<file original="de.txt" source-language="de-DE" target-language="en-US" datatype="plaintext"><body>'
  xml_escape <"$work/segs.txt" | awk '{ printf "<trans-unit id=\"%d\"><source>%s</source><target>%s</target></trans-unit>\n", NR, $0, $0 }'
  echo '</body></file></xliff>'
} >"$p/source/doc.xlf"
cp "$top_srcdir/tmx/sample.tmx" "$p/tm/auto/sample.tmx"
omegat_project "$p"
if ! timeout 300 java -Xmx512m -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Duser.language=en \
     -jar "$jar" "$p" --config-dir="$work/cfg" --mode=console-translate >"$work/omegat.out" 2>"$work/omegat.err"; then
  bad "OmegaT failed:
$(tail -5 "$work/omegat.err")"
  finish; exit
fi
stat_row() { awk -F'\t' -v t="$1" '$1 ~ "^" t { gsub(/ /, "", $2); print $2; exit }' "$p/omegat/project_stats.txt"; }
total=$(stat_row Total:); remaining=$(stat_row Remaining:)
nsegs=$(wc -l <"$work/segs.txt")
if [ -z "$total" ] || [ "$total" -ne "$nsegs" ] || [ ! -f "$p/target/doc.xlf" ]; then
  bad "OmegaT did not read the XLIFF job ($nsegs segments): Total '$total', target/doc.xlf $(test -f "$p/target/doc.xlf" && echo written || echo missing)"
  finish; exit
fi
translated=$((total - remaining))
if [ "$translated" -lt 1 ] || [ "$remaining" -lt 1 ]; then
  bad "OmegaT translated $translated of $total segments: the check needs some of each"
  finish; exit
fi
ok "OmegaT translated $translated of $total segments of the XLIFF job from the sample memory"
if "$TMKIT" build "$p/target/doc.xlf" -o "$work/out.tmx" 2>"$work/build.err"; then
  ok "tmkit build reads OmegaT's XLIFF: $(cat "$work/build.err")"
else
  bad "tmkit build of OmegaT's XLIFF failed: $(cat "$work/build.err")"; finish; exit
fi
"$TMKIT" convert -q "$work/out.tmx" -o "$work/out.tsv" && "$TMKIT" convert -q "$top_srcdir/tmx/sample.tmx" -o "$work/mem.tsv" ||
  { bad "tmkit convert to TSV failed"; finish; exit; }
units=$(wc -l <"$work/out.tsv")
if [ "$units" -eq "$translated" ]; then ok "one unit per segment OmegaT translated: $units"
else bad "$units units, but OmegaT translated $translated segments"; fi
missing=$(grep -Fvx -f "$work/mem.tsv" "$work/out.tsv")
if [ -z "$missing" ]; then ok "every unit is a pair of the memory OmegaT applied"
else bad "units that are no pair of tmx/sample.tmx:
$missing"; fi
finish
