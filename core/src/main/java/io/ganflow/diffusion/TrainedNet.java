package io.ganflow.diffusion;

import io.ganflow.nn.Ema;
import io.ganflow.nn.StateDict;
import io.ganflow.nn.VelocityModel;
import io.ganflow.optim.Optimizer;
import java.util.Optional;

/**
 * A diffusion method's one trained net with its optimiser and an optional EMA copy, which samples when it is on;
 * in a checkpoint they are {@code key}, {@code key_ema} and {@code opt.key}.
 */
final class TrainedNet {
    final VelocityModel net;
    final Optimizer opt;
    final Optional<Ema> ema;
    private final String key;

    TrainedNet(String key, VelocityModel net, Optimizer opt, Optional<Ema> ema) {
        this.key = key;
        this.net = net;
        this.opt = opt;
        this.ema = ema;
    }

    /** The net that samples: the EMA copy where that is on. */
    VelocityModel sampling() {
        return ema.map(e -> (VelocityModel) e.shadow()).orElse(net);
    }

    /** After an optimiser step: the EMA follows. */
    void stepped() {
        ema.ifPresent(Ema::update);
    }

    /** After weights were loaded into the trained net: the EMA copy starts from them. */
    void weightsLoaded() {
        ema.ifPresent(e -> e.shadow().copyFrom(net));
    }

    void save(StateDict into) {
        into.putModule(key, net);
        ema.ifPresent(e -> into.putModule(key + "_ema", e.shadow()));
        opt.saveState(into, "opt." + key);
    }

    void load(StateDict from) {
        from.loadModule(key, net);
        ema.ifPresent(e -> from.loadModule(key + "_ema", e.shadow()));
        opt.loadState(from, "opt." + key);
    }
}
