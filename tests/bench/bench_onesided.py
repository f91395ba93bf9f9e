#!/usr/bin/env python3
"""bench_onesided.py -- sentences present on one side only: are they left out
(1-0 / 0-1 beads) or glued to a neighbour?

usage: bench_onesided.py TMKIT DOCPAIRS [--hunalign PATH] [--docs N]
                         [--edits N] [--seed N] [--sentences N] [--no-dict]

Real German-English paragraph pairs (en_de_docpairs.tsv, made by
../shared/bench/corpora/make_corpora.sh: English<TAB>German, \\t \\n \\\\
escaped) are split into sentences with `tmkit segment`.  Paragraph pairs
with as many sentences on both sides are taken as 1-1 (documentation
translated sentence by sentence); runs of consecutive such pairs make the
documents (about --sentences sentences each).  In each document --edits
sentences are changed at random (seeded), each one of:
  del-de  a German sentence is deleted  -> its English one is one-sided
  del-en  an English sentence is deleted -> its German one is one-sided
  ins-de  a German sentence from another document is inserted
  ins-en  the same on the English side
always inside a paragraph of two or more sentences (the hard case: a
neighbour to be glued to).  Both aligners get the same sentences, one per
line, with the paragraphs marked (tmkit: blank lines with --segmented
--paragraphs=blank; hunalign: <p> lines).

Printed per aligner:
  one-sided   % of the one-sided sentences that come out in a 1-0/0-1 bead
  false       unchanged sentences (their counterpart is there) put into a
              1-0/0-1 bead
  glued       one-sided sentences inside a bead with both sides: that
              bead's score (min / median / max, and how many >= 0.7, what
              --min-score 0.7 would keep); hunalign's scores are on its
              own scale
  exact       % of the gold beads (1-1, and each one-sided sentence alone)
              found exactly
BENCH_SHOW=1 in the environment prints each glued unit (* = the one-sided
sentence).  Stdlib only.  Not part of make check."""
import os
import random
import statistics
import subprocess
import sys
import tempfile
import json


def unesc(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s):
            n = s[i + 1]
            out.append({'t': '\t', 'n': ' ', 'r': ' ', '\\': '\\'}.get(n, '\\' + n))
            i += 2
        else:
            out.append(c)
            i += 1
    return ' '.join(''.join(out).split())


