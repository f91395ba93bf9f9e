#!/bin/sh
# Documents written by real tools give the memory of their plain text:
# LibreOffice (headless, Debian libreoffice-writer-nogui) saves the bundled
# sample (tmx/sample/de.txt, en.txt) as DOCX, ODT, HTML and PDF; tmkit
# builds a memory from each pair (the PDF against the English text) and it
# must equal, byte for byte, the memory built from the two texts.  Without
# soffice (or pdftotext for the PDF) the checks are skipped with the reason.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
: "${TMKIT:?TMKIT not set}"
export SOURCE_DATE_EPOCH=1735689600
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$top_srcdir/tmx/sample/de.txt" "$top_srcdir/tmx/sample/en.txt" "$work/"
cd "$work" || exit 99
"$TMKIT" build -q de.txt en.txt -o txt.tmx || { bad "build de.txt en.txt failed"; finish; }

if ! command -v soffice >/dev/null 2>&1; then
  for f in docx odt html pdf; do
    skipped "$f written by LibreOffice: no soffice (apt-get install libreoffice-writer-nogui)"
  done
  finish
fi
# a profile of its own, so that a running LibreOffice does not take the job
lo() {
  timeout 300 soffice -env:UserInstallation="file://$work/profile" --headless \
    --convert-to "$1" "$2" >lo.log 2>&1
}
for fmt in "docx:MS Word 2007 XML" "odt" "html:HTML (StarWriter)"; do
  ext=${fmt%%:*}
  if lo "$fmt" de.txt && lo "$fmt" en.txt && [ -s "de.$ext" ] && [ -s "en.$ext" ]; then
    if "$TMKIT" build -q "de.$ext" "en.$ext" -o "$ext.tmx" 2>err && cmp -s "$ext.tmx" txt.tmx; then
      ok "$ext written by LibreOffice gives the memory of the plain texts"
    else
      bad "$ext written by LibreOffice: the memory differs from the plain texts'
$(cat err; diff "$ext.tmx" txt.tmx | head -20)"
    fi
  else
    bad "LibreOffice could not write $ext: $(cat lo.log)"
  fi
done
if ! command -v pdftotext >/dev/null 2>&1; then
  skipped "pdf written by LibreOffice: no pdftotext (apt-get install poppler-utils)"
elif lo pdf de.txt && [ -s de.pdf ]; then
  if "$TMKIT" build -q de.pdf en.txt -o pdf.tmx 2>err && cmp -s pdf.tmx txt.tmx; then
    ok "pdf written by LibreOffice gives the memory of the plain texts"
  else
    bad "pdf written by LibreOffice: the memory differs from the plain texts'
$(cat err; diff pdf.tmx txt.tmx | head -20)"
  fi
else
  bad "LibreOffice could not write pdf: $(cat lo.log)"
fi
# Hyphens that belong to the text at a line end (an e-mail address, a
# compound) stay, and the paragraphs come from the layout: the PDF gives the
# segments of its text file.
if command -v pdftotext >/dev/null 2>&1; then
  { i=0; while [ $i -lt 25 ]; do
      printf 'Bitte senden Sie die Troff-Schriftdatei per E-Mail an bug-gettext@gnu.org zur Prüfung. '
      i=$((i + 1)); done
    printf '\n'; cat de.txt; } > hy.txt
  if lo pdf hy.txt && [ -s hy.pdf ]; then
    "$TMKIT" segment -l de hy.txt > hy-txt.seg
    if "$TMKIT" segment -l de hy.pdf > hy-pdf.seg 2>err && cmp -s hy-txt.seg hy-pdf.seg; then
      ok "pdf with hyphens at line ends gives the segments of its text"
    else
      bad "pdf with hyphens at line ends: the segments differ from the text's
$(cat err; diff hy-txt.seg hy-pdf.seg | head -20)"
    fi
  else
    bad "LibreOffice could not write hy.pdf: $(cat lo.log)"
  fi
fi
finish
