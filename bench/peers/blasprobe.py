"""BLAS facts for the bench peers: which OpenBLAS this process computes with, its kernel and threads, and the
single-precision GEMM rate it reaches. Shared by wgan_gp_toy.py, image_steps.py and transport.py (ganflow copies it next to
them). Reads the OpenBLAS that is already loaded (found in /proc/self/maps), never loads another.
"""
import ctypes
import os
import statistics
import sys
import time


def mapped_openblas():
    """(path, handle) of each mapped OpenBLAS that answers openblas_get_corename, in load order."""
    seen, found = set(), []
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split(None, 5)
            if len(parts) < 6:
                continue
            path = parts[5].strip()
            if not path.startswith("/") or path in seen or "blas" not in os.path.basename(path).lower():
                continue
            seen.add(path)
            try:
                lib = ctypes.CDLL(path, mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
                lib.openblas_get_corename.restype = ctypes.c_char_p
            except (OSError, AttributeError):
                continue
            found.append((path, lib))
    # the same OpenBLAS can be mapped under two names (libblas.so.3 and libopenblas...); keep the one that
    # defines the kernel tables
    real = [(p, lib) for p, lib in found if "openblas" in os.path.basename(p).lower()]
    return real or found


def describe():
    """key=value facts about the OpenBLAS in use: blas_library, blas_version, kernel, blas_threads."""
    libs = mapped_openblas()
    if not libs:
        return {"blas_library": "unknown (no OpenBLAS mapped)", "blas_version": "unknown", "kernel": "unknown",
                "blas_threads": "unknown"}
    path, lib = libs[0]
    lib.openblas_get_config.restype = ctypes.c_char_p
    config = lib.openblas_get_config().decode()
    info = {
        "blas_library": os.path.basename(path),
        "blas_version": " ".join(config.split()[:2]),
        "kernel": lib.openblas_get_corename().decode(),
        "blas_threads": str(lib.openblas_get_num_threads()),
    }
    if len(libs) > 1:
        info["blas_other"] = ",".join(os.path.basename(p) for p, _ in libs[1:])
    return info


def median_rate(run, flops, single_thread, blocks=5, block_seconds=0.15):
    """GFLOP/s of run() (one product of `flops` FLOPs) after a warm-up: the median over timed blocks, by the
    wall clock and by CPU time (less disturbed by other processes): of this thread when the BLAS runs
    single-threaded, else of the process."""
    clock = time.thread_time if single_thread else time.process_time
    for _ in range(20):
        run()
    wall, cpu, reps = [], [], 10
    for _ in range(blocks):
        t, c = time.perf_counter(), clock()
        for _ in range(reps):
            run()
        s, cs = time.perf_counter() - t, clock() - c
        wall.append(reps * flops / s / 1e9)
        cpu.append(reps * flops / max(cs, 1e-9) / 1e9)
        reps = max(1, min(100000, int(reps * block_seconds / max(s, 1e-6))))
    return statistics.median(wall), statistics.median(cpu)


SGEMM_FLOPS = 2.0 * 256 * 512 * 512


def print_torch_facts(torch, threads):
    """Sets torch's thread count, makes it load its BLAS (one small product), prints torch_version,
    intraop_threads and describe()'s facts, and returns those facts."""
    torch.set_num_threads(threads)
    torch.randn(8, 8).mm(torch.randn(8, 8))
    print("torch_version=%s" % torch.__version__)
    print("intraop_threads=%d" % torch.get_num_threads())
    blas = describe()
    for k, v in blas.items():
        print("%s=%s" % (k, v))
    sys.stdout.flush()
    return blas


def print_torch_product_rate(torch, blas, dtype, prefix):
    """Prints <prefix>gemm_gflops and <prefix>gemm_cpu_gflops: torch's 256x512x512 product in dtype, by the
    wall clock and per CPU-second ("s" for float32 gives the sgemm keys, "bf16_" the bfloat16 ones)."""
    x, w = torch.randn(256, 512).to(dtype), torch.randn(512, 512).to(dtype)
    out = torch.empty(256, 512, dtype=dtype)
    wall, cpu = median_rate(lambda: torch.mm(x, w, out=out), SGEMM_FLOPS, blas["blas_threads"] == "1")
    print("%sgemm_gflops=%.2f" % (prefix, wall))
    print("%sgemm_cpu_gflops=%.2f" % (prefix, cpu))
