#!/bin/sh
# --keep-formatting on documents written by a real tool: LibreOffice
# (headless, Debian libreoffice-writer-nogui) saves two pages with bold,
# italic and a link (tests/cli/build-keep-formatting/files) as DOCX and ODT;
# tmkit builds a memory from each pair with --keep-formatting.  It must be
# a valid TMX and equal, byte for byte, the memory of the pages themselves
# (the same <bpt>/<ept> around the same words); without the option the
# memory must equal the plain texts' one.  Without soffice the checks are
# skipped with the reason.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
: "${TMKIT:?TMKIT not set}"
export SOURCE_DATE_EPOCH=1735689600
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$top_srcdir"/tests/cli/build-keep-formatting/files/*.html \
   "$top_srcdir"/tests/cli/build-keep-formatting/files/*.txt "$work/"
cd "$work" || exit 99
"$TMKIT" build -q --no-spell --keep-formatting de.html en.html -o html.tmx ||
  { bad "build --keep-formatting de.html en.html failed"; finish; }
"$TMKIT" build -q --no-spell de.txt en.txt -o txt.tmx || { bad "build de.txt en.txt failed"; finish; }
if grep -q '<bpt i="1" type="bold">&lt;b&gt;</bpt>fett<ept i="1">&lt;/b&gt;</ept>' html.tmx &&
   grep -q '<bpt i="2" type="italic">&lt;i&gt;</bpt>italic<ept i="2">&lt;/i&gt;</ept>' html.tmx &&
   grep -q 'type="link">&lt;a href=&quot;https://example.org/?a=1&amp;amp;b=2&quot;&gt;</bpt>link to the page<ept' html.tmx; then
  ok "pages: the tags sit around the formatted words"
else
  bad "pages: tags missing or misplaced: $(grep seg html.tmx)"
fi

if ! command -v soffice >/dev/null 2>&1; then
  for f in docx odt; do
    skipped "$f written by LibreOffice: no soffice (apt-get install libreoffice-writer-nogui)"
  done
  finish
fi
lo() {
  timeout 300 soffice -env:UserInstallation="file://$work/profile" --headless \
    --infilter="HTML (StarWriter)" --convert-to "$1" "$2" >lo.log 2>&1
}
for fmt in "docx:MS Word 2007 XML" "odt"; do
  ext=${fmt%%:*}
  if lo "$fmt" de.html && lo "$fmt" en.html && [ -s "de.$ext" ] && [ -s "en.$ext" ]; then
    if "$TMKIT" build -q --no-spell --keep-formatting "de.$ext" "en.$ext" -o "$ext.tmx" 2>err &&
       "$TMKIT" validate "$ext.tmx" >/dev/null 2>>err && cmp -s "$ext.tmx" html.tmx; then
      ok "$ext written by LibreOffice, --keep-formatting: a valid memory, the pages' tags"
    else
      bad "$ext written by LibreOffice, --keep-formatting: differs from the pages' memory
$(cat err; diff "$ext.tmx" html.tmx | head -20)"
    fi
    if "$TMKIT" build -q --no-spell "de.$ext" "en.$ext" -o "$ext-plain.tmx" 2>err &&
       cmp -s "$ext-plain.tmx" txt.tmx; then
      ok "$ext written by LibreOffice, without the option: the plain texts' memory"
    else
      bad "$ext written by LibreOffice, without the option: differs from the plain texts'
$(cat err; diff "$ext-plain.tmx" txt.tmx | head -20)"
    fi
  else
    bad "LibreOffice could not write $ext: $(cat lo.log)"
  fi
done
finish
