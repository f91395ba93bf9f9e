#!/bin/sh
# The README's examples of the library's API are true:
#  - every ```c block of README.md is compiled (C99, -Wall -Wextra -Werror)
#    against the build's headers and libtmkit and run: a fragment without a
#    main() is put in one, in a folder holding memory.tmx (tmx/sample.tmx plus
#    one unit, "Der Vertrag wurde gestern unterzeichnet." -> "The contract was
#    signed yesterday."); it must exit 0, and a block whose comment shows an
#    output line ("80 ... (memory.tmx:2)") must print a line of that shape;
#  - the ```python block runs with python3 (standard library only) after the
#    struct declarations and load() of tests/abi/ctypes.py, which the README
#    says it leaves out, with LD_LIBRARY_PATH naming the build's library (the
#    block finds it with ctypes.util.find_library); it must print the
#    package version and write memory.tmx with the two units;
#  - the calls the Embedding section writes out (indented fragments, inline
#    `tmk_x(a, b)` spans; not the Versioning bullet, which quotes old
#    signatures on purpose) name exported functions with the number of
#    arguments of their prototypes (tests/abi/readme_calls.py), and each
#    indented fragment compiles in a harness (tests/abi/readme_fragments.py).
# Usage (make check sets top_srcdir and top_builddir): readme_examples.sh [README]
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
: "${top_builddir:?}"
readme=${1:-$top_srcdir/README.md}
inc="-I$top_builddir/src/include -I$top_srcdir/src/include"
libdir=$top_builddir/src/lib/.libs
so=$libdir/libtmkit.so
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
version=$(sed -n 's/^#define TMK_VERSION_STRING "\(.*\)"$/\1/p' "$top_builddir/src/include/tmkit/version.h")

if ! command -v python3 >/dev/null; then
  skipped "README examples (python3 missing: build-aux/install-deps.sh --test installs it)"
  finish; exit
fi

# 3. the calls (needs no library)
if python3 "$here/readme_calls.py" "$readme" "$top_srcdir/src/include/tmkit" \
     "$top_builddir/src/include/tmkit" >"$work/calls" 2>&1; then
  ok "the README's calls of tmk_ functions match their prototypes ($(tail -n 1 "$work/calls"))"
else
  bad "the README's calls of tmk_ functions do not match the public headers:
$(cat "$work/calls")"
fi

# the indented C fragments of the Embedding section, compiled (not linked:
# the harness declares what they leave to the reader; unused parameters of
# their elided callbacks allowed) so that the types of the calls are checked
mkdir "$work/frag"
if ! python3 "$here/readme_fragments.py" "$readme" "$work/frag" 2>"$work/frag.err"; then
  bad "tests/abi/readme_fragments.py failed: $(cat "$work/frag.err")"
fi
nf=0
for f in "$work"/frag/frag*.c; do
  [ -f "$f" ] || continue
  nf=$((nf+1)); line=$(basename "$f" .c | tr -dc 0-9)
  if ${CC:-cc} -std=c99 -Wall -Wextra -Werror -Wno-unused-parameter $inc -c "$f" \
       -o "$work/frag/x.o" 2>"$work/frag/x.err"; then
    ok "README.md:$line: the indented C fragment compiles (C99, -Wall -Wextra -Werror) in a harness"
  else
    bad "README.md:$line: the indented C fragment does not compile against the public headers:
$(cat "$work/frag/x.err")"
  fi
done
[ "$nf" -gt 0 ] || bad "README.md: no indented C fragment with a tmk_ call in the Embedding section"

if [ ! -f "$so" ]; then
  skip_optional "README's C and Python examples (no shared library $so: configured with --disable-shared, as the sanitizer build is; tests/abi/ctypes.py skips the same way)"
  finish; exit
fi

# the memory the examples open
mkdir "$work/run"
sed '0,/<body>/s||<body>\
    <tu>\
      <tuv xml:lang="de-DE"><seg>Der Vertrag wurde gestern unterzeichnet.</seg></tuv>\
      <tuv xml:lang="en-US"><seg>The contract was signed yesterday.</seg></tuv>\
    </tu>|' "$top_srcdir/tmx/sample.tmx" >"$work/run/memory.tmx"

# 1. the ```c blocks: one file each
awk -v dir="$work" '
  /^```c[ \t]*$/ { n++; f = dir "/block" n ".c"; printf "%d\n", NR + 1 > (dir "/block" n ".line"); next }
  f && /^```/ { close(f); f = ""; next }
  f { print > f }' "$readme"
