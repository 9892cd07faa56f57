"""PyTorch reference for `ganflow bench`: the WGAN-GP toy step, timed.

Same model and step as ganflow's benchmark: generator 2 -> 512x3 -> 2, critic 2 -> 512x3 -> 1, ReLU,
batch 256, 5 critic steps per generator step, gradient penalty lambda 0.1 at interpolates with one alpha
per sample, Adam lr 1e-4, betas (0.5, 0.9). The gradients are taken with torch.autograd.grad with respect
to the parameters being updated, as ganflow does: the critic update differentiates only the critic's
parameters, the generator update only the generator's, so both sides multiply the same matrices.

Prints key=value lines: the BLAS in use (library, version, OpenBLAS kernel, threads), the rate of a
256x512x512 float32 product (sgemm_gflops by the wall clock,
sgemm_cpu_gflops by CPU time), and the milliseconds per generator iteration, wall-clock
(ms_per_iter) and CPU time of the process (cpu_ms_per_iter). With --probe, only the BLAS facts. Run it with
one thread: torch.set_num_threads(1) here, OPENBLAS_NUM_THREADS=1 in the environment (ganflow bench sets it).

With --precision bf16 it times the same step a second time with its forward passes and penalty under
torch.autocast("cpu", dtype=torch.bfloat16) (fresh models, the optimiser steps outside autocast, in float32)
and prints the rate of a 256x512x512 bfloat16 product and the bf16_ keys of the step.

With --device cuda the models, batches and noise live on the GPU (autocast "cuda" for bf16), and the timed
loop ends with torch.cuda.synchronize(); the BLAS facts and product rates are still the host's.
"""
import argparse
import contextlib
import sys
import time

import torch

import blasprobe


def mlp(inp, width, depth, out):
    layers, prev = [], inp
    for _ in range(depth):
        layers += [torch.nn.Linear(prev, width), torch.nn.ReLU()]
        prev = width
    layers.append(torch.nn.Linear(prev, out))
    return torch.nn.Sequential(*layers)


def step(opt, loss, params):
    grads = torch.autograd.grad(loss, params)
    for p, g in zip(params, grads):
        p.grad = g
    opt.step()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--iters", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5, help="untimed iterations first")
    p.add_argument("--warmup-seconds", type=float, default=3.0, help="and at least this long")
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                   help="bf16: also time the step under torch.autocast with bfloat16")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--probe", action="store_true", help="print the BLAS facts only")
    a = p.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        print("error=this torch sees no CUDA device")
        return 2
    blas = blasprobe.print_torch_facts(torch, a.threads)
    if a.probe:
        return 0
    blasprobe.print_torch_product_rate(torch, blas, torch.float32, "s")

    ms, cpu_ms = time_step(a, contextlib.nullcontext)
    print("ms_per_iter=%.3f" % ms)
    print("cpu_ms_per_iter=%.3f" % cpu_ms)
    if a.precision == "bf16":
        blasprobe.print_torch_product_rate(torch, blas, torch.bfloat16, "bf16_")
        sys.stdout.flush()
        ms, cpu_ms = time_step(a, lambda: torch.autocast(a.device, dtype=torch.bfloat16))
        print("bf16_ms_per_iter=%.3f" % ms)
        print("bf16_cpu_ms_per_iter=%.3f" % cpu_ms)
    return 0


def time_step(a, precision):
    """Warms up and times the step; the losses and penalty are computed inside precision()."""
    torch.manual_seed(0)
    dev = torch.device(a.device)
    g, d = mlp(2, a.width, a.depth, 2).to(dev), mlp(2, a.width, a.depth, 1).to(dev)
    g_params, d_params = list(g.parameters()), list(d.parameters())
    opt_g = torch.optim.Adam(g_params, lr=1e-4, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(d_params, lr=1e-4, betas=(0.5, 0.9))
    centers = torch.tensor([[2 * torch.cos(torch.tensor(2 * 3.141592653589793 * k / 8)).item(),
                             2 * torch.sin(torch.tensor(2 * 3.141592653589793 * k / 8)).item()] for k in range(8)], device=dev)

    def data(n):
        return centers[torch.randint(8, (n,), device=dev)] + 0.02 * torch.randn(n, 2, device=dev)

    b = a.batch

    def iteration():
        for _ in range(5):
            real = data(b)
            with precision():
                with torch.no_grad():
                    fake = g(torch.randn(b, 2, device=dev)).float()
                alpha = torch.rand(b, 1, device=dev)
                xhat = (fake + alpha * (real - fake)).requires_grad_(True)
                out = d(xhat)
                grad, = torch.autograd.grad(out, xhat, torch.ones_like(out), create_graph=True)
                gp = 0.1 * ((grad.float().norm(2, dim=1) - 1) ** 2).mean()
                loss = d(fake).float().mean() - d(real).float().mean() + gp
            step(opt_d, loss, d_params)
        with precision():
            loss_g = -d(g(torch.randn(b, 2, device=dev))).float().mean()
        step(opt_g, loss_g, g_params)

    warm_start, done = time.perf_counter(), 0
    while done < a.warmup or time.perf_counter() - warm_start < a.warmup_seconds:
        iteration()
        done += 1
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    sync()
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(a.iters):
        iteration()
    sync()
    ms = (time.perf_counter() - start) * 1000 / a.iters
    cpu_ms = (time.process_time() - cpu_start) * 1000 / a.iters
    return ms, cpu_ms

if __name__ == "__main__":
    sys.exit(main())
