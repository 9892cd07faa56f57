package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.data.Dataset;
import io.ganflow.diffusion.DiffusionMethod;
import io.ganflow.diffusion.NoiseSchedule;
import io.ganflow.engine.Rng;
import io.ganflow.nn.VelocityModel;
import java.util.List;

/**
 * The diffusion family: method {@code ddpm} (a noise-prediction net trained with DDPM's simple loss, sampled by
 * the ancestral chain or DDIM) and its {@code diffusion.*} keys. The net is the flows' velocity net
 * ({@code model.v.*}: an MLP or U-Net of x and a time through the one time embedding), given t/T; {@code opt.d}
 * trains it, as it trains a flow's net. docs/diffusion.md.
 */
public final class DiffusionFamily implements Family {
    @Override
    public String name() {
        return "diffusion";
    }

    @Override
    public void keys(Keys k) {
        k.choice("diffusion.schedule", "linear", NoiseSchedule.NAMES, "ddpm: the noise schedule: linear (DDPM's beta"
                + " from diffusion.beta_start to diffusion.beta_end) or cosine (Nichol & Dhariwal)");
        k.number("diffusion.steps", KeyType.INT, "1000", 1.0, false, 100000.0, false, "ddpm: T, the forward process's"
                + " steps");
        k.number("diffusion.beta_start", KeyType.DOUBLE, "1e-4", 0.0, true, 1.0, true, "ddpm, linear schedule: beta_1");
        k.number("diffusion.beta_end", KeyType.DOUBLE, "0.02", 0.0, true, 1.0, true, "ddpm, linear schedule: beta_T");
        k.choice("diffusion.sampler", "ancestral", List.of("ancestral", "ddim", "ode"), "ddpm: the sampler of evaluation"
                + " and ganflow sample (ancestral: all T steps; ddim: diffusion.sample_steps of them; ode: the"
                + " probability-flow ODE, Heun with diffusion.sample_steps evaluations)");
        k.number("diffusion.sample_steps", KeyType.INT, "50", 1.0, false, 100000.0, false, "ddpm, ddim and ode: the"
                + " NFE (ddim's steps S)");
        k.number("diffusion.eta", KeyType.DOUBLE, "0", 0.0, false, 1.0, false, "ddpm, ddim: eta (0: deterministic)");
        k.choice("diffusion.variance", "beta", List.of("beta", "beta_tilde"), "ddpm, ancestral: the reverse steps'"
                + " variance, beta_t or the posterior's beta-tilde_t");
        k.choice("diffusion.spacing", "trailing", DiffusionMethod.SPACINGS, "ddpm, ddim: which S of the T steps"
                + " (diffusers' names; trailing starts at T)");
    }

    @Override
    public void register(Registries r) {
        r.methods().register("ddpm", "DDPM: noise prediction with the simple loss; ancestral or DDIM sampling"
                + " (docs/diffusion.md)", DiffusionFamily::ddpm);
    }

    static DiffusionMethod ddpm(Config c, Dataset data) {
        if (!c.getString("model.condition").equals("none")) {
            throw new BadInputException("model.condition=" + c.getString("model.condition") + " is for method=gan;"
                    + " method=ddpm has no conditional noise net yet (allowed: none)");
        }
        int steps = c.getInt("diffusion.steps");
        if (c.getInt("diffusion.sample_steps") > steps) {
            throw new BadInputException("diffusion.sample_steps=" + c.getInt("diffusion.sample_steps") + " is more than"
                    + " diffusion.steps=" + steps + "; allowed: 1 to " + steps);
        }
        if (c.getDouble("diffusion.beta_start") > c.getDouble("diffusion.beta_end")) {
            throw new BadInputException("diffusion.beta_start=" + c.getDouble("diffusion.beta_start") + " is above"
                    + " diffusion.beta_end=" + c.getDouble("diffusion.beta_end") + "; allowed: beta_start <= beta_end");
        }
        NoiseSchedule schedule = NoiseSchedule.byName(c.getString("diffusion.schedule"), steps,
                c.getDouble("diffusion.beta_start"), c.getDouble("diffusion.beta_end"));
        VelocityModel eps = Setup.velocityNet(c, data, Rng.derived(c.getLong("train.seed"), "init"));
        return new DiffusionMethod(eps, Setup.optimizer(c, "d").create(eps.parameters()), schedule, data.shape(),
                new DiffusionMethod.Defaults(c.getString("diffusion.sampler"), c.getString("diffusion.variance"),
                        c.getInt("diffusion.sample_steps"), c.getDouble("diffusion.eta"),
                        c.getString("diffusion.spacing")));
    }
}
