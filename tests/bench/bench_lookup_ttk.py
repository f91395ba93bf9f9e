"""translate-toolkit's matcher as a peer for bench_lookup.sh: load the
memory from the TSV (column COL is the source), look up each query line
with min similarity 50 and 5 candidates, print seconds per query.

usage: bench_lookup_ttk.py PAIRS.tsv COL QUERIES.txt"""
import logging
import sys
import time

logging.disable(logging.WARNING)
from translate.search import match  # noqa: E402
from translate.storage import base  # noqa: E402


# ties in similarity make heapq compare units, which base units cannot do
# (a store from a file has the same problem); any order will do
base.TranslationUnit.__lt__ = lambda a, b: id(a) < id(b)


def main():
    pairs, col, queries = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    store = base.TranslationStore()
    with open(pairs, encoding="utf-8", errors="replace") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 2:
                continue
            u = base.TranslationUnit(p[col])
            u.target = p[1 - col]
            store.addunit(u)
    m = match.matcher(store, max_candidates=5, min_similarity=50)
    qs = [q.strip() for q in open(queries, encoding="utf-8") if q.strip()]
    t0 = time.process_time()
    for q in qs:
        m.matches(q)
    print("%.2f" % ((time.process_time() - t0) / max(1, len(qs))))


main()
