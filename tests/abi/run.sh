#!/bin/sh
# The library's binary interface, as an embedder sees it:
#  - the exported symbols are exactly the functions the public headers declare
#    (no tmk__ internal, nothing undeclared, nothing declared but missing);
#  - they are exactly the committed list tests/abi/symbols.txt, so that an
#    export or a removal is a decision (and a version bump, configure.ac),
#    never an accident.  After an intended change, regenerate the list with
#    the one command `make update-abi-symbols` (in the build folder) and
#    commit it;
#  - the library's soname is libtmkit.so.TMK_ABI_VERSION (tmkit/version.h,
#    from configure.ac's current - age) and the README names that file;
#  - the public headers compile alone as C99 (-pedantic) and as C++11;
#  - libtmkit.pc carries Libs.private for static links;
#  - the version macros agree with tmk_version() at run time.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
: "${top_builddir:?}"
inc="-I$top_builddir/src/include -I$top_srcdir/src/include"
so=$top_builddir/src/lib/.libs/libtmkit.so
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

if [ ! -f "$so" ]; then
  skipped "exported symbols (no shared library: configured with --disable-shared)"
elif ! command -v nm >/dev/null || ! command -v python3 >/dev/null; then
  skipped "exported symbols (nm or python3 missing)"
else
  nm -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ {print $3}' | LC_ALL=C sort -u >"$work/exported"
  python3 - "$top_srcdir/src/include/tmkit" "$top_builddir/src/include/tmkit" >"$work/declared" <<'PY'
import re, sys, glob, os
names = set()
for d in sys.argv[1:]:
    for h in glob.glob(os.path.join(d, '*.h')):
        s = open(h, encoding='utf-8').read()
        s = re.sub(r'/\*.*?\*/', ' ', s, flags=re.S)
        s = re.sub(r'//[^\n]*', ' ', s)
        s = re.sub(r'#[^\n]*(\\\n[^\n]*)*', ' ', s)
        for m in re.finditer(r'(?<![(*\w])\**\s*\b(tmk_[a-z0-9_]+)\s*\(', s):
            names.add(m.group(1))
        for m in re.finditer(r'\bextern\s+(?!"C")[^;({]*?\b(tmk_[a-z0-9_]+)\s*(\[[^]]*\])?\s*;', s):
            names.add(m.group(1))
print('\n'.join(sorted(names)))
PY
  grep '^tmk__' "$work/exported" >"$work/internal"
  if [ -s "$work/internal" ]; then
    bad "internal tmk__ symbols are exported: $(tr '\n' ' ' <"$work/internal")"
  else ok "no tmk__ internal is exported"; fi
  comm -23 "$work/exported" "$work/declared" >"$work/undeclared"
  comm -13 "$work/exported" "$work/declared" >"$work/missing"
  if [ -s "$work/undeclared" ]; then
    bad "exported but not declared in a public header: $(tr '\n' ' ' <"$work/undeclared")"
  else ok "every exported symbol is declared in a public header ($(wc -l <"$work/exported") symbols)"; fi
  if [ -s "$work/missing" ]; then
    bad "declared in a public header but not exported: $(tr '\n' ' ' <"$work/missing")"
  else ok "every declared function is exported"; fi
  list=$top_srcdir/tests/abi/symbols.txt
  if [ ! -f "$list" ]; then
    bad "tests/abi/symbols.txt is missing: run make update-abi-symbols and commit it"
  else
    LC_ALL=C comm -23 "$work/exported" "$list" >"$work/added"
    LC_ALL=C comm -13 "$work/exported" "$list" >"$work/removed"
    if [ -s "$work/added" ] || [ -s "$work/removed" ]; then
      bad "the exported symbols differ from tests/abi/symbols.txt (new: $(tr '\n' ' ' <"$work/added"); gone: $(tr '\n' ' ' <"$work/removed")); if that is intended, bump the version in configure.ac, run make update-abi-symbols and commit the list"
    else ok "the exported symbols are the committed list tests/abi/symbols.txt"; fi
  fi
  abi=$(sed -n 's/^#define TMK_ABI_VERSION \([0-9][0-9]*\)$/\1/p' "$top_builddir/src/include/tmkit/version.h")
  soname=$(objdump -p "$so" 2>/dev/null | awk '$1 == "SONAME" {print $2}')
  if [ -z "$abi" ] || [ "$soname" != "libtmkit.so.$abi" ]; then
    bad "the soname '$soname' is not libtmkit.so.TMK_ABI_VERSION (TMK_ABI_VERSION: '$abi')"
  else ok "the soname is libtmkit.so.$abi, as TMK_ABI_VERSION says"; fi
  if grep -q "libtmkit\.so\.$abi\b" "$top_srcdir/README.md"; then
    ok "the README's Python example loads libtmkit.so.$abi"
  else bad "README.md does not name libtmkit.so.$abi (the Python example's load path)"; fi
