package io.ganflow.train.dist;

import io.ganflow.engine.Engine;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.FileStore;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.gloo.Device;

/**
 * This process's place in a data-parallel job: libtorch's c10d process group with the Gloo backend, joined
 * through a {@link Rendezvous}. It offers what training needs and nothing more: the bucketed, averaged
 * all-reduce of gradients, the broadcast of parameters from rank 0, and small all-reduces to agree on
 * stopping and to average logged statistics. Every collective blocks until all processes have joined it or
 * the timeout passes; a failure becomes a {@link PeerLostException} with one clear line.
 *
 * <p>It also counts the time spent in collectives, for the share of communication that
 * {@code ganflow bench --suite ddp} reports.
 */
public final class DataParallel implements AutoCloseable {
    /** Gradients are all-reduced in flat buckets of at most this many bytes (PyTorch DDP's default, 25 MiB). */
    public static final long BUCKET_BYTES = 25L << 20;

    private final int rank;
    private final int world;
    private final Store store;
    private final ProcessGroupGloo group;
    private final Duration timeout;
    private long commNanos;
    private long collectives;
    private long step;

    private DataParallel(int rank, int world, Store store, ProcessGroupGloo group, Duration timeout) {
        this.rank = rank;
        this.world = world;
        this.store = store;
        this.group = group;
        this.timeout = timeout;
    }

