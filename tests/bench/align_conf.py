#!/usr/bin/env python3
"""align_conf.py -- does the alignment confidence (the score `tmkit align`
gives each pair, below 0.70 = a "weak pair" the build summary counts and
`align -f html` marks) tell right pairs from wrong ones?

usage: align_conf.py TMKIT SHARED_DIR [DOCPAIRS] [--thr X] [--seed N] [--docs N]
                     [--subs N] [--pages PARALLEL_DOCS]

1. The Bleualign DE-FR gold (SHARED_DIR/bench/alignment, dev and test0..6
   pooled), with the dictionary (DICT, default freedict-deu-fra) and without
   one: among the beads with both sides, the correct ones (the bead is in
   the gold, strict) scored below --thr (false alarms) and the wrong ones
   scored below --thr (hits); with the document warning (stderr "do not look
   like translations") counted per document.
2. With DOCPAIRS (en_de_docpairs.tsv, as bench_onesided.py reads it, with
   the installed German-English dictionary): in each document (seeded)
   --subs English sentences are replaced by sentences of other documents
   (a sentence replaced by an unrelated one, review 6 defect 11); printed:
   the replaced sentences that come out paired with a German sentence, how
   many of those pairs score below --thr, and the correct 1-1 pairs below
   --thr.  Then every document's German side against the next document's
   English side (a wrong file pair): how many get the warning, against the
   true pairs (must be none).
3. The document warning on more true and wrong pairs, with the dictionary
   and without: the Bleualign documents (each against the next one's French
   as the wrong pair), the sample tmx/sample/{de,en}.txt (wrong: the English
   of tests/cli/build-unrelated-texts), and with --pages (the corpora's
   parallel_docs folder) 8 German-English page pairs (over 3000 bytes,
   chosen seeded) of each of four projects (wrong: the next page's English).
Stdlib only.  Not part of make check."""
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_onesided  # noqa: E402  (make_docs, unesc)

WARN = 'do not look like translations'


def run_align(tmkit, src, tgt, sl, tl, extra, blank=False):
    cmd = [tmkit, 'align', '--src', src, '--tgt', tgt, '-s', sl, '-t', tl, '--segmented',
           '-f', 'tsv'] + (['--paragraphs=blank'] if blank else []) + extra
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit('align_conf: tmkit align failed: ' + p.stderr)
    beads, i, j = [], 0, 0
    for line in p.stdout.splitlines():
        f = line.split('\t')
        a, b = (int(x) for x in f[-1].split('-'))
        beads.append((tuple(range(i, i + a)), tuple(range(j, j + b)), float(f[-2])))
        i += a
        j += b
    return beads, WARN in p.stderr


def load_gold(path):
    out = set()
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line:
                a, b = line.split(':')[:2]
                out.add((tuple(eval(a)), tuple(eval(b))))  # gold lists of ints
    return out


def bleualign(tmkit, shared, thr, dict_opt):
    data = os.path.join(shared, 'bench', 'alignment', 'vecalign_bleualign_data')
    if not os.path.isdir(data):
        print('skip: %s absent' % data)
        return
    for name, extra in (('dictionary', dict_opt), ('no dictionary', ['--no-dict'])):
        for group in (['dev'], ['test%d' % k for k in range(7)]):
            ok = okl = bad = badl = warned = 0
            for d in group:
                beads, w = run_align(tmkit, os.path.join(data, d + '.de'),
                                     os.path.join(data, d + '.fr'), 'de', 'fr', extra + ['-q'])
                warned += w
                gold = load_gold(os.path.join(data, d + '.defr'))
                for s, t, sc in beads:
                    if not s or not t:
                        continue
                    if (s, t) in gold:
                        if len(s) == 1 and len(t) == 1:
                            ok += 1
                            okl += sc < thr
                    else:
                        bad += 1
                        badl += sc < thr
            print('%-13s %-4s correct 1-1 below %.2f: %3d of %4d (%.1f %%)   wrong below %.2f: '
                  '%3d of %3d (%.1f %%)   documents warned: %d of %d'
                  % (name, 'dev' if len(group) == 1 else 'test', thr, okl, ok,
                     100.0 * okl / max(ok, 1), thr, badl, bad, 100.0 * badl / max(bad, 1),
                     warned, len(group)))


def write_doc(path, paras):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n\n'.join('\n'.join(p) for p in paras) + '\n')