fi

# Rule 1 of the contract (tmkit.h): every public name starts tmk_<module>_
# with <module> from the list in tests/abi/names.py.  Then show that the
# check can fail: a copy of the headers that declares a text type without
# its module in align.h must be refused.  (The name is written in two
# pieces so that the rename commits' sed commands, re-run after a merge,
# leave this test alone.)
no_module=tmk_""text
if ! command -v python3 >/dev/null; then
  skipped "public names (python3 missing)"
else
  if python3 "$here/names.py" "$top_srcdir/src/include/tmkit" "$top_builddir/src/include/tmkit" >"$work/names.out" 2>&1; then
    ok "every public name starts tmk_<module>_ ($(cat "$work/names.out"))"
  else bad "public names outside their module (tmkit.h rule 1; the modules: tests/abi/names.py):
$(cat "$work/names.out")"; fi
  mkdir "$work/bad"
  cp "$top_srcdir"/src/include/tmkit/*.h "$work/bad/"
  printf 'typedef struct %s { const char *s; } %s;\n' "$no_module" "$no_module" >>"$work/bad/align.h"
  if python3 "$here/names.py" "$work/bad" >"$work/names.bad" 2>&1; then
    bad "the names check passes a header that declares $no_module"
  elif grep -q "$no_module does not start with tmk_align_" "$work/names.bad"; then
    ok "the names check refuses a type without its module ($no_module in align.h)"
  else bad "the names check failed without naming $no_module: $(head -3 "$work/names.bad")"; fi
fi
# Every public header is installed (tmkit.h includes them all).
missing_h=
for h in "$top_srcdir"/src/include/tmkit/*.h; do
  b=$(basename "$h")
  grep -q "src/include/tmkit/$b" "$top_srcdir/Makefile.am" || missing_h="$missing_h $b"
done
if [ -n "$missing_h" ]; then
  bad "public headers missing from tmkitinclude_HEADERS in Makefile.am (not installed):$missing_h"
else ok "every public header is in tmkitinclude_HEADERS"; fi
# ... in that one list only: a fragment (src/lib/*.am) that adds a header
# again makes `make install` fail ("will not overwrite just-created").
dup_h=$(grep -l 'tmkitinclude_HEADERS' "$top_srcdir"/src/lib/*.am 2>/dev/null)
if [ -n "$dup_h" ]; then
  bad "tmkitinclude_HEADERS is added to outside Makefile.am (headers installed twice): $dup_h"
else ok "the installed headers are listed once, in Makefile.am"; fi

printf '#include <tmkit/tmkit.h>\nint main(void) { return tmk_version() ? 0 : 1; }\n' >"$work/c99.c"
if ${CC:-cc} -std=c99 -pedantic -Wall -Wextra -Werror $inc -c "$work/c99.c" -o "$work/c99.o" 2>"$work/c99.err"; then
  ok "public headers compile as C99 with -pedantic"
else bad "public headers as C99: $(head -5 "$work/c99.err")"; fi
cp "$work/c99.c" "$work/cxx.cc"
if ! command -v "${CXX:-c++}" >/dev/null; then
  skipped "public headers as C++ (no C++ compiler)"
elif "${CXX:-c++}" -std=c++11 -Wall -Wextra -Werror $inc -c "$work/cxx.cc" -o "$work/cxx.o" 2>"$work/cxx.err"; then
  ok "public headers compile as C++11"
else bad "public headers as C++11: $(head -5 "$work/cxx.err")"; fi

if grep -q '^Libs.private:' "$top_builddir/src/lib/libtmkit.pc"; then
  ok "libtmkit.pc has Libs.private"
else bad "libtmkit.pc has no Libs.private"; fi

cat >"$work/ver.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <tmkit/tmkit.h>
int main(void)
{
    if (strcmp(tmk_version(), TMK_VERSION_STRING) != 0) { puts(tmk_version()); return 1; }
    if (tmk_version_number() != TMK_VERSION_NUMBER) return 2;
    return 0;
}
C
if ${CC:-cc} $inc "$work/ver.c" -o "$work/ver" "$top_builddir/src/lib/.libs/libtmkit.so" 2>"$work/ver.err" \
   && LD_LIBRARY_PATH="$top_builddir/src/lib/.libs" "$work/ver"; then
  ok "tmk_version() and tmk_version_number() agree with the version macros"
elif [ ! -f "$so" ]; then
  skipped "version macros at run time (no shared library)"
else bad "version macros and tmk_version() disagree: $(head -3 "$work/ver.err")"; fi
finish
