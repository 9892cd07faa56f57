package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import io.ganflow.nn.StateDict;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Historical averaging (Salimans et al. 2016, §3.3): λ·‖θ − (1/t) Σ_{i≤t} θ_i‖² added to a player's loss,
 * where the average runs over that player's parameters after each of its past updates. Applied to the
 * generator, the critic, or both (one instance each).
 */
public final class HistoricalAveraging implements Regularizer {
    private final double weight;
    private final boolean onGenerator;
    private final List<Tensor> mean = new ArrayList<>();
    private long count;

    /**
     * @param module the player whose parameters are averaged (its current values start the average)
     * @param onGenerator true for the generator, false for the critic
     */
    public HistoricalAveraging(double weight, Module module, boolean onGenerator) {
        this.weight = weight;
        this.onGenerator = onGenerator;
        Ops.noGrad(() -> {
            for (Parameter p : module.parameters()) {
                mean.add(p.value().detach().clone());
            }
        });
        this.count = 1;
    }

    @Override
    public String name() {
        return onGenerator ? "hist_avg_g" : "hist_avg_d";
    }

    /** λ·Σ‖θ − mean‖² over the player's parameters. */
    public Tensor term(Module module) {
        Tensor s = null;
        List<Parameter> ps = module.parameters();
        for (int i = 0; i < ps.size(); i++) {
            Tensor d = ps.get(i).value().sub(mean.get(i)).square().sum();
            s = s == null ? d : s.add(d);
        }
        return Ops.mul(s, weight);
    }

    /** mean ← mean + (θ − mean)/(t + 1). */
    void update(Module module) {
        count++;
        double f = 1.0 / count;
        Ops.noGrad(() -> {
            List<Parameter> ps = module.parameters();
            for (int i = 0; i < ps.size(); i++) {
                mean.get(i).lerp_(ps.get(i).value(), Ops.s(f));
            }
        });
    }

    public List<Tensor> average() {
        return mean;
    }

    @Override
    public Tensor criticTerm(CriticBatch b) {
        return onGenerator ? null : term(b.critic());
    }

    @Override
    public Tensor generatorTerm(GeneratorBatch b) {
        return onGenerator ? term(b.generator()) : null;
    }

    @Override
    public void afterCriticStep(Module critic) {
        if (!onGenerator) {
            update(critic);
        }
    }

    @Override
    public void afterGeneratorStep(Module generator) {
        if (onGenerator) {
            update(generator);
        }
    }

    @Override
    public void saveState(StateDict into, String prefix) {
        into.putValue(prefix + ".count", count);
        for (int i = 0; i < mean.size(); i++) {
            into.putTensor(prefix + ".mean." + i, mean.get(i));
        }
    }

    @Override
    public List<Tensor> stateTensors() {
        return List.copyOf(mean);
    }

    @Override
    public void loadState(StateDict from, String prefix) {
        count = from.getLong(prefix + ".count");
        for (int i = 0; i < mean.size(); i++) {
            from.loadInto(prefix + ".mean." + i, mean.get(i));
        }
    }
}
