package io.ganflow.diffusion;

import io.ganflow.nn.Parameter;
import io.ganflow.nn.VelocityModel;
import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/** A parameter-free net given by a formula of (x, t, labels): the closed forms the diffusion tests put in a net's place. */
final class FakeNet {
    private FakeNet() {}

    interface Formula {
        Tensor at(Tensor x, Tensor t, Optional<Tensor> labels);
    }

    static VelocityModel of(Formula f) {
        return new VelocityModel() {
            @Override
            public Tensor velocity(Tensor x, Tensor t, Optional<Tensor> labels) {
                return f.at(x, t, labels);
            }

            @Override
            public Tensor velocity(Tensor x, Tensor t) {
                return f.at(x, t, Optional.empty());
            }

            @Override
            public Tensor forward(Tensor x) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Parameter> parameters() {
                return List.of();
            }
        };
    }

    /** Mean, std (n − 1) and NFE of 1-D samples. */
    static double[] moments(io.ganflow.train.Samples out) {
        double[] x = io.ganflow.engine.Ops.toDoubles(out.x());
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean) / (x.length - 1);
        }
        return new double[] {mean, Math.sqrt(var), out.nfe()};
    }
}
