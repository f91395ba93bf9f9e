#!/bin/sh
# TMX conformance and round trips:
#  - tmx/valid/*.tmx validate, and a TMX -> TMX rewrite is stable (a second
#    rewrite gives the same bytes) and DTD-valid;
#  - tmx/invalid/*.tmx fail validate with exit 3 and exactly the messages in
#    the .expected file beside them (FILE:LINE:COL: message);
#  - every file in $SHARED_DIR/bench/tmx/real reads, and its rewrite keeps the
#    content: compared in a canonical form made by canon.py (Python's own XML
#    parser, not tmkit's reader);
#  - en_de_pairs.tsv from the corpora (if built) goes TSV -> TMX -> TSV
#    byte-identical but for the lines reported as losing forbidden characters.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
export SOURCE_DATE_EPOCH=1735689600
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dtd="$SHARED_DIR/bench/tmx/tmx14.dtd"
have_xmllint=; command -v xmllint >/dev/null 2>&1 && have_xmllint=1
have_python=; command -v python3 >/dev/null 2>&1 && have_python=1
# why DTD validation cannot run here (empty: it runs); reported as a skip
no_dtd=
if [ -z "$have_xmllint" ]; then no_dtd="no xmllint (apt-get install libxml2-utils)"
elif [ ! -f "$dtd" ]; then no_dtd="no $dtd (../shared absent)"; fi
no_python="no python3 (apt-get install python3)"

dtd_ok() { [ -n "$no_dtd" ] || xmllint --noout --nonet --dtdvalid "$dtd" "$1" >/dev/null 2>&1; }

for f in "$top_srcdir"/tmx/valid/*.tmx; do
  b=$(basename "$f")
  if ! "$TMKIT" validate -q "$f" 2>"$work/err"; then bad "valid/$b: $(head -3 "$work/err")"; continue; fi
  "$TMKIT" convert -q --to tmx "$f" -o "$work/a.tmx" && "$TMKIT" convert -q --to tmx "$work/a.tmx" -o "$work/b.tmx" ||
    { bad "valid/$b: rewrite failed"; continue; }
  cmp -s "$work/a.tmx" "$work/b.tmx" || { bad "valid/$b: rewrite not stable"; continue; }
  dtd_ok "$work/a.tmx" || { bad "valid/$b: rewrite not DTD-valid"; continue; }
  if [ -n "$have_python" ]; then
    python3 "$here/canon.py" "$f" >"$work/c1" && python3 "$here/canon.py" "$work/a.tmx" >"$work/c2" &&
      cmp -s "$work/c1" "$work/c2" || { bad "valid/$b: content changed: $(diff "$work/c1" "$work/c2" | head -4)"; continue; }
  fi
  ok "valid/$b"
done
[ -z "$no_dtd" ] || skipped "DTD validation of the rewrites of tmx/valid/*.tmx: $no_dtd"
[ -n "$have_python" ] || skipped "content comparison of the rewrites of tmx/valid/*.tmx: $no_python"

for f in "$top_srcdir"/tmx/invalid/*.tmx; do
  b=$(basename "$f")
  (cd "$(dirname "$f")" && "$TMKIT" validate -q "$b" 2>"$work/err"; echo $? >"$work/rc")
  rc=$(cat "$work/rc")
  if [ "$rc" != 3 ]; then bad "invalid/$b: exit $rc, expected 3"; continue; fi
  cmp -s "$work/err" "${f%.tmx}.expected" || { bad "invalid/$b: $(diff "${f%.tmx}.expected" "$work/err" | head -4)"; continue; }
  ok "invalid/$b"
done

if have_shared && [ -d "$SHARED_DIR/bench/tmx/real" ]; then
  for f in "$SHARED_DIR"/bench/tmx/real/*.tmx; do
    b=$(basename "$f")
    "$TMKIT" convert -q --to tmx "$f" -o "$work/rt.tmx" 2>"$work/err" || { bad "real/$b: $(cat "$work/err")"; continue; }
    dtd_ok "$work/rt.tmx" || { bad "real/$b: rewrite not DTD-valid"; continue; }
    if [ -n "$have_python" ]; then
      python3 "$here/canon.py" "$f" >"$work/c1" && python3 "$here/canon.py" "$work/rt.tmx" >"$work/c2" &&
        cmp -s "$work/c1" "$work/c2" || { bad "real/$b: content changed: $(diff "$work/c1" "$work/c2" | cut -c1-150 | head -4)"; continue; }
    fi
    # to TSV: a memory with more than two languages is a usage error that
    # names them (a column holds one language); then with --pair
    if ! "$TMKIT" convert -q "$f" -o "$work/rt.tsv" 2>"$work/err"; then
      pair=$(sed -n 's/.*has the languages \([^,;]*\), \([^,;]*\)[,;].*--pair.*/\1,\2/p' "$work/err")
      [ -n "$pair" ] && "$TMKIT" convert -q --pair "$pair" "$f" -o "$work/rt.tsv" 2>"$work/err" ||
        { bad "real/$b: to TSV: $(cat "$work/err")"; continue; }
    fi
    ok "real/$b"
  done
  [ -z "$no_dtd" ] || skipped "DTD validation of the rewrites of the real TMX files: $no_dtd"
  [ -n "$have_python" ] || skipped "content comparison of the rewrites of the real TMX files: $no_python"
else
  skipped "real TMX files (needs ../shared, absent)"
fi

corpora="${TMKIT_CORPORA:-$top_srcdir/../corpora}"
if [ -f "$corpora/en_de_pairs.tsv" ]; then
  tsv="$corpora/en_de_pairs.tsv"
  if "$TMKIT" convert "$tsv" -s en -t de -o "$work/pairs.tmx" 2>"$work/err" &&
     "$TMKIT" convert -q "$work/pairs.tmx" -o "$work/pairs.tsv"; then
    # lines reported as losing characters vs lines that differ
    sed -n 's/^tmkit: [^:]*:\([0-9][0-9]*\): dropped.*/\1/p' "$work/err" | sort -un >"$work/reported"
    # compared byte for byte: tmkit's TSV is read and written the same way
    # (quotes are text); see also tsv_roundtrip.sh
    awk 'NR == FNR { a[FNR] = $0; next } a[FNR] != $0 { print FNR }' "$tsv" "$work/pairs.tsv" >"$work/differ"
    n=$(wc -l <"$tsv"); m=$(wc -l <"$work/pairs.tsv")
    [ -n "$have_xmllint" ] || skipped "en_de_pairs.tsv: well-formedness of the TMX by xmllint: no xmllint (apt-get install libxml2-utils)"
    if [ "$n" = "$m" ] && cmp -s "$work/reported" "$work/differ" && { [ -z "$have_xmllint" ] || xmllint --noout --stream "$work/pairs.tmx"; }; then
      ok "en_de_pairs.tsv round trip: $n lines, $(wc -l <"$work/differ") lost forbidden characters, each reported: $(tr '\n' ' ' <"$work/differ")"
    else
      bad "en_de_pairs.tsv round trip: $n vs $m lines; reported $(tr '\n' ' ' <"$work/reported"), differ $(tr '\n' ' ' <"$work/differ" | head -c 200)"
    fi
  else
    bad "en_de_pairs.tsv round trip: $(tail -2 "$work/err")"
  fi
else
  skip_optional "en_de_pairs.tsv round trip (no $corpora/en_de_pairs.tsv; build it with ../shared/bench/corpora/make_corpora.sh and point TMKIT_CORPORA at it)"
fi
finish
