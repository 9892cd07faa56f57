"""Rebuild a ganflow network in PyTorch from a safetensors export and check its outputs against ganflow's.

Usage (standard library and torch only; on the reference machine Debian's /usr/bin/python3 has torch):
    /usr/bin/python3 tools/torch_load.py MODEL.safetensors [--input IN] [--expected OUT] [--save FILE] [--tol 1e-5]

MODEL.safetensors is written by io.ganflow.io.WeightsExport.save. Its __metadata__ says what to build:
  kind=mlp       nn.Sequential(Linear(in, width), act, Linear(width, width), act, ..., Linear(width, out)) with
                 `depth` hidden layers: hidden Linear i at index 2i, its activation at 2i+1, the output Linear
                 at 2*depth (state_dict names 0.weight, 0.bias, 2.weight, ...). Spectrally normalised layers
                 were exported with their normalised weight, so plain Linear layers reproduce them.
  kind=velocity  a module with `mlp` (the MLP above on [x, e(t)], in = dim + embed_dim, out = dim) and `time`
                 holding the buffer `freqs` (1, embed_dim/2); e(t) = [sin(t @ freqs), cos(t @ freqs)] for a
                 column t (n, 1). The module's input is [x, t] (n, dim + 1) with t in the last column.
                 With batch_norm=true each hidden Linear i sits at 3i, its BatchNorm1d at 3i+1 and its activation
                 at 3i+2; the output Linear at 3*depth.
  kind=dcgan     role=g: nn.Sequential(Linear(z_dim, c*base_h*base_w, bias=False), Unflatten(1, (c, base_h, base_w)),
                 BatchNorm2d(c), ReLU, [ConvTranspose2d(c, c/2, 4, 2, 1, bias=False), BatchNorm2d(c/2), ReLU] for
                 halvings-1 blocks, ConvTranspose2d(width, channels, 4, 2, 1), Tanh) with c = width*2^(halvings-1).
                 role=d: nn.Sequential(Conv2d(channels, width, 4, 2, 1), LeakyReLU(0.2), [Conv2d(c, 2c, 4, 2, 1,
                 bias=norm != batch), BatchNorm2d(2c) | GroupNorm(1, 2c) | nothing, LeakyReLU(0.2)] for halvings-1
                 blocks, Flatten, Linear(c*base_h*base_w, 1)), c doubling from width. Inputs are latents (n, z_dim)
                 or images (n, channels, height, image_width); the model runs in eval() mode (running statistics).
  kind=unet      bench/peers/torchnets.py's UNet (channels, height, image_width, width, embed_dim), its parts named as
                 ganflow's (time1, time2, in, down0, pool, down1, mid, up1, upconv, up0, outnorm, out, the buffer
                 freqs); the input is [x flattened, t], the output flattened.
  condition      a conditional generator around one of the nets above (its state_dict names under net.): the
                 input is [z, y] with the class y in the last column; condition=onehot feeds net [z, one_hot(y)],
                 condition=embedding net [z, label.embedding[y]] (label_dim columns), condition=batchnorm scales
                 and shifts the output h of the i-th BatchNorm2d of a dcgan generator: h * (1 + cbn<i>.gain[y]) +
                 cbn<i>.shift[y]; classes gives the number of classes. condition=time_embedding is a velocity,
                 epsilon or score net (kind velocity or unet under net.) on [x, t, y]: its time embedding plus
                 label.embedding[y], a table of classes + 1 rows whose last row (y = classes) is the null class.
  activation     relu, leaky_relu (slope leaky_relu_slope), tanh, silu, elu, softplus, gelu (exact erf form)
                 or none; dtype F32 or F64.
The weights are loaded with load_state_dict(strict=True): a missing or unexpected name fails.

IN holds the network input as a tensor named "input" (or the file's only tensor); OUT the expected output
(tensor "output" or the only one); if OUT also holds tensors prior and sample (`ganflow export --samples N` on a
flow), the flow's ODE is integrated again from prior with the solver, steps, classes and guidance of OUT's metadata
and compared with sample (tolerance 10 x --tol). Either may instead be a .csv file of comma-separated rows (lines that do
not parse as numbers, such as a header, are skipped). --save writes PyTorch's output as tensor "output" of a
safetensors file. The script prints the maximum absolute error against OUT and exits 0 if it is <= --tol,
1 if not, 2 on bad input.

The fixtures of io.ganflow.io.WeightsExportTest (mlp, velocity), ConvExportTest (dcgan_g, dcgan_d, dcgan_d_layer,
mlp_bn) and ConditionalExportTest (cond_mlp_onehot, cond_mlp_embedding, cond_dcgan_cbn, unet, cond_velocity,
cond_unet) were made with this script. To regenerate them, run the tests (each
writes its export, input and ganflow output under core/target/weights-fixtures/), copy those files into
core/src/test/resources/fixtures/safetensors/torch/ and, from the repository root:
    D=core/src/test/resources/fixtures/safetensors/torch
    for m in mlp velocity dcgan_g dcgan_d dcgan_d_layer mlp_bn cond_mlp_onehot cond_mlp_embedding cond_dcgan_cbn \
             unet cond_velocity cond_unet; do
      /usr/bin/python3 tools/torch_load.py $D/$m.safetensors --input $D/${m}_input.safetensors \
          --expected $D/${m}_ganflow_output.safetensors --save $D/${m}_torch_output.safetensors \
          | tee $D/${m}_torch_load.txt
    done
"""
import argparse
import json
import math
import os
import struct
import sys

