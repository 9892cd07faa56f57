"""ganflow's networks rebuilt in PyTorch, layer for layer: shared by tools/torch_load.py (which loads ganflow's
safetensors exports into them) and the image peers of `ganflow bench` (image_steps.py, which trains them).

The builders take the metadata of a ganflow export (a dict of strings): see tools/torch_load.py for the keys.
UNet mirrors io.ganflow.nn.UNet and TimeResBlock (same parts, same names, same order of operations).
"""
import math

import torch
from torch import nn


class BadInput(Exception):
    pass


def activation(meta):
    key = meta["activation"]
    table = {
        "relu": nn.ReLU,
        "leaky_relu": lambda: nn.LeakyReLU(float(meta.get("leaky_relu_slope", "0.2"))),
        "tanh": nn.Tanh,
        "silu": nn.SiLU,
        "elu": nn.ELU,
        "softplus": nn.Softplus,
        "gelu": nn.GELU,
        "none": nn.Identity,
    }
    if key not in table:
        raise BadInput("unknown activation %s" % key)
    return table[key]()


def build_mlp(meta):
    depth, width = int(meta["depth"]), int(meta["width"])
    bn = meta.get("batch_norm") == "true"
    layers = []
    prev = int(meta["in"])
    for _ in range(depth):
        layers.append(nn.Linear(prev, width))
        if bn:
            layers.append(nn.BatchNorm1d(width, eps=float(meta["batch_norm_eps"])))
        layers.append(activation(meta))
        prev = width
    layers.append(nn.Linear(prev, int(meta["out"])))
    return nn.Sequential(*layers)