def substitution(tmkit, path, thr, seed, ndocs, nsubs):
    docs, _ = bench_onesided.make_docs(tmkit, path, 30)
    rnd = random.Random(seed)
    rnd.shuffle(docs)
    docs = docs[:ndocs]
    pool = [s for d in docs for _, q in d for s in q if len(s) > 30]
    paired = low = ok = okl = subs = 0
    warn_true = warn_wrong = 0
    with tempfile.TemporaryDirectory() as tmp:
        fd, fe = os.path.join(tmp, 'de.txt'), os.path.join(tmp, 'en.txt')
        for di, d in enumerate(docs):
            de = [list(p) for p, _ in d]
            en = [list(q) for _, q in d]
            flat = [(pi, k) for pi, q in enumerate(en) for k in range(len(q))]
            mine = {s for q in en for s in q}
            replaced = set()
            for _ in range(nsubs):
                pi, k = rnd.choice(flat)
                s = rnd.choice(pool)
                while s in mine:
                    s = rnd.choice(pool)
                en[pi][k] = s
                replaced.add(sum(len(q) for q in en[:pi]) + k)
            subs += len(replaced)
            write_doc(fd, de)
            write_doc(fe, en)
            beads, _ = run_align(tmkit, fd, fe, 'de', 'en', ['-q'], blank=True)
            for s, t, sc in beads:
                if not s or not t:
                    continue
                if replaced & set(t):
                    paired += 1
                    low += sc < thr
                elif len(s) == 1 and len(t) == 1 and s[0] == t[0]:
                    ok += 1
                    okl += sc < thr
            # the true pair and a wrong pair (the next document's English)
            write_doc(fe, [list(q) for _, q in d])
            warn_true += run_align(tmkit, fd, fe, 'de', 'en', [], blank=True)[1]
            write_doc(fe, [list(q) for _, q in docs[(di + 1) % len(docs)]])
            warn_wrong += run_align(tmkit, fd, fe, 'de', 'en', [], blank=True)[1]
    print('substitution (seed %d, %d documents, %d replaced English sentences):' %
          (seed, len(docs), subs))
    print('  replaced sentences paired with a German one: %d, of them below %.2f: %d (%.1f %%)'
          % (paired, thr, low, 100.0 * low / max(paired, 1)))
    print('  correct 1-1 pairs (sentence k with sentence k) below %.2f: %d of %d (%.1f %%)'
          % (thr, okl, ok, 100.0 * okl / max(ok, 1)))
    print('  document warning: true pairs %d of %d, wrong file pairs %d of %d'
          % (warn_true, len(docs), warn_wrong, len(docs)))


def warnings(tmkit, shared, pages):
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sets = []  # (name, [(src, tgt, sl, tl, segmented)] true, [...] wrong)
    data = os.path.join(shared, 'bench', 'alignment', 'vecalign_bleualign_data')
    if os.path.isdir(data):
        ds = ['dev'] + ['test%d' % k for k in range(7)]
        f = lambda d, e: os.path.join(data, d + '.' + e)
        sets.append(('Bleualign', 'deu-fra',
                     [(f(d, 'de'), f(d, 'fr'), 'de', 'fr', True) for d in ds],
                     [(f(ds[k], 'de'), f(ds[(k + 1) % 8], 'fr'), 'de', 'fr', True)
                      for k in range(8)]))
    smp = os.path.join(top, 'tmx', 'sample')
    sets.append(('sample', 'installed',
                 [(os.path.join(smp, 'de.txt'), os.path.join(smp, 'en.txt'), 'de', 'en', False)],
                 [(os.path.join(smp, 'de.txt'),
                   os.path.join(top, 'tests', 'cli', 'build-unrelated-texts', 'unrelated_en.txt'),
                   'de', 'en', False)]))
    if pages:
        fs = []
        for proj in ('installation-guide-amd64', 'harden-doc', 'debian-handbook',
                     'gnome-user-docs'):
            v = []
            for root, _, names in os.walk(os.path.join(pages, proj, 'de')):
                for n in names:
                    p = os.path.join(root, n)
                    e = p.replace('/de/', '/en/', 1)
                    if os.path.exists(e) and os.path.getsize(p) > 3000:
                        v.append(p)
            v.sort()
            random.Random(1).shuffle(v)
            fs += v[:8]
        en = lambda p: p.replace('/de/', '/en/', 1)
        sets.append(('pages', 'installed', [(p, en(p), 'de', 'en', False) for p in fs],
                     [(fs[k], en(fs[(k + 1) % len(fs)]), 'de', 'en', False)
                      for k in range(len(fs))]))
    dic = os.environ.get('DICT', '/usr/share/dictd/freedict-deu-fra.index')
    for name, which, true, wrong in sets:
        for mode in ('dictionary', 'no dictionary'):
            extra = ['--no-dict'] if mode != 'dictionary' else (
                ['--dict', dic] if which == 'deu-fra' else [])
            cnt = []
            for group in (true, wrong):
                n = 0
                for src, tgt, sl, tl, seg in group:
                    cmd = [tmkit, 'align', '--src', src, '--tgt', tgt, '-s', sl, '-t', tl,
                           '-f', 'beads'] + (['--segmented'] if seg else []) + extra
                    p = subprocess.run(cmd, capture_output=True, text=True)
                    n += WARN in p.stderr
                cnt.append(n)
            print('warning %-10s %-13s true pairs %2d of %2d, wrong pairs %2d of %2d'
                  % (name, mode, cnt[0], len(true), cnt[1], len(wrong)))


def main():
    args = sys.argv[1:]
    opts = {'--thr': '0.70', '--seed': '13', '--docs': '60', '--subs': '2', '--pages': ''}
    pos = []
    i = 0
    while i < len(args):
        if args[i] in opts:
            opts[args[i]] = args[i + 1]
            i += 2
        else:
            pos.append(args[i])
            i += 1
    if len(pos) < 2:
        sys.exit(__doc__.split('\n\n')[1])
    tmkit, shared = pos[0], pos[1]
    thr = float(opts['--thr'])
    dic = os.environ.get('DICT', '/usr/share/dictd/freedict-deu-fra.index')
    bleualign(tmkit, shared, thr, ['--dict', dic] if os.path.exists(dic) else [])
    warnings(tmkit, shared, opts['--pages'])
    if len(pos) > 2:
        substitution(tmkit, pos[2], thr, int(opts['--seed']), int(opts['--docs']),
                     int(opts['--subs']))


if __name__ == '__main__':
    main()
