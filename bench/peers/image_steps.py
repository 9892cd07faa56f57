"""PyTorch reference for `ganflow bench --suite dcgan | conv-gp | unet | ddpm | sample`: an image preset's step.

The nets are ganflow's, rebuilt layer for layer by torchnets.py (the module tools/torch_load.py loads ganflow's
exports into), on Fashion-MNIST-shaped images 1 x 28 x 28, batch 64:

  dcgan    fmnist-dcgan: DCGAN G (z 100 -> Linear 6272 -> BN -> ConvT 128->64 -> BN -> ConvT 64->1, tanh) and D
           (Conv 1->64, LeakyReLU, Conv 64->128, BN, LeakyReLU, Linear 6272->1), batch norm in both; the
           non-saturating loss (softplus), one critic update and one generator update per iteration, Adam 2e-4
           (0.5, 0.999).
  conv-gp  fmnist-wgan-gp: the same nets with layer norm (GroupNorm(1, c)) in D instead of batch norm; the
           Wasserstein loss with the gradient penalty lambda 10 at interpolates (one alpha per image), whose
           gradient runs a double backward through the convolutions; 5 critic updates and one generator update
           per iteration, Adam 1e-4 (0.5, 0.9).
  unet     fmnist-rf: the U-Net velocity net (base width 32, time embedding 16); the rectified-flow loss
           0.5 * mean_i |v(x_t, t) - (x1 - x0)|^2, x0 ~ N(0, I), one t ~ U[0, 1] per image; Adam 2e-4 (0.9, 0.999).
  ddpm     the same U-Net as DDPM's noise predictor (fmnist-rf's net with method ddpm): linear beta 1e-4 -> 0.02
           over T = 1000 steps, one t ~ U{1..T} per image, x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, the
           simple loss mean_i |eps_theta(x_t, t/T) - eps|^2; Adam 2e-4 (0.9, 0.999).
  sample   no training: EDM's Heun sampler (Karras et al. 2022, algorithm 1; 18 steps on the rho = 7 schedule from
           sigma 80 to 0.002, then 0: 35 evaluations) drawing 500 images from the same U-Net as EDM's preconditioned
           denoiser D = c_skip x + c_out F(c_in x, c_noise), sigma_data 0.5, c_noise = ln(sigma) / 4, no gradients.

As ganflow does, each update differentiates only the parameters it changes (torch.autograd.grad), and the data
are drawn from a fixed set of images (timing does not depend on the pixels). Prints key=value lines: the BLAS in
use, the sgemm rate, the nets' parameter counts (params_g, params_d or params_v), and ms_per_iter /
cpu_ms_per_iter. With --probe only the BLAS facts; with --count-flops the FLOPs of one iteration as the
convolution and matrix-product kernels autograd dispatches (counted from their shapes, no timing).
"""
import argparse
import contextlib
import sys
import time

import torch
import torch.nn.functional as F

import blasprobe
import torchnets

BATCH = 64
SHAPE = (1, 28, 28)


def dcgan_meta(role, norm):
    return {"channels": "1", "halvings": "2", "width": "64", "base_h": "7", "base_w": "7", "batch_norm_eps": "1e-5",
            "batch_norm_momentum": "0.1", "z_dim": "100", "role": role, "norm": norm, "leaky_relu_slope": "0.2"}


def set_grads(opt, loss, params):
    for p, g in zip(params, torch.autograd.grad(loss, params)):
        p.grad = g
    opt.step()


