package io.ganflow.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the two sides' OpenBLAS kernels are set.
 *
 * @param target the kernel both sides run with (OPENBLAS_CORETYPE), or null to leave each side's own
 * @param ganflowKernel the kernel ganflow's OpenBLAS picks in this process
 * @param peerUsable false if the peer's probe failed (the peer is then skipped)
 * @param note one line for the output
 */
record KernelPlan(String target, String ganflowKernel, boolean peerUsable, String note) {

    /**
     * Probes the peer's kernel (if any) and decides on a common one: {@code kernel} is the bench's --kernel (null:
     * none), {@code noFixKernel} its --no-fix-kernel.
     */
    static KernelPlan plan(List<String> peerCmd, String kernel, boolean noFixKernel, int threads)
            throws InterruptedException {
        String ours = BlasInfo.kernel();
        String ourBlas = BlasInfo.version();
        if (kernel != null) {
            return new KernelPlan(kernel, ours, true, "both sides set to " + kernel + " (--kernel; ganflow's OpenBLAS"
                    + " picked " + ours + ")");
        }
        if (peerCmd == null) {
            return new KernelPlan(null, ours, false, "ganflow's " + ourBlas + " picked " + ours);
        }
        PeerProcess.Result probe = probe(peerCmd, null, threads);
        if (!probe.has("kernel")) {
            System.out.println("peer     skipped: " + peerCmd.get(0) + " could not run the reference ("
                    + probe.lastLine() + ")");
            return new KernelPlan(null, ours, false, "ganflow's " + ourBlas + " picked " + ours);
        }
        String theirs = probe.get("kernel");
        String theirBlas = probe.get("blas_version");
        String picked = "ganflow's " + ourBlas + " picked " + ours + describeKernel(ours) + ", the peer's " + theirBlas
                + " picked " + theirs + describeKernel(theirs);
        boolean generic = BlasInfo.isGeneric(ours) && !BlasInfo.isGeneric(BlasInfo.kernelForCpuFlags());
        if (ours.equalsIgnoreCase(theirs) && !generic) {
            return new KernelPlan(null, ours, true, "both OpenBLAS builds picked " + ours + "; left as they are");
        }
        if (noFixKernel) {
            return new KernelPlan(null, ours, true, picked + "; left as they are (--no-fix-kernel)"
                    + (ours.equalsIgnoreCase(theirs) ? "" : ": the ratio compares BLAS kernels too"));
        }
        String top = !BlasInfo.isGeneric(ours) ? ours : !BlasInfo.isGeneric(theirs) ? theirs
                : BlasInfo.kernelForCpuFlags();
        for (String c : BlasInfo.fallbacks(top)) {
            if (c.equalsIgnoreCase(theirs) || c.equalsIgnoreCase(probe(peerCmd, c, threads).get("kernel"))) {
                return new KernelPlan(c, ours, true, picked + ": both set to " + c + " (OPENBLAS_CORETYPE"
                        + (c.equalsIgnoreCase(ours) ? " in the peer's environment" : ", ganflow in a child process")
                        + "; --no-fix-kernel keeps each side's own)");
            }
        }
        return new KernelPlan(null, ours, true, picked + "; no kernel both builds know was found: left as they are,"
                + " and the ratio compares BLAS kernels too");
    }

    /** Prints the plan, and any OPENBLAS_CORETYPE inherited from the environment (it overrides detection). */
    void printNote() {
        System.out.println("kernel:   " + note);
        String inherited = System.getenv("OPENBLAS_CORETYPE");
        if (inherited != null) {
            System.out.println("          OPENBLAS_CORETYPE=" + inherited + " is set in this environment: it chose the"
                    + " kernels above" + (target == null ? "" : " before the bench set its own"));
        }
    }

    private static String describeKernel(String k) {
        return BlasInfo.isGeneric(k) ? " (a generic fallback)" : "";
    }

    /** Runs the peer's --probe with OPENBLAS_CORETYPE set to {@code coretype} (null: as inherited). */
    private static PeerProcess.Result probe(List<String> peerCmd, String coretype, int threads)
            throws InterruptedException {
        List<String> cmd = new ArrayList<>(peerCmd.subList(0, 2));
        cmd.add("--probe");
        Map<String, String> env = threadEnv(threads);
        if (coretype != null) {
            env.put("OPENBLAS_CORETYPE", coretype);
        }
        return PeerProcess.run(cmd, env, 5);
    }

    static Map<String, String> threadEnv(int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        return env;
    }

    Map<String, String> peerEnv(int threads) {
        Map<String, String> env = threadEnv(threads);
        if (target != null) {
            env.put("OPENBLAS_CORETYPE", target);
        }
        return env;
    }
}