def build_dcgan(meta):
    channels, k, width = int(meta["channels"]), int(meta["halvings"]), int(meta["width"])
    bh, bw = int(meta["base_h"]), int(meta["base_w"])
    eps, momentum = float(meta["batch_norm_eps"]), float(meta["batch_norm_momentum"])
    if meta.get("role") == "g":
        c = width * 2 ** (k - 1)
        layers = [nn.Linear(int(meta["z_dim"]), c * bh * bw, bias=False), nn.Unflatten(1, (c, bh, bw)),
                  nn.BatchNorm2d(c, eps=eps, momentum=momentum), nn.ReLU()]
        for _ in range(k - 1):
            layers += [nn.ConvTranspose2d(c, c // 2, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(c // 2, eps=eps, momentum=momentum), nn.ReLU()]
            c //= 2
        layers += [nn.ConvTranspose2d(c, channels, 4, 2, 1), nn.Tanh()]
        return nn.Sequential(*layers)
    if meta.get("role") == "d":
        slope = float(meta.get("leaky_relu_slope", "0.2"))
        norm = meta["norm"]
        if norm not in ("batch", "layer", "none"):
            raise BadInput("unknown critic norm %s" % norm)
        layers = [nn.Conv2d(channels, width, 4, 2, 1), nn.LeakyReLU(slope)]
        c = width
        for _ in range(k - 1):
            layers.append(nn.Conv2d(c, 2 * c, 4, 2, 1, bias=norm != "batch"))
            if norm == "batch":
                layers.append(nn.BatchNorm2d(2 * c, eps=eps, momentum=momentum))
            elif norm == "layer":
                layers.append(nn.GroupNorm(1, 2 * c, eps=eps))
            layers.append(nn.LeakyReLU(slope))
            c *= 2
        layers += [nn.Flatten(), nn.Linear(c * bh * bw, 1)]
        return nn.Sequential(*layers)
    raise BadInput("metadata role=%r is not g or d" % meta.get("role"))


class TimeEmbedding(nn.Module):
    def __init__(self, half):
        super().__init__()
        self.register_buffer("freqs", torch.zeros(1, half))

    def forward(self, t):
        a = t @ self.freqs
        return torch.cat([torch.sin(a), torch.cos(a)], 1)


class VelocityNet(nn.Module):
    def __init__(self, meta):
        super().__init__()
        self.dim = int(meta["dim"])
        self.mlp = build_mlp(meta)
        self.time = TimeEmbedding(int(meta["embed_dim"]) // 2)

    def embed(self, t):
        return self.time(t)

    def field(self, x, e):
        """The net given the time embedding e (a conditional net adds its class's row to it)."""
        return self.mlp(torch.cat([x, e], 1))

    def forward(self, xt):
        x, t = xt[:, :self.dim], xt[:, self.dim:self.dim + 1]
        return self.field(x, self.embed(t))


def groups_for(channels, most=8):
    """io.ganflow.nn.GroupNorm.groupsFor: the largest power of two <= most (and <= 32) dividing channels, else 1."""
    g = 32
    while g > 1:
        if g <= most and channels % g == 0:
            return g
        g //= 2
    return 1


class TimeResBlock(nn.Module):
    """h = conv1(SiLU(norm1(x))) + temb(SiLU(e)); h = conv2(SiLU(norm2(h))); h + shortcut(x)."""

    def __init__(self, cin, cout, embedding):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups_for(cin), cin, eps=1e-5)
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1)
        self.temb = nn.Linear(embedding, cout)
        self.norm2 = nn.GroupNorm(groups_for(cout), cout, eps=1e-5)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.shortcut = nn.Conv2d(cin, cout, 1, 1, 0) if cin != cout else None

    def forward(self, x, e):
        h = self.conv1(torch.nn.functional.silu(self.norm1(x)))
        h = h + self.temb(torch.nn.functional.silu(e)).unsqueeze(2).unsqueeze(3)
        h = self.conv2(torch.nn.functional.silu(self.norm2(h)))
        return h + (x if self.shortcut is None else self.shortcut(x))


class UNet(nn.Module):
    """io.ganflow.nn.UNet: v(x, t) for x (n, C, H, W) and t (n, 1); two resolution levels, base width w."""

    MAX_FREQUENCY = 1000.0

    def __init__(self, channels, width, embed_dim):
        super().__init__()
        half, t = embed_dim // 2, 4 * width
        f = [1.0 if half == 1 else self.MAX_FREQUENCY ** (k / (half - 1)) for k in range(half)]
        self.register_buffer("freqs", torch.tensor([f], dtype=torch.float32))
        self.time1 = nn.Linear(embed_dim, t)
        self.time2 = nn.Linear(t, t)
        self.add_module("in", nn.Conv2d(channels, width, 3, 1, 1))
        self.down0 = TimeResBlock(width, width, t)
        self.pool = nn.Conv2d(width, width, 3, 2, 1)
        self.down1 = TimeResBlock(width, 2 * width, t)
        self.mid = TimeResBlock(2 * width, 2 * width, t)
        self.up1 = TimeResBlock(4 * width, 2 * width, t)
        self.upconv = nn.Conv2d(2 * width, 2 * width, 3, 1, 1)
        self.up0 = TimeResBlock(3 * width, width, t)
        self.outnorm = nn.GroupNorm(groups_for(width), width, eps=1e-5)
        self.out = nn.Conv2d(width, channels, 3, 1, 1)

    def embed(self, t):
        a = t @ self.freqs
        e = torch.cat([torch.sin(a), torch.cos(a)], 1)
        return self.time2(torch.nn.functional.silu(self.time1(e)))

    def forward(self, x, t):
        return self.field(x, self.embed(t.reshape(x.shape[0], 1)))

    def field(self, x, e):
        """The net given the embedding e (n, 4w) that every block adds."""
        h = getattr(self, "in")(x)
        s0 = self.down0(h, e)
        s1 = self.down1(self.pool(s0), e)
        h = self.mid(s1, e)
        h = self.up1(torch.cat([h, s1], 1), e)
        h = self.upconv(torch.nn.functional.interpolate(h, scale_factor=2, mode="nearest"))
        h = self.up0(torch.cat([h, s0], 1), e)
        return self.out(torch.nn.functional.silu(self.outnorm(h)))
