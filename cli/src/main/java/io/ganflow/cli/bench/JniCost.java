package io.ganflow.cli.bench;

import io.ganflow.engine.Engine;
import io.ganflow.engine.Scope;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * What a call from Java into libtorch costs, by parts (bench/README.md, "Where the step spends its time"):
 * a JNI call whose C++ side does nothing (reading one byte through JavaCPP), a libtorch call that returns a
 * number ({@code Tensor.dim()}), one that returns a new tensor handle ({@code Tensor.detach()}, a view: no
 * data, no arithmetic) inside a scope and its release, a {@code Scalar}, and an empty scope. Nanoseconds of
 * this thread's CPU time per call (other processes on the machine do not inflate it), best of 5 rounds.
 *
 * <pre>java [-Dorg.bytedeco.javacpp.maxphysicalbytes=0] -cp cli/target/ganflow.jar io.ganflow.cli.bench.JniCost</pre>
 */
public final class JniCost {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private JniCost() {}

    public static void main(String[] args) {
        Engine.ensureInitialised();
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        BytePointer one = new BytePointer(1);
        Tensor t = torch.randn(4, 4);
        long[] sink = new long[1];
        System.out.printf(Locale.ROOT, "maxPhysicalBytes %d (0: JavaCPP does not read /proc/self/statm per new pointer)%n",
                Pointer.maxPhysicalBytes());
        report("JNI call, no C++ work (BytePointer.get)", n, i -> sink[0] += one.get(0));
        report("libtorch call returning a number (Tensor.dim)", n, i -> sink[0] += t.dim());
        report("libtorch call returning a tensor handle (Tensor.detach) + release by its scope", n, i -> {
            try (PointerScope s = new PointerScope()) {
                sink[0] += t.detach().address() & 1;
            }
        });
        report("the same, 100 handles per scope", n / 100, i -> {
            try (PointerScope s = new PointerScope()) {
                for (int k = 0; k < 100; k++) {
                    sink[0] += t.detach().address() & 1;
                }
            }
        });
        report("new Scalar(double) + release by its scope", n, i -> {
            try (PointerScope s = new PointerScope()) {
                sink[0] += new Scalar(0.5).address() & 1;
            }
        });
        report("empty scope (Scope.open + close)", n, i -> {
            try (Scope s = Scope.open()) {
                sink[0]++;
            }
        });
        System.out.println("(checksum " + sink[0] + ")");
    }

    private static void report(String what, int n, IntConsumer body) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long c0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            best = Math.min(best, (CPU.getCurrentThreadCpuTime() - c0) / (double) n);
        }
        int per = what.startsWith("the same, 100") ? 100 : 1;
        System.out.printf(Locale.ROOT, "%9.1f ns  %s%n", best / per, what);
    }
}
