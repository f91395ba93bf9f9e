#!/usr/bin/env python3
"""tests/abi/readme_fragments.py README.md OUTDIR -- writes one C file per
indented code fragment of the README's "Embedding libtmkit" section (not the
Versioning bullet) into OUTDIR (frag<LINE>.c): its function definitions
(static ...) at file scope, its statements in a function, after the public
headers and extern declarations of the placeholders the fragments leave to
the reader (my_data, my_buf, tu, text, len, de, en, add_to_my_writer, ...).
tests/abi/readme_examples.sh compiles each (-c: the placeholders are not
defined, so nothing runs) to check the types of the calls, not only their
number of arguments.  A fragment with no tmk_ call is left out."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import readme_calls  # noqa: E402  (the same walk over the README)

PRELUDE = '''#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tmkit/tmkit.h>
/* what the README leaves to the reader */
extern void *my_data;
extern tmk_buf my_buf;
extern tmk_tmx_tu tu;
extern tmk_error err;
extern const char *text, *de, *en;
extern size_t len, de_len, en_len;
extern void *my_writer;
int add_to_my_writer(void *ud, const tmk_build_unit *u);
'''


def fragments(readme):
    return [(n, x) for kind, n, x in readme_calls.walk(readme) if kind == 'indented']


def split(first, body):
    """(definitions, statements): a line starting 'static' at the fragment's
    indentation begins a definition that runs until its braces close."""
    defs, stmts, depth, in_def = [], [], 0, False
    for i, ln in enumerate(body):
        s = ln[6:] if ln.startswith('      ') else ln.strip()
        at = '#line %d "README.md"\n' % (first + i)
        if not in_def and re.match(r'static\b', s):
            in_def = True
        if in_def:
            defs.append(at + s)
            depth += s.count('{') - s.count('}')
            if depth == 0 and '}' in s:
                in_def = False
        else:
            stmts.append(at + s)
    return defs, stmts


def main():
    readme, outdir = sys.argv[1], sys.argv[2]
    for first, body in fragments(readme):
        if not any('tmk_' in ln for ln in body):
            continue
        defs, stmts = split(first, body)
        with open(os.path.join(outdir, 'frag%d.c' % first), 'w', encoding='utf-8') as f:
            f.write(PRELUDE)
            f.write('\n'.join(defs) + '\n')
            f.write('int example(void);\nint example(void)\n{\n')
            f.write('\n'.join(stmts) + '\n    return 0;\n}\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
