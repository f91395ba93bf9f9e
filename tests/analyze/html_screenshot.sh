#!/bin/sh
# The HTML analysis report renders in headless Chromium: the bands, counts and
# the price are on the rendered page (--dump-dom), and a screenshot is taken
# (tests/analyze/report.png in the build tree, or $ANALYZE_SCREENSHOT).
# The rendering checks skip when Chromium is absent: apt-get install -y chromium
# (build-aux/install-deps.sh --test installs it).
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
cp "$top_srcdir/tmx/sample.tmx" "$top_srcdir/tmx/sample/de.txt" "$work/"
printf 'Stärkung der Beziehungen\n\nEin neuer Satz <mit> & Zeichen.\n' >"$work/neu & <alt>.txt"

# 1. the report itself (no browser needed)
if (cd "$work" && "$TMKIT" analyze -m sample.tmx --rates "context=0,rep=0.1,100=0.1" \
      --price-per-word 0.12 --currency EUR --format html -o report.html de.txt "neu & <alt>.txt"); then
  ok "html analysis written"
else
  bad "tmkit analyze --format html failed"; finish; exit
fi
if grep -Eiq '<(script|link|img|iframe)[ >]|src=|url\(|https?://' "$report"; then
  bad "html report refers to external files"
else
  ok "html report is self-contained"
fi
grep -q '<h2>neu &amp; &lt;alt&gt;.txt</h2>' "$report" && ok "file names escaped" \
  || bad "file name not escaped"
grep -q '<tr class="b-context"><td class="band">Context match (101%)</td><td>18</td>' "$report" \
  && ok "context row with 18 segments" || bad "no context row with 18 segments"
grep -q '<tr class="b-xrep"><td class="band">Cross-file repetitions</td><td>1</td>' "$report" \
  && ok "cross-file repetition row" || bad "no cross-file repetition row"

# 2. rendered by Chromium
if [ -z "$browser" ]; then
  for w in "Context match (101%)" "Cross-file repetitions" "Price"; do
    skipped "rendered page shows $w: Chromium not installed (apt-get install -y chromium)"
  done
  skipped "screenshot: Chromium not installed (apt-get install -y chromium)"
  finish
  exit
fi
flags="--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
shot="${ANALYZE_SCREENSHOT:-$top_builddir/tests/analyze/report.png}"
mkdir -p "$(dirname "$shot")"
rm -f "$shot"
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --user-data-dir="$work/profile1" --dump-dom "file://$report" \
  >"$work/dom.html" 2>"$work/dom.err"
for w in "Context match (101%)" "Cross-file repetitions" "Price:"; do
  if grep -qF "$w" "$work/dom.html"; then ok "rendered page shows $w"
  else bad "rendered page lacks $w ($(tail -1 "$work/dom.err"))"; fi
done
# the price of the whole job: weighted words x 0.12
if grep -Eq '<strong>[0-9]+\.[0-9]{2} EUR</strong>' "$work/dom.html"; then ok "rendered price"
else bad "no price on the rendered page"; fi
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --user-data-dir="$work/profile2" --window-size=1200,1400 \
  --screenshot="$shot" "file://$report" >"$work/shot.out" 2>&1
if [ -s "$shot" ] && [ "$(head -c 4 "$shot" | od -An -c | tr -d ' ')" = "211PNG" ] &&
   [ "$(wc -c <"$shot")" -gt 20000 ]; then
  ok "screenshot $shot"
else
  bad "no screenshot, or a blank one ($(tail -1 "$work/shot.out"))"
fi
finish