def build(suite, batch, precision=contextlib.nullcontext):
    """(iteration function, {name: module}) for a suite; forward passes and losses run inside precision()."""
    images = torch.rand(2048, *SHAPE) * 2 - 1

    def data(n):
        return images[torch.randint(images.shape[0], (n,))]

    if suite == "sample":
        v = torchnets.UNet(1, 32, 16)
        v.eval()
        n, steps, sd, rho = 500, 18, 0.5, 7.0
        hi, lo = 80.0 ** (1 / rho), 0.002 ** (1 / rho)
        sigmas = [(hi + i / (steps - 1) * (lo - hi)) ** rho for i in range(steps)] + [0.0]

        def denoise(x, s):
            c_in, c_skip = 1 / (s * s + sd * sd) ** 0.5, sd * sd / (s * s + sd * sd)
            c_out = s * sd / (s * s + sd * sd) ** 0.5
            f = v(x * c_in, torch.full((x.shape[0], 1), 0.25 * torch.log(torch.tensor(s)).item()))
            return c_skip * x + c_out * f.float()

        def iteration():
            with torch.no_grad(), precision():
                x = torch.randn(n, *SHAPE) * sigmas[0]
                for i in range(steps):
                    s, nxt = sigmas[i], sigmas[i + 1]
                    d = (x - denoise(x, s)) / s
                    y = x + (nxt - s) * d
                    if nxt > 0:
                        y = x + (nxt - s) * 0.5 * (d + (y - denoise(y, nxt)) / nxt)
                    x = y
        return iteration, {"v": v}

    if suite == "ddpm":
        v = torchnets.UNet(1, 32, 16)
        params = list(v.parameters())
        opt = torch.optim.Adam(params, lr=2e-4, betas=(0.9, 0.999))
        steps = 1000
        abar = torch.cumprod(1 - torch.linspace(1e-4, 0.02, steps, dtype=torch.float64), 0)
        root_a, root_b = abar.sqrt().float(), (1 - abar).sqrt().float()

        def iteration():
            x0 = data(batch)
            t = torch.randint(steps, (batch,))
            eps = torch.randn(batch, *SHAPE)
            xt = root_a[t].reshape(batch, 1, 1, 1) * x0 + root_b[t].reshape(batch, 1, 1, 1) * eps
            with precision():
                r = v(xt, ((t + 1).float() / steps).reshape(batch, 1)).float() - eps
                loss = r.square().flatten(1).sum(1).mean()
            set_grads(opt, loss, params)
        return iteration, {"v": v}

    if suite == "unet":
        v = torchnets.UNet(1, 32, 16)
        params = list(v.parameters())
        opt = torch.optim.Adam(params, lr=2e-4, betas=(0.9, 0.999))

        def iteration():
            x0, x1 = torch.randn(batch, *SHAPE), data(batch)
            t = torch.rand(batch, 1)
            xt = x0 + t.reshape(batch, 1, 1, 1) * (x1 - x0)
            with precision():
                r = v(xt, t).float() - (x1 - x0)
                loss = 0.5 * r.square().flatten(1).sum(1).mean()
            set_grads(opt, loss, params)
        return iteration, {"v": v}

    gp = suite == "conv-gp"
    g = torchnets.build_dcgan(dcgan_meta("g", "batch"))
    d = torchnets.build_dcgan(dcgan_meta("d", "layer" if gp else "batch"))
    g.train()
    d.train()
    g_params, d_params = list(g.parameters()), list(d.parameters())
    lr, betas = (1e-4, (0.5, 0.9)) if gp else (2e-4, (0.5, 0.999))
    opt_g = torch.optim.Adam(g_params, lr=lr, betas=betas)
    opt_d = torch.optim.Adam(d_params, lr=lr, betas=betas)
    n_critic = 5 if gp else 1

    def iteration():
        for _ in range(n_critic):
            real = data(batch)
            with precision():
                with torch.no_grad():
                    fake = g(torch.randn(batch, 100)).float()
                real_out, fake_out = d(real).float(), d(fake).float()
                if gp:
                    loss = fake_out.mean() - real_out.mean()
                    alpha = torch.rand(batch, 1).reshape(batch, 1, 1, 1)
                    xhat = (fake + alpha * (real - fake)).requires_grad_(True)
                    out = d(xhat)
                    grad, = torch.autograd.grad(out, xhat, torch.ones_like(out), create_graph=True)
                    loss = loss + 10 * ((grad.float().flatten(1).norm(2, dim=1) - 1) ** 2).mean()
                else:
                    loss = F.softplus(-real_out).mean() + F.softplus(fake_out).mean()
            set_grads(opt_d, loss, d_params)
        with precision():
            out = d(g(torch.randn(batch, 100))).float()
            loss_g = -out.mean() if gp else F.softplus(-out).mean()
        set_grads(opt_g, loss_g, g_params)
    return iteration, {"g": g, "d": d}


def conv_flops(out_shape, in_channels, weight, transposed, in_shape):
    """2 * multiply-adds of a convolution: per output position of a conv, per input position of a transposed one."""
    k = weight[2] * weight[3]
    if transposed:  # weight (Cin, Cout/groups, kh, kw): every input pixel meets every kernel entry
        return 2 * in_shape[0] * in_shape[1] * in_shape[2] * in_shape[3] * weight[1] * k
    return 2 * out_shape[0] * out_shape[1] * out_shape[2] * out_shape[3] * weight[1] * k


