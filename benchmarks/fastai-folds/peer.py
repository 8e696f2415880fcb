"""fastai's collaborative-filtering recipe in plain PyTorch, on MovieLens 100k's official folds.

fastai's EmbeddingDotBias (embeddings and biases drawn from a truncated normal, std 0.01; the
dot product plus both biases through sigmoid_range(0, 5.5)), MSE loss, batches of 64 shuffled
every epoch, fit_one_cycle(5, 5e-3, wd=0.1): AdamW (betas 0.9/0.99, eps 1e-5, decoupled weight
decay 0.1) under a one-cycle schedule (25% warm-up from lr/25, cosine annealing to lr/25e5,
beta1 cycled 0.95 -> 0.85 -> 0.95). Prints, per fold, the validation MSE after the last epoch
and at its best epoch, and seconds per epoch; then mean and sample sd over the folds.

    /usr/bin/python3 peer.py DIR [--folds u1,u2,u3,u4,u5] [--threads 1] [--seed 42]
"""
import argparse
import statistics
import time

import torch
from torch import nn


def read(path, users, items):
    rows = []
    with open(path) as f:
        for line in f:
            u, i, r, _ = line.rstrip("\n").split("\t")
            rows.append((users.setdefault(u, len(users)), items.setdefault(i, len(items)), float(r)))
    t = torch.tensor(rows, dtype=torch.float64)
    return t[:, 0].long(), t[:, 1].long(), t[:, 2].float()


class DotBias(nn.Module):
    def __init__(self, n_users, n_items, factors, y_range):
        super().__init__()
        self.u = nn.Embedding(n_users, factors)
        self.i = nn.Embedding(n_items, factors)
        self.ub = nn.Embedding(n_users, 1)
        self.ib = nn.Embedding(n_items, 1)
        for e in (self.u, self.i, self.ub, self.ib):
            nn.init.trunc_normal_(e.weight, std=0.01)
        self.lo, self.hi = y_range

    def forward(self, u, i):
        dot = (self.u(u) * self.i(i)).sum(1) + self.ub(u).squeeze(1) + self.ib(i).squeeze(1)
        return torch.sigmoid(dot) * (self.hi - self.lo) + self.lo


def fold(directory, name, args):
    users, items = {}, {}
    tu, ti, tr = read(f"{directory}/{name}.base", users, items)
    vu, vi, vr = read(f"{directory}/{name}.test", users, items)
    torch.manual_seed(args.seed)
    model = DotBias(len(users), len(items), 50, (0.0, 5.5))
    opt = torch.optim.AdamW(model.parameters(), lr=5e-3, betas=(0.9, 0.99), eps=1e-5, weight_decay=0.1)
    steps_per_epoch = (len(tr) + 63) // 64
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch, pct_start=0.25,
                                                div_factor=25.0, final_div_factor=1e5,
                                                base_momentum=0.85, max_momentum=0.95)
    mses, seconds = [], []
    for _ in range(args.epochs):
        start = time.perf_counter()
        model.train()
        perm = torch.randperm(len(tr))
        for b in range(0, len(tr), 64):
            idx = perm[b:b + 64]
            loss = nn.functional.mse_loss(model(tu[idx], ti[idx]), tr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
        seconds.append(time.perf_counter() - start)
        model.eval()
        with torch.no_grad():
            mses.append(nn.functional.mse_loss(model(vu, vi), vr).item())
    return mses, seconds


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--folds", default="u1,u2,u3,u4,u5")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    last, best, per_epoch = [], [], []
    print("fold  last_valid_mse  best_valid_mse  best_epoch  s/epoch")
    for name in args.folds.split(","):
        mses, seconds = fold(args.dir, name, args)
        b = min(range(len(mses)), key=mses.__getitem__)
        last.append(mses[-1])
        best.append(mses[b])
        per_epoch.append(statistics.mean(seconds))
        print(f"{name:4}  {mses[-1]:14.4f}  {mses[b]:14.4f}  {b + 1:10d}  {statistics.mean(seconds):7.2f}")
    sd = (lambda xs: statistics.stdev(xs) if len(xs) > 1 else 0.0)
    print(f"mean  {statistics.mean(last):14.4f}  {statistics.mean(best):14.4f}  {'':10}  {statistics.mean(per_epoch):7.2f}")
    print(f"sd    {sd(last):14.4f}  {sd(best):14.4f}  {'':10}  {sd(per_epoch):7.2f}")


if __name__ == "__main__":
    main()
