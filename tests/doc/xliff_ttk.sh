#!/bin/sh
# A second real XLIFF producer: translate-toolkit.  A PO catalogue (with a
# fuzzy, an untranslated and a multi-line entry, markup-like text and
# entities) goes through po2xliff, and tmkit's TMX of that XLIFF must hold
# the same units as translate-toolkit's own po2tmx of the PO: the translated
# entries, fuzzy and untranslated ones left out (po2xliff writes a fuzzy
# entry as state="needs-translation").
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"

if ! command -v po2xliff >/dev/null 2>&1 || ! command -v po2tmx >/dev/null 2>&1; then
  skipped "translate-toolkit (po2xliff, po2tmx) missing: build-aux/install-deps.sh --test installs it"
  finish; exit
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/app.po" <<'PO'
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: de\n"

#: main.c:10
msgid "Open file"
msgstr "Datei öffnen"

#: main.c:11
#, fuzzy
msgid "Close file"
msgstr "Datei schließen?"

#: main.c:12
msgid "Save & quit"
msgstr ""

#: main.c:13
msgid "Print <b>now</b> & then"
msgstr "Jetzt <b>drucken</b> & dann"

#: main.c:14
msgid ""
"First line\n"
"second line"
msgstr ""
"Erste Zeile\n"
"zweite Zeile"

#: main.c:15
msgid "Ready."
msgstr "Bereit."
PO
if ! po2xliff --progress=none "$work/app.po" "$work/app.xlf" >"$work/po2xliff.err" 2>&1; then
  bad "po2xliff failed: $(cat "$work/po2xliff.err")"; finish; exit
fi
po2tmx --progress=none -l de "$work/app.po" "$work/ref.tmx" >"$work/po2tmx.err" 2>&1 ||
  { bad "po2tmx failed: $(cat "$work/po2tmx.err")"; finish; exit; }
# po2xliff names no target language: -t gives it
if "$TMKIT" convert -q -t de "$work/app.xlf" -o "$work/x.tmx" 2>"$work/err"; then
  ok "tmkit reads po2xliff's XLIFF"
else
  bad "tmkit convert of po2xliff's XLIFF failed: $(cat "$work/err")"; finish; exit
fi
"$TMKIT" convert -q --keep-markup "$work/x.tmx" -o "$work/x.tsv" &&
  "$TMKIT" convert -q --keep-markup "$work/ref.tmx" -o "$work/ref.tsv" ||
  { bad "tmkit convert to TSV failed"; finish; exit; }
n=$(wc -l <"$work/x.tsv")
if [ "$n" -eq 4 ]; then ok "4 units: the translated entries (fuzzy, untranslated and the header left out)"
else bad "expected 4 units, got $n: $(cat "$work/x.tsv")"; fi
if cmp -s "$work/x.tsv" "$work/ref.tsv"; then
  ok "the same units as translate-toolkit's po2tmx"
else
  bad "units differ from po2tmx's:
$(diff "$work/ref.tsv" "$work/x.tsv")"
fi
finish
