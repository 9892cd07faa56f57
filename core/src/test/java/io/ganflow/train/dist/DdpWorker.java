package io.ganflow.train.dist;

import io.ganflow.nn.Parameter;
import io.ganflow.run.TrainingRun;
import io.ganflow.engine.Ops;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One worker process of {@link DataParallelTest}: trains the given preset for K steps as rank R of W through a
 * c10d file store, then writes its trained weights (every optimiser's parameters, as float32) to a file.
 * With a die-at step, rank R exits abruptly (code 3) when that step begins, as a crashed worker would.
 *
 * <p>Arguments: preset steps rank world storeFile weightsOut [dieAtStep] [key=value ...]
 */
public final class DdpWorker {
    private DdpWorker() {}

    public static void main(String[] args) throws IOException {
        String preset = args[0];
        long steps = Long.parseLong(args[1]);
        int rank = Integer.parseInt(args[2]);
        int world = Integer.parseInt(args[3]);
        Path store = Path.of(args[4]);
        Path out = Path.of(args[5]);
        long dieAt = args.length > 6 ? Long.parseLong(args[6]) : -1;
        TrainingRun.Builder b = TrainingRun.builder().preset(preset).set("train.steps", Long.toString(steps))
                .evaluation(false);
        for (int i = 7; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            b.set(kv[0], kv[1]);
        }
        if (dieAt > 0) {
            b.listener(new io.ganflow.train.Listener() {
                @Override
                public void onStep(long step) {
                    if (step + 1 == dieAt) {
                        Runtime.getRuntime().halt(3);
                    }
                }
            });
        }
        TrainingRun tr = b.build();
        System.setProperty("ganflow.dist.loopback", "true");
        try (DataParallel dp = DataParallel.join(new Rendezvous(null, 0, store), rank, world, Duration.ofSeconds(60))) {
            tr.distributed(dp);
            tr.train();
            System.err.println("rank " + rank + ": communication " + dp.communicationSeconds() + " s in "
                    + dp.collectives() + " collectives");
        } catch (PeerLostException e) {
            System.err.println("ganflow: " + e.getMessage());
            System.exit(1);
        }
        write(weights(tr), out);
        System.exit(0);
    }

    static float[] weights(TrainingRun tr) {
        List<Parameter> ps = new java.util.ArrayList<>();
        tr.method().optimizers().values().forEach(o -> ps.addAll(o.parameters()));
        int n = 0;
        for (Parameter p : ps) {
            n += (int) p.value().numel();
        }
        float[] all = new float[n];
        int off = 0;
        for (Parameter p : ps) {
            float[] v = Ops.toFloats(p.value());
            System.arraycopy(v, 0, all, off, v.length);
            off += v.length;
        }
        return all;
    }

    static void write(float[] w, Path out) throws IOException {
        try (DataOutputStream d = new DataOutputStream(Files.newOutputStream(out))) {
            d.writeInt(w.length);
            for (float x : w) {
                d.writeFloat(x);
            }
        }
    }

    static float[] read(Path in) throws IOException {
        try (java.io.DataInputStream d = new java.io.DataInputStream(Files.newInputStream(in))) {
            float[] w = new float[d.readInt()];
            for (int i = 0; i < w.length; i++) {
                w[i] = d.readFloat();
            }
            return w;
        }
    }
}
