package io.ganflow.gan;

import io.ganflow.nn.ConditionalModule;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Which code computes a {@link GanMethod}'s gradients, chosen once from the nets, the regularizers and the
 * switches, so that each update has one branch:
 * <ul>
 *   <li>{@link Critic#WRITTEN} / {@link #writtenGenerator}: the written-out ReLU-MLP updates
 *       ({@link ReluMlpGradients}), for a plain ReLU MLP generator and critic with at most one gradient penalty,
 *       no instance noise, no labels, an objective whose generator loss reads generated outputs only, in
 *       float32;</li>
 *   <li>{@link Critic#JOINT}: autograd over one critic pass on [real; fake], for a critic whose output for a row
 *       depends on that row alone ({@link #rowwise});</li>
 *   <li>{@link Critic#SEPARATE}: autograd over two critic passes (every other critic).</li>
 * </ul>
 * The switches, each to measure or check one path against autograd's: {@code -Dganflow.gan.written_backward=false},
 * {@code -Dganflow.gan.joint_critic_pass=false}, and {@code -Dganflow.gp.fast=false} (the penalty through
 * autograd's double backward, which also sends the written-out updates back to autograd).
 */
final class UpdatePaths {
    /** How a critic update is computed. */
    enum Critic { WRITTEN, JOINT, SEPARATE }

    /** -Dganflow.gan.joint_critic_pass=false turns the joint pass off (to measure it). */
    private static final boolean JOINT_PASS = Boolean.parseBoolean(System.getProperty("ganflow.gan.joint_critic_pass",
            "true"));

    private final boolean joint;
    final ReluMlpGradients writtenCritic;
    final ReluMlpGradients writtenGenerator;
    final GradientPenalty writtenPenalty;

    private UpdatePaths(boolean joint, ReluMlpGradients d, ReluMlpGradients g, GradientPenalty penalty) {
        this.joint = joint;
        this.writtenCritic = d;
        this.writtenGenerator = g;
        this.writtenPenalty = penalty;
    }

    /**
     * The paths for these nets and terms; {@code allowJoint} and {@code allowWritten} are the builder's own
     * switches (tests pin one path with them).
     */
    static UpdatePaths choose(Module generator, Module critic, Objective objective, List<Regularizer> regularizers,
            boolean noise, boolean allowJoint, boolean allowWritten) {
        boolean joint = allowJoint && JOINT_PASS && rowwise(critic);
        ReluMlpGradients d = ReluMlpGradients.of(critic);
        ReluMlpGradients g = ReluMlpGradients.of(generator);
        boolean written = allowWritten && ReluMlpGradients.ENABLED && !noise && d != null && g != null
                && !objective.generatorNeedsReal()
                && !(critic instanceof ConditionalModule) && !(generator instanceof ConditionalModule)
                && d.hidden() >= 1 && g.hidden() >= 1 && d.weight(d.hidden()).size(0) == 1
                && regularizers.size() <= 1 && regularizers.stream().allMatch(r -> r instanceof GradientPenalty)
                // -Dganflow.gp.fast=false asks for the penalty through autograd's double backward: so be it
                && (regularizers.isEmpty() || GradientPenalty.skipsZeroGradients(critic));
        return written ? new UpdatePaths(joint, d, g, regularizers.isEmpty() ? null : (GradientPenalty) regularizers.get(0))
                : new UpdatePaths(joint, null, null, null);
    }

    /**
     * The path of a critic update on this batch. The written-out updates take float32 flat samples without labels;
     * a labelled batch on a method that chose them is refused (they would differentiate the penalty through the
     * label columns of a critic fed [x, onehot(y)]).
     */
    Critic critic(Tensor real, boolean labelled) {
        if (writtenCritic != null && labelled) {
            throw new IllegalArgumentException("the written-out ReLU-MLP updates take no class labels; a conditional"
                    + " critic must be a ConditionalModule (io.ganflow.nn.LabelConcat for input concatenation)");
        }
        if (writtenCritic != null && real.dim() == 2 && ReluMlpGradients.applicableNow()) {
            return Critic.WRITTEN;
        }
        return joint ? Critic.JOINT : Critic.SEPARATE;
    }

    /** Whether a generator update takes the written-out gradients now (float32). */
    boolean writtenGenerator() {
        return writtenGenerator != null && ReluMlpGradients.applicableNow();
    }

    /** True if the updates take the written-out gradients in float32. */
    boolean writes() {
        return writtenCritic != null;
    }

    /**
     * True if the critic is a plain MLP, whose output for one row depends on that row alone and whose forward
     * pass has no side effect: not batch normalisation or minibatch features (they see the batch), not spectral
     * normalisation (each forward pass advances its power iteration) nor virtual batch normalisation. Those
     * add buffers or parameters, so a plain MLP has exactly layer&lt;i&gt;.weight and .bias and no buffer.
     */
    static boolean rowwise(Module critic) {
        return critic instanceof Mlp mlp && !mlp.batchNorm() && mlp.buffers().isEmpty()
                && mlp.parameters().size() == 2 * (mlp.depth() + 1);
    }
}
