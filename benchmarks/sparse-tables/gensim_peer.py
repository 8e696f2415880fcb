#!/usr/bin/env python3
"""gensim's Word2Vec on the Online Retail customer sessions embtrain's item2vec config trains on.

    /usr/bin/python3 gensim_peer.py ../shared/data/online-retail/online_retail.csv.xz --epochs 3

Sessions: one customer's rows in file order, rows with an empty field dropped, customers with 3
rows or more, each session without its last item (embtrain holds the last items out); tokens are
stock codes. Settings: skip-gram, 64 dimensions, window 5, 5 negatives, ns_exponent 0.5, no
subsampling, min_count 5, one worker. Prints seconds per epoch.
"""
import argparse
import csv
import io
import lzma
import time
from collections import OrderedDict

from gensim.models import Word2Vec

p = argparse.ArgumentParser()
p.add_argument("csv")
p.add_argument("--epochs", type=int, default=3)
a = p.parse_args()

sessions = OrderedDict()
with lzma.open(a.csv, "rt", encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        if any(v is None or v.strip() == "" for v in row.values()):
            continue
        sessions.setdefault(row["CustomerID"], []).append(row["StockCode"])
corpus = [s[:-1] for s in sessions.values() if len(s) >= 3]
print(f"gensim: {len(corpus):,} sessions, {sum(map(len, corpus)):,} items")
model = Word2Vec(vector_size=64, window=5, negative=5, ns_exponent=0.5, sample=0, sg=1, min_count=5,
                 workers=1, seed=42)
model.build_vocab(corpus)
begin = time.perf_counter()
model.train(corpus, total_examples=len(corpus), epochs=a.epochs)
seconds = time.perf_counter() - begin
print(f"gensim epoch: {seconds / a.epochs:.2f} s (mean of {a.epochs})")
