#!/usr/bin/env python3
"""Rule 1 of THE API CONTRACT (tmkit.h), checked mechanically.

Every name a public header declares -- function, extern variable, typedef,
struct or enum tag, function-pointer typedef -- starts tmk_<module>_, where
<module> is one of the prefixes of the header that declares it (the list
below: a module's name and the names of its objects, as rule 1 says:
"tmk_<obj>_new").  A type or tag may also be exactly tmk_<module> (the
module's object or item: tmk_buf, tmk_segmenter, tmk_error); a function may
not (it needs a verb after the module: tmk_align_run), except the
contract's own tmk_free and tmk_version.  Every macro and enum constant starts TMK_
(the include guards TMKIT_*_H aside).

Usage: names.py HEADER_DIR...   Prints one line per violation (header: name:
why) and exits 1 when there is one; prints the number of names checked and
exits 0 otherwise.  tests/abi/run.sh runs it.
"""
import glob
import os
import re
import sys

# The documented modules: header -> the prefixes its names may use.  A new
# header (a new module) must be added here, with its prefixes, by the change
# that adds it.
MODULES = {
    'tmkit.h': ['version'],             # tmk_version_number (+ tmk_free, tmk_version)
    'version.h': ['version'],           # generated from version.h.in
    'error.h': ['error'],
    'buf.h': ['buf'],
    'utf8.h': ['utf8'],
    'lang.h': ['lang'],                 # language tags
    'io.h': ['io'],
    'decode.h': ['decode', 'decoder'],
    'segment.h': ['segment', 'segmenter'],
    'spell.h': ['spell', 'speller'],
    'align.h': ['align'],
    'tmx.h': ['tmx'],
    'tsv.h': ['tsv', 'table'],          # tmk_table_reader/writer: TMX units as rows
    'tm.h': ['tm', 'sorter'],           # memory operations; the external sort
    'lookup.h': ['tm'],                 # the opened memory tmk_tm and its calls
    'wordcount.h': ['wc'],              # GMX-V word counts ("wc" as in wc(1))
    'stats.h': ['stats'],
    'analyze.h': ['analysis'],
    'document.h': ['doc'],
    'build.h': ['build', 'builder'],
    'xliff.h': ['xliff'],
    'po.h': ['po'],
}
# Functions named by the contract itself (rule 1: tmk_free; tmkit.h: tmk_version).
CONTRACT_NAMES = {'tmk_free', 'tmk_version'}


def strip(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'//[^\n]*', ' ', text)
    text = re.sub(r'^\s*extern\s+"C"\s*\{\s*$', ' ', text, flags=re.M)
    text = re.sub(r'^\s*\}\s*$', ' ', text, flags=re.M)  # the extern "C" block's end
    macros = re.findall(r'^\s*#\s*define\s+(\w+)', text, flags=re.M)
    text = re.sub(r'^\s*#(?:\\\n|[^\n])*', ' ', text, flags=re.M)
    return text, macros


def statements(text):
    """Top-level declarations: split at ';' outside braces."""
    depth, start = 0, 0
    for i, c in enumerate(text):
        if c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
        elif c == ';' and depth == 0:
            yield text[start:i]
            start = i + 1


def outside_parens(s):
    """s with the insides of (...) blanked, so that parameters do not count."""
    out, depth = [], 0
    for c in s:
        if c == '(':
            depth += 1
            out.append('(')
        elif c == ')':
            depth -= 1
            out.append(')')
        else:
            out.append(c if depth == 0 else ' ')
    return ''.join(out)


def declared(text):
    """(name, kind) for every name the header text declares."""
    names = []
    for st in statements(text):
        st = st.strip()
        if not st:
            continue
        for m in re.finditer(r'\b(?:struct|enum|union)\s+(\w+)\s*\{', st):
            names.append((m.group(1), 'tag'))
        body = re.sub(r'\{.*\}', '{}', st, flags=re.S)  # members are not names
        if body.startswith('typedef'):
            m = re.search(r'\(\s*\*\s*(\w+)\s*\)\s*\(', body)
            if m:
                names.append((m.group(1), 'type'))
                continue
            m = re.search(r'(\w+)\s*(\[[^]]*\])?\s*$', body)
            if m:
                names.append((m.group(1), 'type'))
            m = re.match(r'typedef\s+(?:struct|enum|union)\s+(\w+)\s+\w+\s*$', body)
            if m:
                names.append((m.group(1), 'tag'))
            continue
        if re.match(r'(?:struct|enum|union)\s+\w+\s*$', body):
            continue  # a forward declaration: declared (and checked) where defined
        if re.match(r'(?:struct|enum|union)\s+\w+\s*\{\}\s*$', body):
            continue  # an enum or struct definition without typedef: the tag above
        flat = outside_parens(body)
        m = re.search(r'\b(\w+)\s*\(', flat)
        if m:
            names.append((m.group(1), 'function'))
            continue
        m = re.search(r'\bextern\b.*?\b(\w+)\s*(\[\s*\])?\s*$', body, flags=re.S)
        if m:
            names.append((m.group(1), 'variable'))
            continue
        names.append((body.split()[-1] if body.split() else body, 'unknown'))
    return names


def enum_constants(text):
    for m in re.finditer(r'\benum\b[^{;]*\{([^}]*)\}', text):
        for item in m.group(1).split(','):
            item = item.strip()
            if item:
                yield re.match(r'(\w+)', item).group(1)


def check(path, problems):
    header = os.path.basename(path)
    if header.endswith('.h.in'):
        header = header[:-3]
    text, macros = strip(open(path, encoding='utf-8').read())
    prefixes = MODULES.get(header)
    if prefixes is None:
        problems.append('%s: a public header that is not a documented module: add it to the '
                        'list in tests/abi/names.py with its prefixes' % header)
        return 0
    n = 0
    for name, kind in declared(text):
        n += 1
        ok = any(name.startswith('tmk_%s_' % p) for p in prefixes)
        if not ok and kind in ('type', 'tag'):
            ok = any(name == 'tmk_' + p for p in prefixes)
        if not ok and kind == 'function':
            ok = name in CONTRACT_NAMES
        if not ok:
            want = ' or '.join('tmk_%s_' % p for p in prefixes)
            problems.append('%s: %s %s does not start with %s (rule 1: tmk_<module>_)'
                            % (header, kind, name, want))
    guard = re.compile(r'TMKIT_\w+_H$')
    for name in list(macros) + list(enum_constants(text)):
        n += 1
        if not name.startswith('TMK_') and not guard.match(name):
            problems.append('%s: macro or enum constant %s does not start with TMK_' % (header, name))
    return n


def main(argv):
    problems, n, seen = [], 0, set()
    for d in argv[1:]:
        for path in sorted(glob.glob(os.path.join(d, '*.h')) + glob.glob(os.path.join(d, '*.h.in'))):
            base = os.path.basename(path)
            if base in seen:  # version.h: the generated one and its template
                continue
            seen.add(base if not base.endswith('.in') else base[:-3])
            n += check(path, problems)
    for p in problems:
        print(p)
    if problems:
        return 1
    print('%d names checked' % n)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
