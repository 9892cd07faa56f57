"""PyTorch reference for `ganflow bench`: the WGAN-GP toy step, timed.

Same model and step as ganflow's benchmark: generator 2 -> 512x3 -> 2, critic 2 -> 512x3 -> 1, ReLU,
batch 256, 5 critic steps per generator step, gradient penalty lambda 0.1 at interpolates with one alpha
per sample, Adam lr 1e-4, betas (0.5, 0.9). Prints one line: ms_per_iter=<milliseconds per generator
iteration>. Run it with one thread: torch.set_num_threads(1) here, OPENBLAS_NUM_THREADS=1 in the
environment (ganflow bench sets it).
"""
import argparse
import sys
import time

import torch


def mlp(inp, width, depth, out):
    layers, prev = [], inp
    for _ in range(depth):
        layers += [torch.nn.Linear(prev, width), torch.nn.ReLU()]
        prev = width
    layers.append(torch.nn.Linear(prev, out))
    return torch.nn.Sequential(*layers)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--iters", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    g, d = mlp(2, a.width, a.depth, 2), mlp(2, a.width, a.depth, 1)
    opt_g = torch.optim.Adam(g.parameters(), lr=1e-4, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(d.parameters(), lr=1e-4, betas=(0.5, 0.9))
    centers = torch.tensor([[2 * torch.cos(torch.tensor(2 * 3.141592653589793 * k / 8)).item(),
                             2 * torch.sin(torch.tensor(2 * 3.141592653589793 * k / 8)).item()] for k in range(8)])

    def data(n):
        return centers[torch.randint(8, (n,))] + 0.02 * torch.randn(n, 2)

    b = a.batch
    start = None
    for it in range(a.warmup + a.iters):
        if it == a.warmup:
            start = time.perf_counter()
        for _ in range(5):
            real = data(b)
            with torch.no_grad():
                fake = g(torch.randn(b, 2))
            alpha = torch.rand(b, 1)
            xhat = (fake + alpha * (real - fake)).requires_grad_(True)
            out = d(xhat)
            grad, = torch.autograd.grad(out, xhat, torch.ones_like(out), create_graph=True)
            gp = 0.1 * ((grad.norm(2, dim=1) - 1) ** 2).mean()
            loss = d(fake).mean() - d(real).mean() + gp
            opt_d.zero_grad(set_to_none=True)
            loss.backward()
            opt_d.step()
        loss_g = -d(g(torch.randn(b, 2))).mean()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
    ms = (time.perf_counter() - start) * 1000 / a.iters
    print("torch_version=%s threads=%d" % (torch.__version__, torch.get_num_threads()))
    print("ms_per_iter=%.3f" % ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