import torch

# the network definitions live with the bench's peers, which train the same nets
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "peers"))
from torchnets import BadInput, UNet, VelocityNet, build_dcgan, build_mlp  # noqa: E402

DTYPES = {"F64": (8, torch.float64), "F32": (4, torch.float32), "F16": (2, torch.float16),
          "BF16": (2, torch.bfloat16), "I64": (8, torch.int64), "I32": (4, torch.int32),
          "I16": (2, torch.int16), "I8": (1, torch.int8), "U8": (1, torch.uint8), "BOOL": (1, torch.bool)}


def read_safetensors(path):
    """({name: tensor}, metadata) of a safetensors file, checking its layout."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise BadInput("%s: too short for a safetensors file" % path)
    (n,) = struct.unpack("<Q", blob[:8])
    if n > 100_000_000 or 8 + n > len(blob):
        raise BadInput("%s: bad header length %d" % (path, n))
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    spans = []
    for name, info in header.items():
        if info["dtype"] not in DTYPES:
            raise BadInput("%s: tensor %s has unsupported dtype %s" % (path, name, info["dtype"]))
        size, dtype = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        count = math.prod(info["shape"])
        if end - begin != count * size or end > len(data):
            raise BadInput("%s: tensor %s has bad data_offsets" % (path, name))
        spans.append((begin, end))
        chunk = bytearray(data[begin:end])
        flat = torch.frombuffer(chunk, dtype=dtype) if count else torch.zeros(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"]).clone()
    covered = 0
    for begin, end in sorted(spans):
        if begin != covered:
            raise BadInput("%s: tensors do not cover the data buffer contiguously" % path)
        covered = end
    if covered != len(data):
        raise BadInput("%s: data buffer not fully covered" % path)
    return tensors, metadata


def write_safetensors(path, name, tensor):
    """A safetensors file holding one float32 tensor."""
    t = tensor.detach().to(torch.float32).contiguous()
    data = t.numpy().tobytes()
    header = json.dumps({name: {"dtype": "F32", "shape": list(t.shape), "data_offsets": [0, len(data)]}},
                        separators=(",", ":")).encode("utf-8")
    header += b" " * (-len(header) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + data)


def load_matrix(path, preferred):
    """The tensor named `preferred` (or the only tensor) of a safetensors file, or the rows of a CSV file."""
    if path.endswith(".csv"):
        rows = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    rows.append([float(v) for v in line.strip().split(",")])
                except ValueError:
                    continue
        return torch.tensor(rows, dtype=torch.float64)
    tensors, _ = read_safetensors(path)
    if preferred in tensors:
        return tensors[preferred]
    if len(tensors) == 1:
        return next(iter(tensors.values()))
    raise BadInput("%s: no tensor named %s and more than one tensor" % (path, preferred))


class Conditional(torch.nn.Module):
    """A conditional generator: `net` takes the class y, the last column of the input [z, y], as ganflow's
    wrapper gives it: one-hot beside z (condition=onehot), a learned embedding beside z (embedding), or a gain and
    shift per class after each BatchNorm2d of a DCGAN generator (batchnorm)."""

    def __init__(self, net, meta):
        super().__init__()
        self.net = net
        self.condition = meta["condition"]
        self.classes = int(meta["classes"])
        self.current = None
        if self.condition in ("embedding", "time_embedding"):
            rows = self.classes + (1 if self.condition == "time_embedding" else 0)  # the null class's row
            self.label = torch.nn.Module()
            self.label.embedding = torch.nn.Parameter(torch.zeros(rows, int(meta["label_dim"])))
        elif self.condition == "batchnorm":
            norms = [m for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d)]
            for i, bn in enumerate(norms):
                cbn = torch.nn.Module()
                cbn.gain = torch.nn.Parameter(torch.zeros(self.classes, bn.num_features))
                cbn.shift = torch.nn.Parameter(torch.zeros(self.classes, bn.num_features))
                setattr(self, "cbn%d" % i, cbn)
                bn.register_forward_hook(self._modulate(cbn))
        elif self.condition != "onehot":
            raise BadInput("metadata condition=%r is not onehot, embedding, batchnorm or time_embedding"
                           % self.condition)

    def _modulate(self, cbn):
        def hook(module, inputs, h):
            y = self.current
            return h * (1 + cbn.gain[y][:, :, None, None]) + cbn.shift[y][:, :, None, None]
        return hook

    def forward(self, inp):
        z, y = inp[:, :-1], inp[:, -1].round().long()
        if self.condition == "time_embedding":
            # a velocity, epsilon or score net on [x, t, y]: the class's row (the null class at index classes)
            # added to the time embedding
            if y.numel() and (y.min() < 0 or y.max() > self.classes):
                raise BadInput("a class in the input's last column is outside 0 .. %d (%d: the null class)"
                               % (self.classes, self.classes))
            x, t = z[:, :-1], z[:, -1:]
            return self.net.field(x, self.net.embed(t) + self.label.embedding[y].to(x.dtype))
        if y.numel() and (y.min() < 0 or y.max() >= self.classes):
            raise BadInput("a class in the input's last column is outside 0 .. %d" % (self.classes - 1))
        if self.condition == "onehot":
            return self.net(torch.cat([z, torch.nn.functional.one_hot(y, self.classes).to(z.dtype)], 1))
        if self.condition == "embedding":
            return self.net(torch.cat([z, self.label.embedding[y].to(z.dtype)], 1))
        self.current = y
        try:
            return self.net(z)
        finally:
            self.current = None


class FlatUNet(UNet):
    """torchnets.UNet (its parts named as ganflow's) on ganflow's module input [x flattened, t], the output
    flattened."""

    def __init__(self, meta):
        shape = (int(meta["channels"]), int(meta["height"]), int(meta["image_width"]))
        super().__init__(shape[0], int(meta["width"]), int(meta["embed_dim"]))
        self.shape = shape

    def field(self, x, e):
        n = x.shape[0]
        return super().field(x.reshape((n,) + self.shape), e).reshape(n, -1)

    def forward(self, xt):
        return self.field(xt[:, :-1], self.embed(xt[:, -1:]))


def build(meta):
    if "condition" in meta:
        plain = dict(meta)
        del plain["condition"]
        model = Conditional(build(plain), meta)
        return model.double() if meta.get("dtype") == "F64" else model
    kind = meta.get("kind")
    if kind == "mlp":
        model = build_mlp(meta)
    elif kind == "velocity":
        model = VelocityNet(meta)
    elif kind == "dcgan":
        model = build_dcgan(meta)
    elif kind == "unet":
        model = FlatUNet(meta)
    else:
        raise BadInput("metadata kind=%r is not mlp, velocity, unet or dcgan" % kind)
    return model.double() if meta.get("dtype") == "F64" else model


def check_flow_samples(model, meta, path, dtype, tol):
    """If the samples file of a flow's velocity net holds prior draws (`ganflow export --samples N` on a flow from a
    Gaussian prior), integrate the flow's ODE from them with the file's solver, steps, classes and guidance,
    x_{i+1} = x_i + h * step(f, x_i, t_i) from t = 0 to 1, f the guided field (1 + w) v(x, t, y) - w v(x, t, null),
    and compare with ganflow's samples. True when there is nothing to check."""
    tensors, info = read_safetensors(path)
    if "prior" not in tensors or "sample" not in tensors:
        return True
    solver, steps = info["ganflow.solver"], int(info["ganflow.steps"])
    w, k = float(info["ganflow.guidance"]), int(info["ganflow.classes"])
    x = tensors["prior"].to(dtype)
    n = x.shape[0]
    y = tensors["classes"].to(dtype).reshape(n, 1) if k > 0 else None
    null = torch.full((n, 1), float(k), dtype=dtype)

    def field(x, t):
        tt = torch.full((n, 1), t, dtype=dtype)
        if y is None:
            return model(torch.cat([x, tt], 1))
        cond = model(torch.cat([x, tt, y], 1))
        return cond if w == 0 else (1 + w) * cond - w * model(torch.cat([x, tt, null], 1))

    h = 1.0 / steps
    with torch.no_grad():
        for i in range(steps):
            t = i * h
            if solver == "euler":
                x = x + h * field(x, t)
            elif solver == "heun":
                k1 = field(x, t)
                x = x + (h / 2) * (k1 + field(x + h * k1, t + h))
            elif solver == "rk4":
                k1 = field(x, t)
                k2 = field(x + (h / 2) * k1, t + h / 2)
                k3 = field(x + (h / 2) * k2, t + h / 2)
                k4 = field(x + h * k3, t + h)
                x = x + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
            else:
                raise BadInput("%s: ganflow.solver=%r is not euler, heun or rk4" % (path, solver))
    err = (x.to(torch.float64) - tensors["sample"].to(torch.float64)).abs().max().item()
    ok = err <= 10 * tol  # the net's rounding, carried through the steps
    print("flow samples: %d draws, %s in %d steps%s: max abs error %.3e (tolerance %.0e): %s"
          % (n, solver, steps, ", %d classes, guidance %g" % (k, w) if k else "", err, 10 * tol,
             "OK" if ok else "FAIL"))
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model")
    p.add_argument("--input", "--z", dest="input")
    p.add_argument("--expected")
    p.add_argument("--save")
    p.add_argument("--tol", type=float, default=1e-5)
    a = p.parse_args()
    try:
        state, meta = read_safetensors(a.model)
        model = build(meta)
        model.load_state_dict(state, strict=True)
        model.eval()
        summary = " ".join("%s=%s" % (k, meta[k]) for k in ("kind", "role", "in", "out", "width", "depth", "activation",
                                                            "batch_norm", "dim", "embedding", "embed_dim", "z_dim",
                                                            "channels", "height", "image_width", "norm", "dtype",
                                                            "condition", "classes", "label_dim")
                           if k in meta)
        print("model: %s" % summary)
        print("loaded %d tensors with strict=True: %s" % (len(state), ", ".join(state)))
        if a.input is None:
            return 0
        dtype = next(model.parameters()).dtype
        x = load_matrix(a.input, "input").to(dtype)
        with torch.no_grad():
            y = model(x)
        print("input %s -> output %s" % (tuple(x.shape), tuple(y.shape)))
        if a.save:
            write_safetensors(a.save, "output", y)
            print("saved PyTorch's output to %s" % a.save)
        if a.expected is None:
            return 0
        want = load_matrix(a.expected, "output").to(torch.float64)
        if "reshape" in meta and want.numel() == y.numel():
            y = y.reshape(want.shape)  # an MLP on images: flat rows, reshaped per sample as ganflow does
        if tuple(want.shape) != tuple(y.shape):
            raise BadInput("expected output has shape %s, PyTorch's has %s" % (tuple(want.shape), tuple(y.shape)))
        err = (y.to(torch.float64) - want).abs().max().item() if y.numel() else 0.0
        ok = err <= a.tol
        print("max abs error vs %s: %.3e (tolerance %.0e): %s" % (a.expected, err, a.tol, "OK" if ok else "FAIL"))
        if not a.expected.endswith(".csv"):
            flow_ok = check_flow_samples(model, meta, a.expected, dtype, a.tol)
            ok = ok and flow_ok
        return 0 if ok else 1
    except (BadInput, KeyError, ValueError, RuntimeError, OSError) as e:
        print("torch_load: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