    /**
     * Joins the job: opens the store (rank 0 serves a TCP store), waits for all {@code world} processes and
     * builds the Gloo process group. Blocks until everyone has joined or {@code timeout} passes.
     */
    public static DataParallel join(Rendezvous rdzv, int rank, int world, Duration timeout) {
        if (world < 1 || rank < 0 || rank >= world) {
            throw new IllegalArgumentException("rank " + rank + " of world size " + world);
        }
        Engine.ensureInitialised();
        Milliseconds ms = new Milliseconds(timeout.toMillis());
        Store store;
        try {
            if (rdzv.isFile()) {
                store = new FileStore(rdzv.file().toString(), world);
            } else {
                TCPStoreOptions o = new TCPStoreOptions();
                o.port((short) rdzv.port());
                o.isServer(rank == 0);
                o.numWorkers(new SizeTPointer(1).put(world));
                o.waitWorkers(false);
                o.timeout(ms);
                o.useLibUV(false);
                store = new TCPStore(rdzv.host(), o);
            }
            ProcessGroupGloo.Options opts = ProcessGroupGloo.Options.create(ms);
            opts.devices(new GlooDeviceVector(device(rdzv)));
            ProcessGroupGloo group = new ProcessGroupGloo(store, rank, world, opts);
            return new DataParallel(rank, world, store, group, timeout);
        } catch (RuntimeException e) {
            throw new PeerLostException("rank " + rank + " of " + world + " could not join the group at " + rdzv
                    + " within " + timeout.toSeconds() + " s: " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * The Gloo transport device: loopback when every process is on this host, else the interface named by
     * GANFLOW_GLOO_IFNAME, else the address this host's name resolves to.
     */
    private static Device device(Rendezvous rdzv) {
        String ifname = System.getenv("GANFLOW_GLOO_IFNAME");
        if (ifname != null && !ifname.isBlank()) {
            return ProcessGroupGloo.createDeviceForInterface(ifname);
        }
        if (rdzv.loopback() || (rdzv.isFile() && Boolean.getBoolean("ganflow.dist.loopback"))) {
            return ProcessGroupGloo.createDeviceForHostname("127.0.0.1");
        }
        return ProcessGroupGloo.createDefaultDevice();
    }

    public int rank() {
        return rank;
    }

    public int world() {
        return world;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Seconds spent inside collectives so far (waiting for the others included). */
    public double communicationSeconds() {
        return commNanos / 1e9;
    }

    /** The number of collectives run so far. */
    public long collectives() {
        return collectives;
    }

    /** The training step, for error messages. */
    public void atStep(long s) {
        this.step = s;
    }

    /**
     * The mean over all processes of each gradient: the tensors are flattened into buckets of at most
     * {@link #BUCKET_BYTES}, each bucket is summed across processes by one all-reduce and divided by the world
     * size, and the result is handed back as views of the buckets, in the given order and shapes.
     */
    public List<Tensor> allReduceMean(List<Tensor> grads) {
        List<Tensor> out = new ArrayList<>(grads.size());
        int i = 0;
        while (i < grads.size()) {
            int j = i;
            long bytes = 0;
            List<Tensor> flat = new ArrayList<>();
            while (j < grads.size() && (j == i || bytes + nbytes(grads.get(j)) <= BUCKET_BYTES)) {
                bytes += nbytes(grads.get(j));
                flat.add(grads.get(j).detach().reshape(-1));
                j++;
            }
            Tensor bucket = flat.size() == 1 ? flat.get(0).clone() : Ops.cat(flat, 0);
            run("all-reduce", group.allreduce(new TensorVector(bucket)));
            bucket.div_(Ops.s(world));
            long off = 0;
            for (int k = i; k < j; k++) {
                Tensor g = grads.get(k);
                long n = g.numel();
                out.add(bucket.narrow(0, off, n).view(Ops.shape(g)));
                off += n;
            }
            i = j;
        }
        return out;
    }

    /** Sums a tensor over every process, in place (synced batch norm's statistics and their gradients). */
    public void sumInPlace(Tensor t) {
        run("batch-norm all-reduce", group.allreduce(new TensorVector(t)));
    }

    /** Copies rank 0's values into the given tensors on every process (in place, without gradient). */
    public void broadcastFromRankZero(List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            return;
        }
        try (Scope s = Scope.open()) {
            List<Tensor> flat = new ArrayList<>();
            for (Tensor t : tensors) {
                flat.add(t.detach().reshape(-1));
            }
            Tensor all = Ops.cat(flat, 0);
            BroadcastOptions o = new BroadcastOptions();
            o.rootRank(0);
            run("broadcast", group.broadcast(new TensorVector(all), o));
            Ops.noGrad(() -> {
                long off = 0;
                for (Tensor t : tensors) {
                    long n = t.numel();
                    t.copy_(all.narrow(0, off, n).view(Ops.shape(t)));
                    off += n;
                }
            });
        }
    }

    /** True on every process if it is true on any (stop requests, alarms). */
    public boolean any(boolean mine) {
        try (Scope s = Scope.open()) {
            Tensor flag = Ops.fromDoubles(new double[] {mine ? 1 : 0}, 1);
            run("stop-flag all-reduce", group.allreduce(new TensorVector(flag)));
            return Ops.toDoubles(flag)[0] > 0;
        }
    }

    /** The mean over all processes of each value (logged statistics). */
    public double[] mean(double[] values) {
        if (values.length == 0) {
            return values;
        }
        try (Scope s = Scope.open()) {
            Tensor t = Ops.fromDoubles(values, values.length);
            run("statistics all-reduce", group.allreduce(new TensorVector(t)));
            double[] sum = Ops.toDoubles(t);
            for (int k = 0; k < sum.length; k++) {
                sum[k] /= world;
            }
            return sum;
        }
    }

    /** Waits until every process has reached this point. */
    public void barrier() {
        run("barrier", group.barrier());
    }

    private void run(String what, Work work) {
        long t0 = System.nanoTime();
        try {
            work._wait();
        } catch (RuntimeException e) {
            throw new PeerLostException("rank " + rank + " of " + world + ": the " + what + " at step " + step
                    + " failed (another process died or did not answer within " + timeout.toSeconds() + " s): "
                    + oneLine(e.getMessage()), e);
        } finally {
            commNanos += System.nanoTime() - t0;
            collectives++;
        }
    }

    private static long nbytes(Tensor t) {
        return t.numel() * t.element_size();
    }

    static String oneLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        String first = s.strip().lines().findFirst().orElse("");
        // libtorch appends the C++ frames after "Exception raised from"
        int cut = first.indexOf(" Exception raised from");
        first = cut > 0 ? first.substring(0, cut) : first;
        // Gloo prefixes the C++ source file of its build: "[/.../gloo/transport/tcp/pair.cc:547] "
        return first.replaceAll("\\[[^\\]]*\\.(cc|cpp|h):\\d+\\] ", "");
    }

    @Override
    public void close() {
        group.close();
        store.close();
    }
}
