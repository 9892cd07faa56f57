"""PyTorch-free peer for `ganflow bench --suite transport`: POT on the same points, timed.

Reads two point clouds from CSV files (written by ganflow), then times
  - ot.emd2 (exact W1, Euclidean cost, network simplex) and
  - ot.sinkhorn2 (log-domain Sinkhorn, squared Euclidean cost, given reg and stopping threshold),
each including the cost-matrix construction, and prints key=value lines.
"""
import argparse
import sys
import time

import numpy as np
import ot


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--exact-x", required=True)
    p.add_argument("--exact-y", required=True)
    p.add_argument("--sinkhorn-x", required=True)
    p.add_argument("--sinkhorn-y", required=True)
    p.add_argument("--reg", type=float, required=True)
    p.add_argument("--tol", type=float, required=True)
    a = p.parse_args()
    x, y = np.loadtxt(a.exact_x, delimiter=","), np.loadtxt(a.exact_y, delimiter=",")
    t = time.perf_counter()
    n = len(x)
    w = np.full(n, 1.0 / n)
    w1 = ot.emd2(w, w, ot.dist(x, y, metric="euclidean"), numItermax=10**8)
    print("exact_seconds=%.4f" % (time.perf_counter() - t))
    print("exact_w1=%.10f" % w1)
    x, y = np.loadtxt(a.sinkhorn_x, delimiter=","), np.loadtxt(a.sinkhorn_y, delimiter=",")
    t = time.perf_counter()
    n = len(x)
    w = np.full(n, 1.0 / n)
    m = ot.dist(x, y, metric="sqeuclidean")
    plan, log = ot.sinkhorn(w, w, m, a.reg, method="sinkhorn_log", numItermax=100000, stopThr=a.tol, log=True)
    cost = float((plan * m).sum())
    print("sinkhorn_seconds=%.4f" % (time.perf_counter() - t))
    print("sinkhorn_cost=%.10f" % cost)
    print("sinkhorn_iterations=%d" % log["niter"])
    print("pot_version=%s" % ot.__version__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
