#!/bin/sh
# The HTML spell report renders in headless Chromium: the flagged words are
# on the rendered page (--dump-dom), highlighted, and a screenshot is taken
# (tests/spell/report.png in the build tree, or $SPELL_SCREENSHOT).
# The rendering checks skip when Chromium is absent: apt-get install -y chromium.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
: "${top_builddir:=$(pwd)}"

browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
report="$work/report.html"

# 1. the report itself (no browser needed)
if "$TMKIT" spell -d de_DE --no-wordlists --format html -o "$report" "$here/sample.txt"; then
  ok "html report written"
else
  bad "tmkit spell --format html failed"; finish; exit
fi
if grep -Eiq '<(script|link|img|iframe)[ >]|src=|url\(|https?://' "$report"; then
  bad "html report refers to external files"
else
  ok "html report is self-contained"
fi
for w in Fehlerr Textt Ukraine-Kunflikt Tippfeler; do
  if grep -q "<mark [^>]*>$w</mark>" "$report"; then ok "$w highlighted"; else bad "$w not highlighted"; fi
done
grep -q 'title="Tippfehler, ' "$report" && ok "suggestions on hover" || bad "no suggestions in title"
grep -q '&lt;b&gt; &amp; &quot;Anf' "$report" && ok "text escaped" || bad "text not escaped"
grep -q '<td>Fehlerr</td><td class="n">1</td>' "$report" && ok "table of distinct words" \
  || bad "no table row for Fehlerr"

# 2. rendered by Chromium
if [ -z "$browser" ]; then
  for w in Fehlerr Textt Ukraine-Kunflikt Tippfeler; do
    skipped "rendered page shows $w: Chromium not installed (apt-get install -y chromium)"
  done
  skipped "screenshot: Chromium not installed (apt-get install -y chromium)"
  finish
  exit
fi
flags="--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
shot="${SPELL_SCREENSHOT:-$top_builddir/tests/spell/report.png}"
mkdir -p "$(dirname "$shot")"
rm -f "$shot"
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --user-data-dir="$work/profile1" --dump-dom "file://$report" \
  >"$work/dom.html" 2>"$work/dom.err"
for w in Fehlerr Textt Ukraine-Kunflikt Tippfeler; do
  if grep -q "<mark [^>]*>$w</mark>" "$work/dom.html"; then ok "rendered page shows $w"
  else bad "rendered page lacks $w ($(tail -1 "$work/dom.err"))"; fi
done
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --user-data-dir="$work/profile2" --window-size=1200,900 \
  --screenshot="$shot" "file://$report" >"$work/shot.out" 2>&1
if [ -s "$shot" ] && [ "$(head -c 4 "$shot" | od -An -c | tr -d ' ')" = "211PNG" ]; then
  ok "screenshot $shot"
else
  bad "no screenshot ($(tail -1 "$work/shot.out"))"
fi
finish
