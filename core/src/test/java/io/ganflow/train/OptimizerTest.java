package io.ganflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.engine.Ops;
import io.ganflow.nn.Parameter;
import io.ganflow.optim.Optimizer;
import io.ganflow.optim.OptimizerSpec;
import java.io.InputStream;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each optimiser follows PyTorch's trajectory on a quadratic, step by step. The reference trajectories
 * were recorded with PyTorch (tools/fixtures/optimizers.py); the gradient here is the quadratic's
 * closed form, computed independently of the optimiser.
 */
class OptimizerTest {
    static OptimizerSpec spec(String name) {
        switch (name) {
            case "adam":
                return new OptimizerSpec("adam", 0.1, 0.5, 0.9, 1e-8, 0, 0, 0.99, false, false);
            case "adam_wd":
                return new OptimizerSpec("adam", 0.05, 0.9, 0.999, 1e-8, 0.01, 0, 0.99, false, false);
            case "rmsprop":
                return new OptimizerSpec("rmsprop", 0.01, 0.9, 0.999, 1e-8, 0, 0, 0.99, false, false);
            case "rmsprop_centered_momentum":
                return new OptimizerSpec("rmsprop", 0.01, 0.9, 0.999, 1e-8, 0, 0.5, 0.9, false, true);
            case "sgd":
                return new OptimizerSpec("sgd", 0.1, 0.9, 0.999, 1e-8, 0, 0, 0.99, false, false);
            case "sgd_momentum_wd":
                return new OptimizerSpec("sgd", 0.05, 0.9, 0.999, 1e-8, 0.01, 0.9, 0.99, false, false);
            case "sgd_nesterov":
                return new OptimizerSpec("sgd", 0.05, 0.9, 0.999, 1e-8, 0, 0.9, 0.99, true, false);
            default:
                throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "adam_wd", "rmsprop", "rmsprop_centered_momentum", "sgd", "sgd_momentum_wd",
        "sgd_nesterov"})
    void matchesPyTorchTrajectory(String name) throws Exception {
        JsonNode fx;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/optimizers.json")) {
            fx = new ObjectMapper().readTree(in);
        }
        double[] t = doubles(fx.get("t"));
        double[] w = doubles(fx.get("w"));
        Tensor p = Ops.fromDoubles(doubles(fx.get("p0")), 3);
        p.set_requires_grad(true);
        Optimizer opt = spec(name).create(List.of(new Parameter("p", p)));
        JsonNode traj = fx.get("cases").get(name);
        for (int s = 0; s < traj.size(); s++) {
            double[] cur = Ops.toDoubles(p);
            double[] g = new double[3];
            for (int i = 0; i < 3; i++) {
                g[i] = 2 * w[i] * (cur[i] - t[i]);
            }
            opt.step(List.of(Ops.fromDoubles(g, 3)));
            double[] want = doubles(traj.get(s));
            double[] got = Ops.toDoubles(p);
            for (int i = 0; i < 3; i++) {
                assertEquals(want[i], got[i], 1e-12 + 1e-10 * Math.abs(want[i]), name + " step " + (s + 1) + " coord " + i);
            }
        }
    }

    static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }
}
