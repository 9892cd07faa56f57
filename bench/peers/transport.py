"""PyTorch-free peer for `ganflow bench --suite transport`: POT on the same points, timed.

Reads two point clouds from CSV files (written by ganflow), then times
  - ot.emd2 (exact W1, Euclidean cost, network simplex) and
  - ot.sinkhorn2 (log-domain Sinkhorn, squared Euclidean cost, given reg and stopping threshold),
each including the cost-matrix construction, and prints key=value lines, first the BLAS numpy computes with
(library, version, OpenBLAS kernel, threads) and the rate of a 256x512x512 float32 product. With --probe,
only the BLAS facts.
"""
import argparse
import sys
import time

import numpy as np

import blasprobe


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--exact-x")
    p.add_argument("--exact-y")
    p.add_argument("--sinkhorn-x")
    p.add_argument("--sinkhorn-y")
    p.add_argument("--reg", type=float)
    p.add_argument("--tol", type=float)
    p.add_argument("--probe", action="store_true", help="print the BLAS facts only")
    a = p.parse_args()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 512), dtype=np.float32)
    w = rng.standard_normal((512, 512), dtype=np.float32)
    out = np.empty((256, 512), dtype=np.float32)
    np.matmul(x, w, out=out)  # numpy loads and initialises its BLAS
    print("numpy_version=%s" % np.__version__)
    blas = blasprobe.describe()
    for k, v in blas.items():
        print("%s=%s" % (k, v))
    sys.stdout.flush()
    if a.probe:
        return 0
    wall, cpu = blasprobe.median_rate(lambda: np.matmul(x, w, out=out), blasprobe.SGEMM_FLOPS,
                                      blas["blas_threads"] == "1")
    print("sgemm_gflops=%.2f" % wall)
    print("sgemm_cpu_gflops=%.2f" % cpu)
    sys.stdout.flush()
    import ot  # pylint: disable=import-outside-toplevel (after the probe, which needs numpy only)
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
