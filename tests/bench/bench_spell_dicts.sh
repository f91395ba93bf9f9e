#!/bin/sh
# bench_spell_dicts.sh [CORPUS_DIR] -- which German Hunspell dictionary flags
# fewer correct words: Debian's hunspell-de-de (igerman98, 2016) or
# hunspell-de-de-frami (LibreOffice's, the default where installed), as
# flagged words per 1,000 words (white-space separated) of
#   1. the German corpus (de_large.txt, ../corpora, built by
#      ../shared/bench/corpora/make_corpora.sh), and
#   2. current news text: the seed article (../shared/seed) and
#      tmx/sample/de.txt,
# each without and with the project word list (dictionaries/words/de.txt).
# The two packages conflict, so the one not installed is taken from its
# Debian package (apt-get download, unpacked into a cache folder,
# $TMKIT_BENCH_CACHE or ${TMPDIR:-/tmp}/tmkit-bench-dicts); set DE2016_DIR
# or FRAMI_DIR to a folder with its de_DE.aff/.dic instead.
: "${TMKIT:?set TMKIT to the tmkit program}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
dir=${1:-${SPELL_CORPUS:-$top_srcdir/../corpora}}
cache=${TMKIT_BENCH_CACHE:-${TMPDIR:-/tmp}/tmkit-bench-dicts}
mkdir -p "$cache" || exit 1

# a folder holding de_DE.aff/.dic of a package: installed, else unpacked
fetch() { # PACKAGE FILE-IN-/usr/share/hunspell
  pkg=$1; f=$2; d=$cache/$pkg
  if [ -f "$d/de_DE.dic" ]; then echo "$d"; return 0; fi
  mkdir -p "$d"
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    src=/usr/share/hunspell
  else
    (cd "$d" && apt-get download "$pkg" >/dev/null 2>&1 && dpkg-deb -x ./*.deb x) || return 1
    src=$d/x/usr/share/hunspell
  fi
  cp "$(readlink -f "$src/$f.aff")" "$d/de_DE.aff" && cp "$(readlink -f "$src/$f.dic")" "$d/de_DE.dic" || return 1
  echo "$d"
}
old=${DE2016_DIR:-$(fetch hunspell-de-de de_DE)} || { echo "bench-spell-dicts: skipped: hunspell-de-de not available"; exit 0; }
frami=${FRAMI_DIR:-$(fetch hunspell-de-de-frami de_DE_frami)} || { echo "bench-spell-dicts: skipped: hunspell-de-de-frami not available"; exit 0; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
news=$work/news.txt
for f in "${SHARED_DIR:-$top_srcdir/../shared}"/seed/*.txt "$top_srcdir/tmx/sample/de.txt"; do
  [ -f "$f" ] && { cat "$f"; echo; }
done > "$news"

per1000() { # DICT-DIR FILE [--no-wordlists]
  n=$(DICPATH=$1 "$TMKIT" spell -d de_DE $3 --no-suggest --format words "$2" | wc -l)
  w=$(wc -w < "$2")
  awk -v n="$n" -v w="$w" 'BEGIN{printf "%7d flagged, %6.2f per 1,000 words", n, 1000*n/w}'
}
row() { # LABEL FILE
  printf '%-26s hunspell-de-de (2016): %s | frami: %s\n' "$1 (bare)" "$(per1000 "$old" "$2" --no-wordlists)" "$(per1000 "$frami" "$2" --no-wordlists)"
  printf '%-26s hunspell-de-de (2016): %s | frami: %s\n' "$1 (+word list)" "$(per1000 "$old" "$2")" "$(per1000 "$frami" "$2")"
}
if [ -f "$dir/de_large.txt" ]; then
  echo "== corpus $dir/de_large.txt: $(wc -w < "$dir/de_large.txt") words"
  row "corpus" "$dir/de_large.txt"
else
  echo "== corpus: skipped ($dir/de_large.txt not found)"
fi
echo "== news: $(wc -w < "$news") words (seed article + tmx/sample/de.txt)"
row "news" "$news"
echo "== words the issue names (flagged by each, bare):"
printf 'App\nLogistikzentrum\nNachhaltigkeitsstrategie\nHomeoffice\nE-Bike\nCorona-Pandemie\nCatering\n' > "$work/w.txt"
echo "  2016:  $(DICPATH=$old "$TMKIT" spell -d de_DE --no-wordlists --no-suggest --format words "$work/w.txt" | tr '\n' ' ')"
echo "  frami: $(DICPATH=$frami "$TMKIT" spell -d de_DE --no-wordlists --no-suggest --format words "$work/w.txt" | tr '\n' ' ')"
echo "  either, with the word list: $(DICPATH=$old "$TMKIT" spell -d de_DE --no-suggest --format words "$work/w.txt" | tr '\n' ' ')/ $(DICPATH=$frami "$TMKIT" spell -d de_DE --no-suggest --format words "$work/w.txt" | tr '\n' ' ')"
echo "== current news words (review 7, defect 9; compounds on the word list's parts):"
printf 'Influencer\nLockdown\nCoronavirus\nInzidenz\nLivestream\nHomeschooling\nStartup\nChatbot\nLogistikbranche\nNachhaltigkeitsbericht\n' > "$work/n.txt"
echo "  2016:  $(DICPATH=$old "$TMKIT" spell -d de_DE --no-wordlists --no-suggest --format words "$work/n.txt" | tr '\n' ' ')"
echo "  frami: $(DICPATH=$frami "$TMKIT" spell -d de_DE --no-wordlists --no-suggest --format words "$work/n.txt" | tr '\n' ' ')"
echo "  either, with the word list: $(DICPATH=$old "$TMKIT" spell -d de_DE --no-suggest --format words "$work/n.txt" | tr '\n' ' ')/ $(DICPATH=$frami "$TMKIT" spell -d de_DE --no-suggest --format words "$work/n.txt" | tr '\n' ' ')"
