#!/usr/bin/env python3
"""align_deen.py -- German-English alignment on documents made from real pairs.

usage: align_deen.py TMKIT PAIRS.tsv SCORE.py [DOCS [SEGS]]

There is no German-English gold set in ../shared, so this makes one: DOCS
documents (default 12) of SEGS consecutive sentence pairs (default 150) from
en_de_pairs.tsv (English TAB German, as ../shared/bench/corpora/make_corpora.sh
writes it; consecutive lines come from the same package, so a document keeps
one subject).  Each document is then disturbed the way real translations are,
with a fixed seed: two German sentences joined into one line (a 2-1 bead),
two English ones joined (1-2), a sentence left out on either side (1-0 / 0-1).
The gold follows from the construction.  tmkit aligns the German with the
English three ways: without a dictionary, with the installed German-English
dictionary (trans-de-en) as written, and with it plus Hunspell stems (the
default).  Scores are score.py's strict and lax F1, pooled; time is wall
clock for all documents.  Python 3 standard library only.
"""
import os
import random
import subprocess
import sys
import tempfile
import time


def sentences(path):
    """Pairs that look like sentences on both sides (no escapes, 5+ words)."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2 or "\\" in line:
                out.append(None)  # a break: documents do not span it
                continue
            en, de = parts
            if (len(en.split()) >= 5 and len(de.split()) >= 5 and en[-1:] in ".!?"
                    and de[-1:] in ".!?" and en != de):
                out.append((de, en))
            else:
                out.append(None)
    return out


def make_docs(pairs, ndocs, nsegs, rng):
    """Windows of nsegs usable pairs, few breaks inside, far apart."""
    docs = []
    starts = list(range(0, len(pairs) - nsegs * 3, nsegs))
    rng.shuffle(starts)
    for s in starts:
        win = [p for p in pairs[s:s + nsegs * 3] if p][:nsegs]
        if len(win) == nsegs and len(set(win)) == nsegs:
            docs.append(win)
        if len(docs) == ndocs:
            break
    return docs


def disturb(doc, rng):
    de, en, gold = [], [], []
    i = 0
    while i < len(doc):
        r = rng.random()
        if r < 0.07 and i + 1 < len(doc):    # two German sentences, one English line
            de += [doc[i][0], doc[i + 1][0]]
            en.append(doc[i][1] + " " + doc[i + 1][1])
            gold.append(([len(de) - 2, len(de) - 1], [len(en) - 1]))
            i += 2
        elif r < 0.14 and i + 1 < len(doc):  # one German line, two English sentences
            de.append(doc[i][0] + " " + doc[i + 1][0])
            en += [doc[i][1], doc[i + 1][1]]
            gold.append(([len(de) - 1], [len(en) - 2, len(en) - 1]))
            i += 2
        elif r < 0.17:                       # left out of the translation
            de.append(doc[i][0])
            gold.append(([len(de) - 1], []))
            i += 1
        elif r < 0.20:                       # added in the translation
            en.append(doc[i][1])
            gold.append(([], [len(en) - 1]))
            i += 1
        else:
            de.append(doc[i][0])
            en.append(doc[i][1])
            gold.append(([len(de) - 1], [len(en) - 1]))
            i += 1
    return de, en, gold


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    tmkit, tsv, score = sys.argv[1:4]
    ndocs = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    nsegs = int(sys.argv[5]) if len(sys.argv) > 5 else 150
    rng = random.Random(20261126)
    docs = make_docs(sentences(tsv), ndocs, nsegs, rng)
    tmp = tempfile.mkdtemp(prefix="tmkit-deen-")
    golds = []
    nde = nen = 0
    for k, doc in enumerate(docs):
        de, en, gold = disturb(doc, rng)
        nde += len(de)
        nen += len(en)
        for name, lines in (("de", de), ("en", en)):
            with open(os.path.join(tmp, "%d.%s" % (k, name)), "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
        g = os.path.join(tmp, "%d.gold" % k)
        with open(g, "w") as f:
            for a, b in gold:
                f.write("%s:%s\n" % (a, b))
        golds.append(g)
    print("%d documents, %d German / %d English segments (seed 20261126)" % (len(docs), nde, nen))
    runs = [("no dictionary", ["--no-dict"]), ("dictionary, no stems", ["--no-stem"]),
            ("dictionary + stems (default)", [])]
    for label, opts in runs:
        tests = []
        t0 = time.time()
        for k in range(len(docs)):
            out = os.path.join(tmp, "%d.%d.align" % (k, len(tests)))
            with open(out, "w") as f:
                subprocess.run([tmkit, "align", "--src", os.path.join(tmp, "%d.de" % k),
                                "--tgt", os.path.join(tmp, "%d.en" % k), "-s", "de-DE", "-t",
                                "en-US", "--segmented", "-f", "beads", "-q"] + opts,
                               stdout=f, check=True)
            tests.append(out)
        dt = time.time() - t0
        r = subprocess.run(["python3", score, "-q", "-g"] + golds + ["-t"] + tests,
                           capture_output=True, text=True, check=True).stdout.strip()
        print("%-30s %s   %.2f s" % (label, r.splitlines()[-1], dt))
    subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
