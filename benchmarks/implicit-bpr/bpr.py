#!/usr/bin/python3
"""Implicit-feedback benchmark: embtrain against plain PyTorch on one split and one set of negatives.

Reads an ml-100k-format directory (real, or synthetic-movielens with exposure > 0, whose truth/
holds the generating model), holds out each user's latest interaction (embtrain's leave-last-out:
ties go to the later row; users with one interaction stay in training), and

  * trains a BPR dot product (user and item factors, user and item biases, as embtrain's
    dot-product-bias) in plain PyTorch: Adam with decoupled weight decay, batch B, one uniform
    negative per positive among the user's non-training items, one thread;
  * scores, with the same code and the same negatives, every model given:
      - full ranking: the held-out item among every item the user has no training row with
        (Recall@10 = HR@10 and NDCG@10);
      - NCF protocol: the held-out item among 99 such items drawn once with a fixed seed;
    for the PyTorch model, embtrain runs (from their exported .npy tables and vocab/), the
    popularity baseline and, for synthetic data, the true model b_i + p_u.q_i.

usage: bpr.py DATA_DIR [--run NAME=RUN_DIR ...] [--epochs N] [--batch B] [--factors F]
              [--lr LR] [--wd WD] [--seed S]
"""
import argparse
import os
import time

import numpy as np
import torch


def read(data):
    rows = np.loadtxt(os.path.join(data, "u.data"), dtype=np.int64)
    users, items, ts = rows[:, 0], rows[:, 1], rows[:, 3]
    latest = {}
    count = {}
    for r in range(len(users)):
        u = users[r]
        count[u] = count.get(u, 0) + 1
        if u not in latest or ts[r] >= ts[latest[u]]:
            latest[u] = r
    valid = np.zeros(len(users), dtype=bool)
    for u, r in latest.items():
        if count[u] >= 2:
            valid[r] = True
    return users, items, valid


