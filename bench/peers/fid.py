"""PyTorch peer for `ganflow bench --suite fid`: the same classifier forward pass and FID, timed.

Rebuilds ganflow's domain classifier (conv3x3 -> [batch norm] -> ReLU -> max pool, twice, then the 128-d linear
layer whose outputs divided by the stored feature_scale are the features, in eval() mode) from its safetensors file, reads the same two image sets (.npy, float32
(n, 1, 28, 28) in [-1, 1]) written by ganflow, and times
  - the features of both sets, batches of 500, torch.no_grad(), torch.set_num_threads(T);
  - the FID: numpy.cov of both feature sets (float64) and scipy.linalg.sqrtm(S1 @ S2).
Prints key=value lines; with --check-features, the largest difference from ganflow's features of the first set.
"""
import argparse
import json
import struct
import sys
import time

import numpy as np
import scipy
import scipy.linalg
import torch
from torch import nn


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise SystemExit("%s: tensor %s is %s, expected F32" % (path, name, info["dtype"]))
        a, b = info["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(raw[base + a:base + b], dtype="<f4").copy()
                                         .reshape(info["shape"]))
    return tensors, meta


class Classifier(nn.Module):
    def __init__(self, channels, height, width, classes, c1, c2, hidden, batch_norm):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, c1, 3, padding=1, bias=not batch_norm)
        self.bn1 = nn.BatchNorm2d(c1) if batch_norm else nn.Identity()
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1, bias=not batch_norm)
        self.bn2 = nn.BatchNorm2d(c2) if batch_norm else nn.Identity()
        self.fc1 = nn.Linear(c2 * (height // 4) * (width // 4), hidden)
        self.fc2 = nn.Linear(hidden, classes)
        self.register_buffer("feature_scale", torch.ones(1))

    def features(self, x):
        h = torch.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)
        h = torch.max_pool2d(torch.relu(self.bn2(self.conv2(h))), 2)
        return self.fc1(h.flatten(1)) / self.feature_scale


def features(net, x, batch=500):
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            out.append(net.features(x[i:i + batch]))
    return torch.cat(out).numpy()


def fid(f1, f2):
    f1 = f1.astype(np.float64)
    f2 = f2.astype(np.float64)
    m1, m2 = f1.mean(0), f2.mean(0)
    s1, s2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
    root, _ = scipy.linalg.sqrtm(s1 @ s2, disp=False)
    return float(((m1 - m2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(root.real))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--weights", required=True)
    p.add_argument("--real", required=True)
    p.add_argument("--fake", required=True)
    p.add_argument("--check-features")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    tensors, meta = read_safetensors(a.weights)
    batch_norm = meta.get("batch_norm", "false") == "true"
    net = Classifier(*(int(meta[k]) for k in ("channels", "height", "width", "classes", "conv1", "conv2", "hidden")),
                     batch_norm)
    for bn in ("bn1", "bn2") if batch_norm else ():
        tensors[bn + ".num_batches_tracked"] = torch.tensor(0)  # ganflow does not count batches; eval() ignores it
    net.load_state_dict(tensors, strict=True)
    net.eval()
    x1 = torch.from_numpy(np.load(a.real))
    x2 = torch.from_numpy(np.load(a.fake))
    features(net, x1[:500])  # warm-up, as ganflow does
    t = time.perf_counter()
    f1 = features(net, x1)
    f2 = features(net, x2)
    print("features_seconds=%.4f" % (time.perf_counter() - t))
    t = time.perf_counter()
    value = fid(f1, f2)
    print("fid_seconds=%.4f" % (time.perf_counter() - t))
    print("fid=%.6f" % value)
    if a.check_features:
        print("max_feature_difference=%.3g" % float(np.abs(np.load(a.check_features) - f1).max()))
    print("torch_version=%s" % torch.__version__)
    print("scipy_version=%s" % scipy.__version__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
