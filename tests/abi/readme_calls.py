#!/usr/bin/env python3
"""tests/abi/readme_calls.py README.md INCLUDE_DIR... -- the calls of libtmkit
that the README's "Embedding libtmkit" section writes out (its indented C
fragments, its ```c blocks and its inline `tmk_x(a, b)` code spans) name
exported functions (tests/abi/symbols.txt, next to this file) with the number
of arguments their prototype in the public headers has.  The "Versioning"
bullet is left out: it quotes old signatures on purpose (what changed).  A
call written with "..." for some of its arguments is checked for the name
only.  Prints one line per problem (README.md:LINE: ...) and a last line
"checked N calls"; exits 1 when there is a problem.  Used by
tests/abi/readme_examples.sh.
"""
import glob
import os
import re
import sys

IDENT = re.compile(r'\b(tmk_[a-z0-9_]+)\s*\(')


def args_of(s, i):
    """s[i] is '(': returns (list of top-level argument strings, index after ')')
    or (None, len(s)) when the parenthesis is not closed."""
    depth, cur, out, q = 0, [], [], None
    j = i
    while j < len(s):
        c = s[j]
        if q:
            cur.append(c)
            if c == '\\':
                cur.append(s[j + 1:j + 2])
                j += 1
            elif c == q:
                q = None
        elif c in '"\'':
            q = c
            cur.append(c)
        elif c in '([{':
            depth += 1
            if depth > 1:
                cur.append(c)
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                out.append(''.join(cur).strip())
                return out, j + 1
            cur.append(c)
        elif c == ',' and depth == 1:
            out.append(''.join(cur).strip())
            cur = []
        else:
            cur.append(c)
        j += 1
    return None, len(s)


def count(args):
    if args == [''] or args == ['void']:
        return 0
    return len(args)


def prototypes(dirs):
    protos = {}
    for d in dirs:
        for h in sorted(glob.glob(os.path.join(d, '*.h'))):
            s = open(h, encoding='utf-8').read()
            s = re.sub(r'/\*.*?\*/', ' ', s, flags=re.S)
            s = re.sub(r'//[^\n]*', ' ', s)
            s = re.sub(r'#[^\n]*(\\\n[^\n]*)*', ' ', s)
            for m in re.finditer(r'(?<![(*\w])\**\s*\b(tmk_[a-z0-9_]+)\s*\(', s):
                name = m.group(1)
                a, end = args_of(s, m.end() - 1)
                if a is None or name in protos:
                    continue
                # a declaration ends with ';' (or a body); a cast or a macro use does not
                if not re.match(r'\s*(;|\{|__attribute__|TMK_[A-Z_]+\s*[;(])', s[end:]):
                    continue
                protos[name] = (count(a), a[-1:] == ['...'], os.path.basename(h))
    return protos


def walk(readme):
    """The README's C, in order: ('c', line, text) for each ```c block,
    ('indented', line, [lines]) for each indented fragment of the Embedding
    section (the Versioning bullet left out: it quotes old signatures on
    purpose) and ('prose', line, text) for its other lines.
    readme_fragments.py reads the same walk."""
    lines = open(readme, encoding='utf-8').read().split('\n')
    sec, fence, versioning, block = False, None, False, None
    for n, ln in enumerate(lines, 1):
        if ln.startswith('## '):
            sec = ln.startswith('## Embedding')
        if ln.startswith('```'):
            if fence is None:
                fence = (ln[3:].strip(), n, [])
            else:
                if fence[0] == 'c':  # every ```c block of the README
                    yield ('c', fence[1] + 1, '\n'.join(fence[2]))
                fence = None
            continue
        if fence is not None:
            fence[2].append(ln)
            continue
        if not sec:
            continue
        if re.match(r'- ', ln):
            versioning = ln.startswith('- Versioning')
        elif ln and not ln.startswith(' '):
            versioning = False
        if versioning:
            continue
        if ln.startswith('      ') or (block is not None and ln.strip() == ''):
            if block is None:
                block = (n, [])
            block[1].append(ln)
            continue
        if block is not None:
            yield ('indented',) + block
            block = None
        yield ('prose', n, ln)
    if block is not None:
        yield ('indented',) + block


def fragments(readme):
    """(line number, text) of each piece of C the Embedding section shows."""
    out, prose = [], []
    for kind, n, x in walk(readme):
        if kind == 'prose':
            prose.append((n, x))
        else:
            out.append((n, x if kind == 'c' else '\n'.join(x)))
    # inline code spans, which may run over a line break
    text = '\n'.join(ln for _, ln in prose)
    for m in re.finditer(r'`([^`]*\btmk_[a-z0-9_]+\s*\([^`]*)`', text):
        out.append((prose[text.count('\n', 0, m.start(1))][0], m.group(1)))
    return out


def main():
    readme, dirs = sys.argv[1], sys.argv[2:]
    here = os.path.dirname(os.path.abspath(__file__))
    symbols = set(open(os.path.join(here, 'symbols.txt')).read().split())
    protos = prototypes(dirs)
    problems, checked = [], 0
    for first, text in fragments(readme):
        for m in IDENT.finditer(text):
            name = m.group(1)
            line = first + text.count('\n', 0, m.start())
            pre = text[:m.start()].rstrip()
            a, _ = args_of(text, m.end() - 1)
            if a is None:
                continue
            # a definition of the program's own (static int on_tu(...)) is not a call
            if re.search(r'\b(int|void|static)\s*\**$', pre):
                continue
            checked += 1
            if name not in symbols:
                problems.append('README.md:%d: %s is not an exported function '
                                '(tests/abi/symbols.txt)' % (line, name))
                continue
            if name not in protos:
                problems.append('README.md:%d: no prototype of %s found in the public headers'
                                % (line, name))
                continue
            if any(x in ('...', '') or x.startswith('...') or x.endswith('...') for x in a):
                continue
            want, variadic, hdr = protos[name]
            got = count(a)
            if got != want and not (variadic and got >= want - 1):
                problems.append('README.md:%d: %s is called with %d argument(s), its prototype '
                                'in tmkit/%s takes %d: %s(%s)'
                                % (line, name, got, hdr, want, name, ', '.join(a)))
    for p in problems:
        print(p)
    print('checked %d calls of %d prototypes' % (checked, len(protos)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