nc=0
for b in "$work"/block*.c; do
  [ -f "$b" ] || continue
  nc=$((nc+1))
  name=$(basename "$b" .c); line=$(cat "$work/$name.line")
  if grep -q 'int main *(' "$b"; then cp "$b" "$work/$name.main.c"
  else
    { printf '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <tmkit/tmkit.h>\n'
      printf 'int main(void)\n{\n#line %s "README.md"\n' "$line"
      cat "$b"
      printf '    return 0;\n}\n'; } >"$work/$name.main.c"
  fi
  if ! ${CC:-cc} -std=c99 -Wall -Wextra -Werror $inc "$work/$name.main.c" -o "$work/$name" \
       -L"$libdir" -ltmkit 2>"$work/$name.err"; then
    bad "README.md:$line: the C example does not compile against the public headers:
$(cat "$work/$name.err")"
    continue
  fi
  (cd "$work/run" && LD_LIBRARY_PATH="$libdir" "$work/$name") >"$work/$name.out" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ]; then
    bad "README.md:$line: the C example exits $rc:
$(cat "$work/$name.out")"
    continue
  fi
  # an output line the block's comment shows: "80 ... (memory.tmx:2)"
  want=$(sed -n 's|.*/\* *"\([0-9][0-9]* .* (memory\.tmx:[0-9][0-9]*)\)" *\*/.*|\1|p' "$b" | head -n 1)
  if [ -n "$want" ]; then
    if grep -Eq '^[0-9]+ .+ \(memory\.tmx:[0-9]+\)$' "$work/$name.out" \
       && grep -q 'The contract was signed yesterday\.' "$work/$name.out"; then
      ok "README.md:$line: the C example compiles, runs and prints a line like \"$want\" ($(head -n 1 "$work/$name.out"))"
    else
      bad "README.md:$line: the C example runs but prints no line like \"$want\":
$(cat "$work/$name.out")"
    fi
  else
    ok "README.md:$line: the C example compiles (C99, -Wall -Wextra -Werror) and runs"
  fi
done
[ "$nc" -gt 0 ] || bad "README.md has no \`\`\`c block (the lookup example should be one)"

# 2. the ```python block, after tests/abi/ctypes.py's declarations
awk '/^```python[ \t]*$/ { p = 1; next } p && /^```/ { p = 0; exit } p' "$readme" >"$work/block.py"
pyline=$(grep -n '^```python' "$readme" | head -n 1 | cut -d: -f1)
if [ ! -s "$work/block.py" ]; then
  bad "README.md has no \`\`\`python block (the ctypes example)"
else
  { echo 'import ctypes, ctypes.util'
    sed -n '/^# ---- the README example starts here/,/^# ---- the README example ends here/p' \
      "$here/ctypes.py"
    cat "$work/block.py"; } >"$work/run/example.py"
  # find_library reads LD_LIBRARY_PATH (through ld); the README's fallback
  # path is relative to the build folder: give the run folder the same
  mkdir -p "$work/run/src/lib" && ln -s "$libdir" "$work/run/src/lib/.libs"
  (cd "$work/run" && rm -f memory.tmx && LD_LIBRARY_PATH="$libdir" python3 example.py) \
    >"$work/py.out" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ]; then
    bad "README.md:$pyline: the Python example exits $rc:
$(cat "$work/py.out")"
  elif [ "$(head -n 1 "$work/py.out")" != "$version" ]; then
    bad "README.md:$pyline: the Python example printed '$(head -n 1 "$work/py.out")', not the version $version"
  elif ! grep -q '<seg>The dog barks!</seg>' "$work/run/memory.tmx" 2>/dev/null \
       || [ "$(grep -c '<tu>' "$work/run/memory.tmx")" -ne 2 ]; then
    bad "README.md:$pyline: the Python example did not write memory.tmx with its two units:
$(cat "$work/run/memory.tmx" 2>&1)"
  else
    ok "README.md:$pyline: the Python example runs, prints the version $version and writes memory.tmx with its two units"
  fi
  if grep -q "\"$version\"" "$work/block.py"; then
    ok "the Python example's comment shows the package version $version"
  else
    bad "README.md:$pyline: the Python example's comment does not show the package version $version"
  fi
fi
finish
