#!/bin/sh
# Interop with real CAT-tool readers (see ../shared/bench/tmx/OMEGAT.md):
#  - OmegaT (console mode) fills every target segment of a German text from a
#    memory tmkit wrote: the built-in pairs, and the sample memory
#    tmx/sample*.tmx when it exists (its German side is the text);
#  - translate-toolkit reads the same memories: every unit with the right
#    source and target.
# Each part skips with a message when the tool is not installed (Debian
# packages omegat, translate-toolkit).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
export SOURCE_DATE_EPOCH=1735689600
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# memories to try: name, TSV of de-DE<TAB>en-US pairs
cp "$here/interop-de-en.tsv" "$work/builtin.tsv"
sets="builtin"
for s in "$top_srcdir"/tmx/sample*.tmx; do
  [ -f "$s" ] || continue
  n=$(basename "$s" .tmx)
  "$TMKIT" convert -q --pair de-DE,en-US "$s" -o "$work/$n.tsv" || { bad "$n: cannot read $s"; continue; }
  sets="$sets $n"
done
for n in $sets; do
  "$TMKIT" convert -q "$work/$n.tsv" -s de-DE -t en-US -o "$work/$n.tmx" || bad "$n: cannot write TMX"
done

omegat_jar=/usr/share/omegat/OmegaT.jar
if command -v java >/dev/null 2>&1 && [ -f "$omegat_jar" ]; then
  for n in $sets; do
    p="$work/omt-$n"
    mkdir -p "$p/source" "$p/tm/auto" "$p/omegat" "$p/glossary" "$p/dictionary" "$p/target" "$work/cfg-$n"
    cat >"$p/omegat.project" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>de-DE</source_lang>
        <target_lang>en-US</target_lang>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
XML
    cat >"$p/omegat/filters.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters removeTags="false" removeSpacesNonseg="false" preserveSpaces="false" ignoreFileContext="false">
    <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
        <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}" sourceEncoding="UTF-8" targetEncoding="UTF-8"/>
        <option name="segmentOn" value="BREAKS"/>
        <option name="lineLength" value=""/>
        <option name="maxLineLength" value=""/>
    </filter>
</filters>
XML
    # the German side, one segment per line (blank lines separate nothing here)
    python3 - "$work/$n.tsv" >"$p/source/text.txt" <<'PY'
import sys
for l in open(sys.argv[1], encoding='utf-8'):
    f = l.rstrip('\n').split('\t')[0]
    if len(f) >= 2 and f[0] == f[-1] == '"' and '"' not in f[1:-1].replace('""', ''):
        f = f[1:-1].replace('""', '"')  # a quoted cell (text starting with a quote)
    print(f.replace('\\n', ' ').replace('\\t', ' ').replace('\\"', '"').replace('\\\\', '\\'))
PY
    cp "$work/$n.tmx" "$p/tm/auto/memory.tmx"
    java -Xmx512m -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Duser.language=en \
      -jar "$omegat_jar" "$p" --config-dir="$work/cfg-$n" --mode=console-translate >"$work/omt-$n.log" 2>&1
    rc=$?
    total=$(awk -F'\t' '/^Total:/ { gsub(/ /, "", $2); print $2 }' "$p/omegat/project_stats.txt" 2>/dev/null)
    left=$(awk -F'\t' '/^Remaining:/ { gsub(/ /, "", $2); print $2 }' "$p/omegat/project_stats.txt" 2>/dev/null)
    if [ $rc -ne 0 ] || [ -z "$total" ] || [ "$total" = 0 ]; then
      bad "OmegaT $n: nothing read (exit $rc): $(tail -3 "$work/omt-$n.log")"
    elif [ "$left" != 0 ]; then
      bad "OmegaT $n: $left of $total segments not filled from the memory"
    else
      ok "OmegaT $n: all $total segments filled from the tmkit memory"
    fi
  done
else
  skipped "OmegaT interop (no java or $omegat_jar; apt-get install omegat)"
fi

ttk_python=/usr/bin/python3
if [ -x "$ttk_python" ] && "$ttk_python" -c 'import translate.storage.tmx' 2>/dev/null; then
  for n in $sets; do
    out=$("$ttk_python" - "$work/$n.tmx" "$work/$n.tsv" <<'PY' 2>&1
import sys
from translate.storage import factory
store = factory.getobject(sys.argv[1])
units = [u for u in store.units if not getattr(u, "isheader", lambda: False)()]
def unesc(s):
    if len(s) >= 2 and s[0] == s[-1] == '"' and '"' not in s[1:-1].replace('""', ''):
        s = s[1:-1].replace('""', '"')  # a quoted cell (text starting with a quote)
    out, i = [], 0
    while i < len(s):
        if s[i] == '\\' and i + 1 < len(s) and s[i + 1] in 'tnr\\"':
            out.append({'t': '\t', 'n': '\n', 'r': '\r', '\\': '\\', '"': '"'}[s[i + 1]]); i += 2
        else:
            out.append(s[i]); i += 1
    return ''.join(out)
pairs = [tuple(unesc(f) for f in l.rstrip('\n').split('\t')[:2]) for l in open(sys.argv[2], encoding='utf-8')]
bad = [i for i, (u, p) in enumerate(zip(units, pairs)) if (u.source, u.target) != p]
if len(units) != len(pairs) or bad:
    print("units %d, pairs %d, first mismatch %s" % (len(units), len(pairs), bad[:1]))
    sys.exit(1)
print(len(units))
PY
)
    if [ $? -eq 0 ]; then ok "translate-toolkit $n: reads all $out units with source and target"
    else bad "translate-toolkit $n: $out"; fi
  done
else
  skipped "translate-toolkit interop (no /usr/bin/python3 with translate; apt-get install translate-toolkit)"
fi
finish