def segment(tmkit, lang, paras):
    """Sentences of each paragraph (one paragraph per input line)."""
    p = subprocess.run([tmkit, 'segment', '-l', lang, '--format', 'jsonl'],
                       input='\n'.join(paras) + '\n', capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit('bench_onesided: tmkit segment failed: ' + p.stderr.strip())
    out = [[] for _ in paras]
    for line in p.stdout.splitlines():
        o = json.loads(line)
        out[o['line'] - 1].append(o['text'])
    return out


def tmkit_align(tmkit, de, en, tmp, extra):
    """de, en: lists of paragraphs (lists of sentences).  Beads as
    (source indices, target indices, score), indices over the sentences."""
    fd, fe = os.path.join(tmp, 'de.txt'), os.path.join(tmp, 'en.txt')
    for path, doc in ((fd, de), (fe, en)):
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n\n'.join('\n'.join(p) for p in doc) + '\n')
    cmd = [tmkit, 'align', '--src', fd, '--tgt', fe, '-s', 'de', '-t', 'en', '--segmented',
           '--paragraphs=blank', '-q'] + extra
    p = subprocess.run(cmd + ['-f', 'tsv'], capture_output=True, text=True)
    if p.returncode:
        sys.exit('bench_onesided: tmkit align failed: ' + p.stderr)
    # the beads are in order and hold every sentence once: the bead
    # column (2-1, 0-1, ...) gives the indices
    beads, i, j = [], 0, 0
    for line in p.stdout.splitlines():
        f = line.split('\t')
        a, b = (int(x) for x in f[-1].split('-'))
        beads.append((list(range(i, i + a)), list(range(j, j + b)), float(f[-2])))
        i += a
        j += b
    return beads


def hunalign_align(hunalign, dic, de, en, tmp):
    """The same through hunalign (<p> lines between paragraphs); the ladder
    is turned into beads over the sentences (the <p> lines dropped)."""
    fd, fe = os.path.join(tmp, 'de.h'), os.path.join(tmp, 'en.h')
    idx = {}
    for side, path, doc in ((0, fd, de), (1, fe, en)):
        lines, m, k = [], {}, 0
        for pi, p in enumerate(doc):
            if pi:
                lines.append('<p>')
            for s in p:
                m[len(lines)] = k
                lines.append(s)
                k += 1
        idx[side] = (m, len(lines))
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')
    p = subprocess.run([hunalign, '-utf', dic, fd, fe], capture_output=True, text=True)
    if p.returncode:
        sys.exit('bench_onesided: hunalign failed: ' + p.stderr[-500:])
    rungs = []
    for line in p.stdout.splitlines():
        f = line.split('\t')
        if len(f) >= 3:
            rungs.append((int(f[0]), int(f[1]), float(f[2])))
    beads = []
    for (i0, j0, sc), (i1, j1, _) in zip(rungs, rungs[1:]):
        s = [idx[0][0][i] for i in range(i0, i1) if i in idx[0][0]]
        t = [idx[1][0][j] for j in range(j0, j1) if j in idx[1][0]]
        if s or t:
            beads.append((s, t, sc))
    return beads


def make_docs(tmkit, path, size):
    en, de = [], []
    with open(path, encoding='utf-8') as f:
        for line in f:
            cols = line.rstrip('\n').split('\t')
            if len(cols) != 2:
                continue
            e, d = unesc(cols[0]), unesc(cols[1])
            if e and d:
                en.append(e)
                de.append(d)
    se, sd = segment(tmkit, 'en', en), segment(tmkit, 'de', de)
    docs, cur, n = [], [], 0
    for a, b in zip(sd, se):
        if len(a) != len(b) or not a:
            if n >= size // 2 and sum(len(p) > 1 for p, _ in cur) >= 2:
                docs.append(cur)
            cur, n = [], 0
            continue
        cur.append((a, b))
        n += len(a)
        if n >= size:
            if sum(len(p) > 1 for p, _ in cur) >= 2:
                docs.append(cur)
            cur, n = [], 0
    return docs, len(en)


def edit(doc, rnd, nedits, pool):
    """Apply the edits.  Returns the two sides (lists of paragraphs of
    (sentence, id) where equal ids mark a 1-1 pair and id None a one-sided
    sentence) and the kinds of the edits made."""
    de = [[(s, (pi, k)) for k, s in enumerate(p)] for pi, (p, _) in enumerate(doc)]
    en = [[(s, (pi, k)) for k, s in enumerate(q)] for pi, (_, q) in enumerate(doc)]
    kinds = []
    for _ in range(nedits):
        kind = rnd.choice(['del-de', 'del-en', 'ins-de', 'ins-en'])
        side = de if kind.endswith('de') else en
        other = en if side is de else de
        multi = [pi for pi, p in enumerate(side) if len(p) >= 2]
        if not multi:
            continue
        pi = rnd.choice(multi)
        if kind.startswith('del'):
            # a sentence whose counterpart is still there
            ks = [k for k, (_, i) in enumerate(side[pi]) if i is not None]
            if not ks:
                continue
            k = rnd.choice(ks)
            gone = side[pi].pop(k)[1]
            for p in other:
                for x, (s, i) in enumerate(p):
                    if i == gone:
                        p[x] = (s, None)
        else:
            mine = {x for q in side for x, _ in q}
            s = rnd.choice(pool['de' if side is de else 'en'])
            while s in mine:
                s = rnd.choice(pool['de' if side is de else 'en'])
            side[pi].insert(rnd.randint(0, len(side[pi])), (s, None))
        kinds.append(kind)
    return de, en, kinds


def evaluate(beads, de, en, st):
    ids = [[i for p in side for _, i in p] for side in (de, en)]
    seen = [set(), set()]
    for s, t, sc in beads:
        one = not s or not t
        for side, xs in ((0, s), (1, t)):
            for x in xs:
                seen[side].add(x)
                orphan = ids[side][x] is None
                if orphan:
                    st['orphans'] += 1
                    if one:
                        st['onesided'] += 1
                elif one:
                    st['false'] += 1
        if not one and any(ids[0][x] is None for x in s) | any(ids[1][y] is None for y in t):
            st['glued'].append(sc)
            if os.environ.get('BENCH_SHOW'):
                print('GLUED %s %d-%d' % (sc, len(s), len(t)))
                for side, xs in ((0, s), (1, t)):
                    flat = [x for p in (de, en)[side] for x in p]
                    for x in xs:
                        print('   %s %s' % ('*' if flat[x][1] is None else ' ', flat[x][0][:150]))
        # exact: a gold bead is a 1-1 with the same id, or a one-sided orphan alone
        if len(s) + len(t) == 1:
            x = s[0] if s else t[0]
            st['exact'] += ids[0 if s else 1][x] is None
        elif len(s) == 1 and len(t) == 1 and ids[0][s[0]] is not None:
            st['exact'] += ids[0][s[0]] == ids[1][t[0]]
    for side in (0, 1):
        if len(seen[side]) != len(ids[side]):
            sys.exit('bench_onesided: an aligner left sentences out of its beads')
    st['gold'] += sum(i is not None for i in ids[0]) + sum(i is None for i in ids[0]) + \
        sum(i is None for i in ids[1])
    st['kept'] += sum(i is not None for i in ids[0])


def report(name, st, scale_note=''):
    o = st['orphans']
    g = sorted(x for x in st['glued'] if x is not None)
    print('== %s' % name)
    print('one-sided sentences left out (1-0/0-1): %d of %d = %.1f %%' %
          (st['onesided'], o, 100.0 * st['onesided'] / o if o else 0))
    print('unchanged sentences wrongly one-sided: %d (of %d pairs)' % (st['false'], st['kept']))
    if g:
        print('glued units: %d; score min %.3f median %.3f max %.3f; >= 0.7: %d%s' %
              (len(g), g[0], statistics.median(g), g[-1], sum(x >= 0.7 for x in g), scale_note))
    else:
        print('glued units: 0')
    print('gold beads found exactly: %d of %d = %.1f %%' %
          (st['exact'], st['gold'], 100.0 * st['exact'] / st['gold'] if st['gold'] else 0))


def main():
    args = sys.argv[1:]
    opts = {'--docs': 80, '--edits': 2, '--seed': 13, '--sentences': 30}
    hunalign, extra = None, []
    pos = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in opts:
            opts[a] = int(args[i + 1])
            i += 2
        elif a == '--hunalign':
            hunalign = args[i + 1]
            i += 2
        elif a == '--no-dict':
            extra.append('--no-dict')
            i += 1
        else:
            pos.append(a)
            i += 1
    if len(pos) != 2:
        sys.exit(__doc__.split('\n\n')[1])
    tmkit, path = pos
    docs, npairs = make_docs(tmkit, path, opts['--sentences'])
    rnd = random.Random(opts['--seed'])
    rnd.shuffle(docs)
    docs = docs[:opts['--docs']]
    pool = {'de': [s for d in docs for p, _ in d for s in p if len(s) > 30],
            'en': [s for d in docs for _, q in d for s in q if len(s) > 30]}
    nsent = sum(len(p) for d in docs for p, _ in d)
    print('%d paragraph pairs read; %d documents of %d German sentences in all (seed %d, '
          '%d edits each)' % (npairs, len(docs), nsent, opts['--seed'], opts['--edits']))
    st = {k: {'orphans': 0, 'onesided': 0, 'false': 0, 'glued': [], 'exact': 0, 'gold': 0,
              'kept': 0} for k in ('tmkit', 'hunalign')}
    kinds = {}
    with tempfile.TemporaryDirectory() as tmp:
        dic = os.path.join(tmp, 'null.dic')
        open(dic, 'w').close()
        for d in docs:
            # the other documents' sentences are the inserted ones
            de, en, ks = edit(d, rnd, opts['--edits'], pool)
            for k in ks:
                kinds[k] = kinds.get(k, 0) + 1
            sde = [[s for s, _ in p] for p in de if p]
            sen = [[s for s, _ in p] for p in en if p]
            de = [p for p in de if p]
            en = [p for p in en if p]
            evaluate(tmkit_align(tmkit, sde, sen, tmp, extra), de, en, st['tmkit'])
            if hunalign:
                evaluate(hunalign_align(hunalign, dic, sde, sen, tmp), de, en, st['hunalign'])
    print('edits: ' + ', '.join('%s %d' % kv for kv in sorted(kinds.items())))
    report('tmkit' + (' (no dictionary)' if extra else ' (installed dictionary, stems)'),
           st['tmkit'])
    if hunalign:
        report('hunalign (no dictionary)', st['hunalign'],
               ' (hunalign scale, not 0..1)')
    else:
        print('hunalign: not found, no comparison (build it from '
              'github.com/danielvarga/hunalign and set HUNALIGN or PATH)')


if __name__ == '__main__':
    main()