def count_flops(iteration):
    """FLOPs of one iteration: convolutions (forward, and each part convolution_backward computes) and matrix
    products, read from the shapes of the aten kernels dispatched, so nothing here knows the nets' layout."""
    from torch.utils._python_dispatch import TorchDispatchMode
    aten = torch.ops.aten
    seen = {}

    class Counter(TorchDispatchMode):
        total = 0

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            out = func(*args, **kwargs)
            name = str(func.overloadpacket.__name__)
            flops = 0
            if func.overloadpacket in (aten.mm, aten.addmm):
                a, b = (args[0], args[1]) if func.overloadpacket is aten.mm else (args[1], args[2])
                flops = 2 * a.shape[0] * a.shape[1] * b.shape[1]
            elif func.overloadpacket is aten.bmm:
                a, b = args[0], args[1]
                flops = 2 * a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2]
            elif func.overloadpacket in (aten.convolution, aten._convolution):
                x, w, transposed = args[0], args[1], args[6]
                flops = conv_flops(out.shape, x.shape[1], w.shape, transposed, x.shape)
            elif func.overloadpacket is aten.convolution_backward:
                grad_out, x, w = args[0], args[1], args[2]
                transposed, mask = args[7], args[10]
                one = conv_flops(grad_out.shape, x.shape[1], w.shape, transposed, x.shape)
                flops = one * (int(bool(mask[0])) + int(bool(mask[1])))
            elif name in ("matmul", "linear", "conv2d", "conv_transpose2d"):
                raise RuntimeError("composite %s reached the counter" % name)
            if flops:
                seen[name] = seen.get(name, 0) + flops
                Counter.total += flops
            return out

    with Counter():
        iteration()
    return Counter.total, seen


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--suite", choices=["dcgan", "conv-gp", "unet", "ddpm", "sample"], help="required unless --probe")
    p.add_argument("--iters", type=int, default=20)
    p.add_argument("--warmup", type=int, default=5, help="untimed iterations first")
    p.add_argument("--warmup-seconds", type=float, default=3.0, help="and at least this long")
    p.add_argument("--batch", type=int, default=BATCH)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--probe", action="store_true", help="print the BLAS facts only")
    p.add_argument("--count-flops", action="store_true", help="count one iteration's FLOPs, no timing")
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                   help="bf16: also time the step with its forward passes under torch.autocast with bfloat16")
    a = p.parse_args()
    if a.suite is None and not a.probe:
        p.error("--suite is required")
    blas = blasprobe.print_torch_facts(torch, a.threads)
    if a.probe:
        return 0
    torch.manual_seed(0)
    iteration, nets = build(a.suite, a.batch)
    for name, net in nets.items():
        print("params_%s=%d" % (name, sum(q.numel() for q in net.parameters())))
    if a.count_flops:
        iteration()  # Adam's state exists from here on, as in a timed iteration
        total, parts = count_flops(iteration)
        print("counted_flops=%d" % total)
        for k, v in sorted(parts.items()):
            print("counted_flops_%s=%d" % (k, v))
        return 0
    blasprobe.print_torch_product_rate(torch, blas, torch.float32, "s")
    sys.stdout.flush()
    ms, cpu_ms = time_iterations(a, iteration)
    print("ms_per_iter=%.3f" % ms)
    print("cpu_ms_per_iter=%.3f" % cpu_ms)
    if a.precision == "bf16":
        blasprobe.print_torch_product_rate(torch, blas, torch.bfloat16, "bf16_")
        sys.stdout.flush()
        torch.manual_seed(0)
        iteration, _ = build(a.suite, a.batch, lambda: torch.autocast("cpu", dtype=torch.bfloat16))
        ms, cpu_ms = time_iterations(a, iteration)
        print("bf16_ms_per_iter=%.3f" % ms)
        print("bf16_cpu_ms_per_iter=%.3f" % cpu_ms)
    return 0


def time_iterations(a, iteration):
    """Warms up (at least --warmup iterations and --warmup-seconds), then (ms, CPU ms) per timed iteration."""
    warm_start, done = time.perf_counter(), 0
    while done < a.warmup or time.perf_counter() - warm_start < a.warmup_seconds:
        iteration()
        done += 1
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(a.iters):
        iteration()
    return (time.perf_counter() - start) * 1000 / a.iters, (time.process_time() - cpu_start) * 1000 / a.iters


if __name__ == "__main__":
    sys.exit(main())
