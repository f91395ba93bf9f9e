#!/bin/sh
# tmkit convert FILE.po --to tmx gives the units translate-toolkit's po2tmx
# gives, on real catalogues: the German .mo files of the installed Debian
# packages (/usr/share/locale/de/LC_MESSAGES), turned back into PO files by
# msgunfmt (gettext).  The two memories are compared as lists of (source,
# target) pairs in order, after two normalisations: both sides in NFC
# (tmkit's decoder writes NFC), and the C escapes \a \b \f \v that po2tmx
# leaves in the text undecoded taken out (they stand for control characters
# XML 1.0 cannot hold; tmkit decodes them and drops them, with a warning;
# see cmp.py below).  A catalogue without a header entry (a .mo made without one) is
# left out of the comparison: tmkit refuses it (no charset), which is
# checked once.  Without po2tmx, msgunfmt or python3 the check is skipped
# with the reason (build-aux/install-deps.sh --test installs them).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
: "${TMKIT:?TMKIT not set}"
export SOURCE_DATE_EPOCH=1735689600
for tool in po2tmx msgunfmt python3; do
  if ! command -v $tool >/dev/null 2>&1; then
    skipped "po2tmx comparison: no $tool (sh build-aux/install-deps.sh --test installs translate-toolkit, gettext, python3)"
    finish
    exit $?
  fi
done
mos=$(ls /usr/share/locale/de/LC_MESSAGES/*.mo 2>/dev/null | head -n 40)
if [ -z "$mos" ]; then
  skipped "po2tmx comparison: no German catalogues in /usr/share/locale/de/LC_MESSAGES"
  finish
  exit $?
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
cat >cmp.py <<'PY'
import sys, unicodedata, xml.etree.ElementTree as ET
def units(path):
    return [tuple(unicodedata.normalize('NFC', ''.join(tuv.find('seg').itertext()))
                  for tuv in tu.iter('tuv'))
            for tu in ET.parse(path).getroot().iter('tu')]
def undo_escapes(t):
    for e in ('\\a', '\\b', '\\f', '\\v'):
        t = t.replace(e, '')
    return t
# po2tmx's "\a" is a BEL escape it did not decode, or a backslash and an a
# (written \\a in the PO), both in one segment at times: segments match
# when equal, or equal once such pairs are taken out of both
def same(x, y):
    return x == y or undo_escapes(x) == undo_escapes(y)
a = units(sys.argv[1])
b = units(sys.argv[2])
if len(a) == len(b) and all(len(x) == len(y) and all(same(p, q) for p, q in zip(x, y))
                            for x, y in zip(a, b)):
    print(len(a))
    sys.exit(0)
print("po2tmx: %d units, tmkit: %d" % (len(a), len(b)))
for i, (x, y) in enumerate(zip(a, b)):
    if len(x) != len(y) or not all(same(p, q) for p, q in zip(x, y)):
        print("first difference, unit %d:\npo2tmx %r\ntmkit  %r" % (i + 1, x, y))
        break
sys.exit(1)
PY
files=0 units=0 noheader=
for mo in $mos; do
  b=$(basename "$mo" .mo)
  msgunfmt "$mo" -o "$b.po" 2>/dev/null || continue
  # the first entry must be the header (msgid "" with a Content-Type)
  if [ "$(grep -m1 '^msgid ' "$b.po")" != 'msgid ""' ] || ! grep -q '^"Content-Type:' "$b.po"; then
    noheader=$b
    continue
  fi
  lang=
  grep -q '^"Language: *[a-zA-Z]' "$b.po" || lang="-t de"
  if ! po2tmx -l de "$b.po" -o "$b.a.tmx" >/dev/null 2>&1; then
    bad "po2tmx failed on $b.po"
    continue
  fi
  # shellcheck disable=SC2086
  if ! "$TMKIT" convert -q $lang "$b.po" --to tmx -o "$b.b.tmx" 2>"$b.err"; then
    bad "tmkit convert failed on $b.po: $(cat "$b.err")"
    continue
  fi
  if n=$(python3 cmp.py "$b.a.tmx" "$b.b.tmx"); then
    files=$((files+1)) units=$((units+n))
  else
    bad "$b.po: tmkit and po2tmx give different units
$n"
  fi
done
if [ "$files" -gt 0 ]; then
  ok "$files real catalogues, $units units: tmkit convert gives the units po2tmx gives"
else
  bad "no catalogue could be compared"
fi
if [ -n "$noheader" ]; then
  if "$TMKIT" convert -q "$noheader.po" -o x.tmx 2>err; then
    bad "$noheader.po has no header entry, yet tmkit converted it"
  elif grep -q "does not start with a header entry" err && [ ! -e x.tmx ]; then
    ok "$noheader.po (no header entry): refused with a message, nothing written"
  else
    bad "$noheader.po (no header entry): unexpected message: $(cat err)"
  fi
fi
finish
