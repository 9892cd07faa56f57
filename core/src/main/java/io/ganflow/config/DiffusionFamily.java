package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.data.Dataset;
import io.ganflow.diffusion.DiffusionMethod;
import io.ganflow.diffusion.NoiseSchedule;
import io.ganflow.diffusion.Process;
import io.ganflow.diffusion.ScoreMethod;
import io.ganflow.diffusion.Target;
import io.ganflow.engine.Rng;
import io.ganflow.nn.Ema;
import io.ganflow.nn.VelocityModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        k.choice("diffusion.sampler", "auto", SAMPLERS, "the sampler of evaluation and ganflow sample: auto"
                + " (ddpm: ancestral; score and edm: heun), ddpm's ancestral, ddim or ode, or a score model's heun,"
                + " dpmpp2m, euler, ode, sde, pc or langevin (docs/diffusion.md)");
        k.number("diffusion.sample_steps", KeyType.INT, "50", 1.0, false, 100000.0, false, "the samplers' NFE"
                + " (ddim's steps S; heun's 2N - 1)");
        k.number("diffusion.eta", KeyType.DOUBLE, "0", 0.0, false, 1.0, false, "ddpm, ddim: eta (0: deterministic)");
        k.choice("diffusion.variance", "beta", List.of("beta", "beta_tilde"), "ddpm, ancestral: the reverse steps'"
                + " variance, beta_t or the posterior's beta-tilde_t");
        k.number("diffusion.clip_sample", KeyType.DOUBLE, "0", 0.0, false, 1e6, false, "ddpm, ancestral and ddim: clip the"
                + " predicted x0 to [-C, C] at every step (diffusers' clip_sample; images live in [-1, 1]); 0: none");
        k.choice("diffusion.spacing", "trailing", DiffusionMethod.SPACINGS, "ddpm, ddim: which S of the T steps"
                + " (diffusers' names; trailing starts at T)");
        k.choice("diffusion.process", "vp", List.of("vp", "subvp", "ve"), "score: the forward SDE: vp (beta from"
                + " diffusion.beta_min to beta_max), subvp, or ve (sigma from diffusion.sigma_min to sigma_max)");
        k.number("diffusion.beta_min", KeyType.DOUBLE, "0.1", 0.0, true, 1000.0, false, "score, vp and subvp: beta(0)");
        k.number("diffusion.beta_max", KeyType.DOUBLE, "20", 0.0, true, 1000.0, false, "score, vp and subvp: beta(1)");
        k.number("diffusion.sigma_min", KeyType.DOUBLE, "0.01", 0.0, true, 1e6, false, "score, ve: sigma(0)");
        k.number("diffusion.sigma_max", KeyType.DOUBLE, "50", 0.0, true, 1e6, false, "score, ve: sigma(1)");
        k.number("diffusion.t_min", KeyType.DOUBLE, "1e-3", 0.0, true, 0.5, false, "score: the smallest time of"
                + " training and sampling (Song et al.'s epsilon)");
        k.choice("diffusion.target", "eps", Target.NAMES, "score: what the net predicts: eps, x0, v, score, or edm"
                + " (EDM's preconditioned output)");
        k.choice("diffusion.weighting", "simple", Target.Weighting.NAMES, "score: the loss's weight over noise levels:"
                + " simple (unit in the target's space), likelihood (g^2 on the score), sigma2 (NCSN), edm (EDM's"
                + " lambda)");
        k.number("diffusion.sigma_data", KeyType.DOUBLE, "0.5", 0.0, true, 1e6, false, "score and edm: sigma_data of"
                + " EDM's preconditioning and weighting (the data's std)");
        k.number("diffusion.ema", KeyType.DOUBLE, "0", 0.0, false, 1.0, true, "EMA decay of the net's weights, used for"
                + " sampling (0: off)");
        k.number("diffusion.rho", KeyType.DOUBLE, "7", 0.0, true, 1000.0, false, "score and edm, sigma-space samplers:"
                + " rho of Karras's schedule");
        k.number("diffusion.s_churn", KeyType.DOUBLE, "0", 0.0, false, 1e6, false, "score and edm, heun: S_churn (0:"
                + " deterministic)");
        k.number("diffusion.snr", KeyType.DOUBLE, "0.16", 0.0, true, 100.0, false, "score and edm, pc: the Langevin"
                + " corrector's signal-to-noise ratio");
        k.number("diffusion.corrector", KeyType.INT, "1", 0.0, false, 100.0, false, "score and edm, pc: corrector"
                + " steps per predictor step");
        k.number("diffusion.langevin_step", KeyType.DOUBLE, "0.2", 0.0, true, 10.0, false, "score and edm, langevin:"
                + " delta of the step a = delta sigma^2 (NCSN's eps / sigma_L^2: 2e-5 / 0.01^2 = 0.2)");
        k.number("diffusion.per_level", KeyType.INT, "10", 1.0, false, 100000.0, false, "score and edm, langevin: steps"
                + " per noise level");
        k.number("diffusion.p_uncond", KeyType.DOUBLE, "0.1", 0.0, false, 1.0, true, "ddpm, score and edm"
                + " with model.condition=embed: the probability of dropping a label to the null class in training");
        k.number("diffusion.guidance", KeyType.DOUBLE, "0", 0.0, false, 100.0, false, "ddpm, score and edm"
                + " with model.condition=embed: the guidance scale w, (1 + w) F(x, t, y) - w F(x, t, null); 0: conditional");
        k.number("edm.sigma_min", KeyType.DOUBLE, "0.002", 0.0, true, 1e6, false, "edm: the smallest sigma sampled");
        k.number("edm.sigma_max", KeyType.DOUBLE, "80", 0.0, true, 1e6, false, "edm: the largest sigma sampled");
        k.number("edm.p_mean", KeyType.DOUBLE, "-1.2", -100.0, false, 100.0, false, "edm: P_mean of the log-normal"
                + " training sigma");
        k.number("edm.p_std", KeyType.DOUBLE, "1.2", 0.0, true, 100.0, false, "edm: P_std of the log-normal training"
                + " sigma");
    }

    @Override
    public void register(Registries r) {
        r.methods().register("ddpm", "DDPM: noise prediction with the simple loss; ancestral or DDIM sampling"
                + " (docs/diffusion.md)", DiffusionFamily::ddpm);
        r.methods().register("score", "a score model of a continuous-time SDE (vp, subvp, ve) with a chosen target and"
                + " weighting; EDM Heun, DPM-Solver++, ODE, SDE, predictor-corrector and Langevin samplers"
                + " (docs/diffusion.md)", DiffusionFamily::score);
        r.methods().register("edm", "EDM (Karras et al. 2022): sigma(t) = t, preconditioned denoiser, log-normal"
                + " training sigma, lambda(sigma) weighting; the score model's samplers (docs/diffusion.md)",
                DiffusionFamily::edm);
    }

    static DiffusionMethod ddpm(Config c, Dataset data) {
        if (c.getString("model.condition").equals("concat")) {
            throw new BadInputException("model.condition=concat is for method=gan; method=ddpm takes embed (a class"
                    + " embedding added to the time embedding)");
        }
        int classes = Setup.conditionClasses(c, data);
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
        VelocityModel eps = net(c, data, "init", classes);
        String sampler = sampler(c, "ddpm", "ancestral", List.of("ancestral", "ddim", "ode", "heun", "dpmpp2m"));
        Optional<Ema> ema = c.getDouble("diffusion.ema") == 0 ? Optional.empty()
                : Optional.of(new Ema(eps, net(c, data, "ema", classes), c.getDouble("diffusion.ema")));
        return new DiffusionMethod(eps, Setup.optimizer(c, "d").create(eps.parameters()), ema, schedule,
                data.shape(),
                new DiffusionMethod.Defaults(sampler, c.getString("diffusion.variance"),
                        c.getInt("diffusion.sample_steps"), c.getDouble("diffusion.eta"),
                        c.getString("diffusion.spacing"), c.getDouble("diffusion.clip_sample")),
                new ScoreMethod.Conditioning(classes, c.getDouble("diffusion.p_uncond"), c.getDouble("diffusion.guidance")));
    }

    /** The samplers diffusion.sampler allows, across the family's methods. */
    static final List<String> SAMPLERS = List.of("auto", "ancestral", "ddim", "ode", "heun", "dpmpp2m", "euler", "sde",
            "pc", "langevin");

    private static String sampler(Config c, String method, String auto, List<String> allowed) {
        String s = c.getString("diffusion.sampler");
        if (s.equals("auto")) {
            return auto;
        }
        if (!allowed.contains(s)) {
            throw new BadInputException("diffusion.sampler=" + s + " is not a sampler of method " + method
                    + "; allowed: auto, " + String.join(", ", allowed));
        }
        return s;
    }

    static ScoreMethod score(Config c, Dataset data) {
        Process p = Process.byName(c.getString("diffusion.process"), c.getString("diffusion.process").equals("ve")
                ? c.getDouble("diffusion.sigma_min") : c.getDouble("diffusion.beta_min"),
                c.getString("diffusion.process").equals("ve") ? c.getDouble("diffusion.sigma_max")
                        : c.getDouble("diffusion.beta_max"), c.getDouble("diffusion.t_min"));
        if (p.name().equals("ve") && c.getDouble("diffusion.sigma_min") >= c.getDouble("diffusion.sigma_max")) {
            throw new BadInputException("diffusion.sigma_min=" + c.getDouble("diffusion.sigma_min") + " is not below"
                    + " diffusion.sigma_max=" + c.getDouble("diffusion.sigma_max") + "; allowed: sigma_min < sigma_max");
        }
        if (!p.name().equals("ve") && c.getDouble("diffusion.beta_min") > c.getDouble("diffusion.beta_max")) {
            throw new BadInputException("diffusion.beta_min=" + c.getDouble("diffusion.beta_min") + " is above"
                    + " diffusion.beta_max=" + c.getDouble("diffusion.beta_max") + "; allowed: beta_min <= beta_max");
        }
        return scoreMethod("score", c, data, p, Target.byKey(c.getString("diffusion.target")),
                Target.Weighting.byKey(c.getString("diffusion.weighting")));
    }

    static ScoreMethod edm(Config c, Dataset data) {
        // the keys' defaults (vp, eps, simple) stand for "unset": a saved run's config no longer tells them apart
        Map<String, String> unset = Map.of("diffusion.process", "vp", "diffusion.target", "eps", "diffusion.weighting",
                "simple");
        for (String key : List.of("diffusion.process", "diffusion.target", "diffusion.weighting")) {
            if (!c.getString(key).equals(unset.get(key))) {
                throw new BadInputException(key + "=" + c.getString(key) + " is for method=score; method=edm fixes"
                        + " EDM's process (sigma(t) = t), target (edm) and weighting (edm); allowed: leave it unset, or use"
                        + " method=score");
            }
        }
        if (c.getDouble("edm.sigma_min") >= c.getDouble("edm.sigma_max")) {
            throw new BadInputException("edm.sigma_min=" + c.getDouble("edm.sigma_min") + " is not below"
                    + " edm.sigma_max=" + c.getDouble("edm.sigma_max") + "; allowed: sigma_min < sigma_max");
        }
        return scoreMethod("edm", c, data, Process.edm(c.getDouble("edm.sigma_min"), c.getDouble("edm.sigma_max")),
                Target.EDM, Target.Weighting.EDM);
    }

    private static ScoreMethod scoreMethod(String name, Config c, Dataset data, Process p, Target target,
            Target.Weighting weighting) {
        String cond = c.getString("model.condition");
        if (cond.equals("concat")) {
            throw new BadInputException("model.condition=concat is for method=gan; method=" + name + " takes embed (a"
                    + " class embedding added to the time embedding)");
        }
        int classes = Setup.conditionClasses(c, data);
        List<String> own = ScoreMethod.PROCEDURES.stream().map(io.ganflow.train.SamplingProcedure::name).toList();
        String sampler = sampler(c, name, "heun", own);
        VelocityModel f = net(c, data, "init", classes);
        Optional<Ema> ema = c.getDouble("diffusion.ema") == 0 ? Optional.empty()
                : Optional.of(new Ema(f, net(c, data, "ema", classes), c.getDouble("diffusion.ema")));
        return new ScoreMethod(name, f, Setup.optimizer(c, "d").create(f.parameters()), ema, p, target,
                weighting,
                data.shape(), new ScoreMethod.Settings(c.getDouble("diffusion.sigma_data"), c.getDouble("edm.p_mean"),
                        c.getDouble("edm.p_std"), sampler, c.getInt("diffusion.sample_steps"),
                        c.getDouble("diffusion.rho"), c.getDouble("diffusion.s_churn"), c.getDouble("diffusion.snr"),
                        c.getInt("diffusion.corrector"), c.getDouble("diffusion.langevin_step"),
                        c.getInt("diffusion.per_level")), new ScoreMethod.Conditioning(classes,
                        c.getDouble("diffusion.p_uncond"), c.getDouble("diffusion.guidance")));
    }

    /** The score net: the velocity net, with a class embedding added to its time embedding when conditional. */
    private static VelocityModel net(Config c, Dataset data, String stream, int classes) {
        VelocityModel v = Setup.velocityNet(c, data, Rng.derived(c.getLong("train.seed"), stream));
        if (classes == 0) {
            return v;
        }
        if (!(v instanceof io.ganflow.nn.EmbeddedField vn)) {
            throw new BadInputException("model.condition=embed needs a net with a time embedding to add the class to"
                    + " (mlp, unet); model.v.kind=" + c.getString("model.v.kind"));
        }
        return new io.ganflow.nn.LabelledVelocityNet(vn, classes, Rng.derived(c.getLong("train.seed"), stream
                + ".labels"));
    }
}
