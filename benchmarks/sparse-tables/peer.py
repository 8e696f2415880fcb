#!/usr/bin/env python3
"""The plain-PyTorch peer of embtrain's dot-product-bias model, on the same ml-100k-format file.

    /usr/bin/python3 peer.py DATA_DIR --factors 64 --batch 1024 --epochs 1 [--sparse] [--steps N]
    /usr/bin/python3 peer.py DATA_DIR --model collab --batch 64 --epochs 3 --lr 5e-3 --wd 0.01

Model: u.i + b_u + b_i through sigmoid_range(0.5, 5.5), MSE, as embtrain's dot-product-bias; or
--model collab, fastai's CollabNN as embtrain's deep-collaborative (embedding widths by fastai's
emb_sz_rule, concatenated, Linear(100), ReLU, Linear(1), sigmoid_range(0, 5.5)).
--sparse: nn.Embedding(sparse=True) + torch.optim.SparseAdam (PyTorch's row-sparse update);
otherwise dense embeddings + AdamW (wd 0.05), fastai's recipe. 80% of the ratings train,
shuffled with a fixed seed. Prints seconds per epoch (or for --steps steps) and the
training ratings per second; one thread, as embtrain's default.
"""
import argparse
import time

import numpy as np
import torch

p = argparse.ArgumentParser()
p.add_argument("data")
p.add_argument("--factors", type=int, default=64)
p.add_argument("--batch", type=int, default=1024)
p.add_argument("--epochs", type=int, default=1)
p.add_argument("--lr", type=float, default=1e-2)
p.add_argument("--sparse", action="store_true")
p.add_argument("--steps", type=int, default=0, help="stop after this many steps")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--model", choices=["dot", "collab"], default="dot")
p.add_argument("--wd", type=float, default=0.05)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(42)

raw = np.loadtxt(a.data + "/u.data", dtype=np.int64, usecols=(0, 1, 2))
users = int(raw[:, 0].max()) + 1
items = int(raw[:, 1].max()) + 1
rng = np.random.default_rng(42)
order = rng.permutation(len(raw))
train = raw[order[: int(0.8 * len(raw))]]
u = torch.from_numpy(train[:, 0].copy())
i = torch.from_numpy(train[:, 1].copy())
r = torch.from_numpy(train[:, 2].astype(np.float32))


class DotBias(torch.nn.Module):
    def __init__(self):
        super().__init__()
        s = a.sparse
        self.u = torch.nn.Embedding(users, a.factors, sparse=s)
        self.i = torch.nn.Embedding(items, a.factors, sparse=s)
        self.bu = torch.nn.Embedding(users, 1, sparse=s)
        self.bi = torch.nn.Embedding(items, 1, sparse=s)
        for e in (self.u, self.i, self.bu, self.bi):
            torch.nn.init.normal_(e.weight, 0, 0.01)

    def forward(self, uu, ii):
        x = (self.u(uu) * self.i(ii)).sum(1) + self.bu(uu).squeeze(1) + self.bi(ii).squeeze(1)
        return torch.sigmoid(x) * 5.0 + 0.5


def emb_sz(n):
    return min(600, round(1.6 * n ** 0.56))


class CollabNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.u = torch.nn.Embedding(users, emb_sz(users))
        self.i = torch.nn.Embedding(items, emb_sz(items))
        for e in (self.u, self.i):
            torch.nn.init.trunc_normal_(e.weight, 0, 0.01)
        self.layers = torch.nn.Sequential(torch.nn.Linear(self.u.embedding_dim + self.i.embedding_dim, 100),
                                          torch.nn.ReLU(), torch.nn.Linear(100, 1))

    def forward(self, uu, ii):
        x = self.layers(torch.cat([self.u(uu), self.i(ii)], dim=1)).squeeze(1)
        return torch.sigmoid(x) * 5.5


model = DotBias() if a.model == "dot" else CollabNN()
if a.sparse:
    opt = torch.optim.SparseAdam(model.parameters(), lr=a.lr, betas=(0.9, 0.99), eps=1e-5)
else:
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.99), eps=1e-5, weight_decay=a.wd)
n = len(r)
print(f"peer: {a.model}, {users - 1:,} users x {items - 1:,} items, {n:,} training ratings, {a.factors} factors,"
      f" batch {a.batch}, {'sparse + SparseAdam' if a.sparse else 'dense + AdamW'}, torch {torch.__version__},"
      f" {torch.get_num_threads()} thread(s)")
steps = 0
phases = {"batch": 0.0, "forward": 0.0, "loss": 0.0, "backward": 0.0, "update": 0.0}
clock = time.perf_counter
for epoch in range(1, a.epochs + 1):
    perm = torch.randperm(n)
    begin = time.perf_counter()
    total = 0.0
    seen = 0
    for s in range(0, n, a.batch):
        t0 = clock()
        idx = perm[s:s + a.batch]
        uu, ii, rr = u[idx], i[idx], r[idx]
        t1 = clock()
        opt.zero_grad()
        pred = model(uu, ii)
        t2 = clock()
        loss = torch.nn.functional.mse_loss(pred, rr)
        total += loss.item()
        t3 = clock()
        loss.backward()
        t4 = clock()
        opt.step()
        t5 = clock()
        for k, d in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
            phases[k] += d
        seen += len(idx)
        steps += 1
        if a.steps and steps >= a.steps:
            break
    seconds = time.perf_counter() - begin
    print(f"peer epoch {epoch}: {seconds:.2f} s, {seen / seconds:,.0f} ratings/s, train_loss"
          f" {total / max(1, (seen + a.batch - 1) // a.batch):.4f}")
    if a.steps and steps >= a.steps:
        break
print("peer step profile over %d steps, ms a step: %s, total %.3f" % (steps, ", ".join(
    "%s %.3f" % (k, 1000 * v / steps) for k, v in phases.items()), 1000 * sum(phases.values()) / steps))