def metrics(score, heldout, seen, n_items, negatives, k=10):
    """score(user_ids) -> [len, n_items + 1] scores indexed by raw item id (column 0 unused)."""
    hits = ndcg = s_hits = s_ndcg = 0.0
    ulist = sorted(heldout)
    for start in range(0, len(ulist), 256):
        block = ulist[start:start + 256]
        s = score(np.array(block))
        for b, u in enumerate(block):
            row = s[b].astype(np.float64).copy()
            row[0] = -np.inf
            row[list(seen[u])] = -np.inf
            target = heldout[u]
            # Full: 1 + items scored higher, ties going to the lower id.
            rank = 1 + int(np.sum(row > row[target])) + int(np.sum(row[:target] == row[target]))
            if rank <= k:
                hits += 1
                ndcg += 1 / np.log2(rank + 1)
            neg = negatives[u]
            srank = 1 + int(np.sum(row[neg] >= row[target]))
            if srank <= k:
                s_hits += 1
                s_ndcg += 1 / np.log2(srank + 1)
    n = len(ulist)
    return hits / n, ndcg / n, s_hits / n, s_ndcg / n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("--run", action="append", default=[])
    p.add_argument("--epochs", type=int, default=15)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--factors", type=int, default=64)
    p.add_argument("--lr", type=float, default=5e-3)
    p.add_argument("--wd", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)

    users, items, valid = read(a.data)
    n_users, n_items = int(users.max()), int(items.max())
    tu, ti = users[~valid], items[~valid]
    seen = [set() for _ in range(n_users + 1)]
    for u, i in zip(tu, ti):
        seen[u].add(i)
    heldout = {int(u): int(i) for u, i in zip(users[valid], items[valid]) if i not in seen[u]}
    negatives = {}
    nrng = np.random.default_rng(12345)
    for u in sorted(heldout):
        cand = np.array([i for i in range(1, n_items + 1) if i not in seen[u] and i != heldout[u]])
        negatives[u] = nrng.choice(cand, 99, replace=False)
    print(f"data {a.data}: {len(tu)} training interactions, {len(heldout)} held out, {n_users} users, {n_items} items")

    models = {}
    pop = np.zeros(n_items + 1)
    for i in ti:
        pop[i] += 1
    # Popularity: ties broken by id order, as embtrain's baseline (lower id first = tiny bonus).
    popularity = pop - np.arange(n_items + 1) * 1e-9
    models["popularity"] = lambda us: np.tile(popularity, (len(us), 1))

    truth = os.path.join(a.data, "truth")
    if os.path.isdir(truth):
        tu_ = np.loadtxt(os.path.join(truth, "users.tsv"), ndmin=2)
        ti_ = np.loadtxt(os.path.join(truth, "items.tsv"), ndmin=2)
        true = np.zeros((n_users + 1, n_items + 1))
        true[1:, 1:] = ti_[:, 0][None, :] + tu_[:, 1:] @ ti_[:, 1:].T
        models["true model"] = lambda us: true[us]

    for spec in a.run:
        name, run = spec.split("=", 1)
        emb = os.path.join(run, "embeddings")
        uvocab = [l.rstrip("\n") for l in open(os.path.join(run, "vocab", "user.txt"))]
        ivocab = [l.rstrip("\n") for l in open(os.path.join(run, "vocab", "item.txt"))]
        P, Q = np.load(os.path.join(emb, "user.npy")), np.load(os.path.join(emb, "item.npy"))
        bi = np.load(os.path.join(emb, "item_bias.npy")).reshape(-1)
        urow = np.zeros(n_users + 1, dtype=np.int64)
        for r, t in enumerate(uvocab[1:], 1):
            urow[int(t)] = r
        Qf = np.zeros((n_items + 1, Q.shape[1]), dtype=np.float32)
        bf = np.full(n_items + 1, -1e9, dtype=np.float32)
        for r, t in enumerate(ivocab[1:], 1):
            Qf[int(t)] = Q[r]
            bf[int(t)] = bi[r]
        models[name] = lambda us, P=P, Qf=Qf, bf=bf, urow=urow: P[urow[us]] @ Qf.T + bf[None, :]

    # Plain PyTorch BPR.
    U = torch.nn.Embedding(n_users + 1, a.factors)
    I = torch.nn.Embedding(n_items + 1, a.factors)
    BU = torch.nn.Embedding(n_users + 1, 1)
    BI = torch.nn.Embedding(n_items + 1, 1)
    for e in (U, I, BU, BI):
        torch.nn.init.normal_(e.weight, std=0.01)
    params = [U.weight, I.weight, BU.weight, BI.weight]
    opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=a.wd)
    # A dense seen matrix keeps the rejection of a user's own items vectorised (ml-100k: 1.6 MB).
    seen_matrix = np.zeros((n_users + 1, n_items + 1), dtype=bool)
    seen_matrix[tu, ti] = True
    tu_t, ti_t = torch.from_numpy(tu), torch.from_numpy(ti)

    def score_torch(us):
        with torch.no_grad():
            t = torch.from_numpy(us)
            return (U(t) @ I.weight.T + BU(t) + BI.weight.T).numpy()

    best = None
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        order = rng.permutation(len(tu))
        total = 0.0
        for s in range(0, len(order), a.batch):
            idx = order[s:s + a.batch]
            bu = tu[idx]
            neg = rng.integers(1, n_items + 1, len(idx))
            for t in range(32):
                clash = seen_matrix[bu, neg]
                if not clash.any():
                    break
                neg[clash] = rng.integers(1, n_items + 1, int(clash.sum()))
            u = tu_t[idx]
            pos = ti_t[idx]
            negt = torch.from_numpy(neg)
            pu = U(u)
            sp = (pu * I(pos)).sum(1) + BU(u).squeeze(1) + BI(pos).squeeze(1)
            sn = (pu * I(negt)).sum(1) + BU(u).squeeze(1) + BI(negt).squeeze(1)
            loss = torch.nn.functional.softplus(sn - sp).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        seconds = time.perf_counter() - start
        hr, nd, shr, snd = metrics(score_torch, heldout, seen, n_items, negatives)
        print(f"pytorch epoch {epoch:2d} loss {total / len(tu):.4f} {seconds:.2f} s  full HR@10 {hr:.4f}"
              f" NDCG@10 {nd:.4f}  sampled HR@10 {shr:.4f} NDCG@10 {snd:.4f}", flush=True)
        if best is None or nd > best[1]:
            best = (epoch, nd, hr, shr, snd, [w.detach().clone() for w in params])
    for w, b in zip(params, best[5]):
        w.data.copy_(b)
    models[f"pytorch BPR (best epoch {best[0]})"] = score_torch

    print(f"{'model':34s} {'full HR@10':>10s} {'full NDCG@10':>12s} {'NCF HR@10':>10s} {'NCF NDCG@10':>11s}")
    for name, score in models.items():
        hr, nd, shr, snd = metrics(score, heldout, seen, n_items, negatives)
        print(f"{name:34s} {hr:10.4f} {nd:12.4f} {shr:10.4f} {snd:11.4f}")


if __name__ == "__main__":
    main()
