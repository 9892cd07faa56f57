package io.ganflow.train;

import io.ganflow.engine.Device;
import io.ganflow.engine.Ops;
import io.ganflow.nn.Module;
import io.ganflow.optim.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;

/** Moving a method's whole training state to a device. */
public final class Placement {
    private Placement() {}

    /**
     * Moves every network's parameters and buffers, every optimiser's state and the method's own state tensors to
     * {@code device}, in place: each Java tensor is re-pointed at its copy on the device (C++ assignment), so the
     * objects that the method, its networks, its optimisers and a checkpoint hold are the same ones, now on the
     * device. Call it before anything native holds them (a fused optimiser builds its argument lists at its first
     * step). Networks are built on the host from the host generator, so a run starts from the same weights on
     * every device. (PyTorch's {@code Module.to} uses {@code set_data}, which refuses the meta device that
     * DevicePlacementTest trains on.)
     */
    public static void moveState(Method method, Device device) {
        moveTensors(stateOf(method), device);
    }

    /** Moves a network's parameters and buffers to {@code device} in place (a fixed network outside a method's). */
    public static void moveModule(Module m, Device device) {
        moveTensors(tensorsOf(List.of(m)), device);
    }

    /** Re-points each tensor at its copy on {@code device} (see {@link #moveState}); leaves keep requiring grad. */
    public static void moveTensors(List<Tensor> all, Device device) {
        repoint(all, t -> Device.of(t) != device, t -> t.to(device.torch(), t.scalar_type()));
    }

    /** A method's whole state: its optimisers' parameters and state, its networks' tensors, its own state. */
    static List<Tensor> stateOf(Method method) {
        List<Tensor> all = new ArrayList<>();
        for (Optimizer o : method.optimizers().values()) {
            o.parameters().forEach(p -> all.add(p.value()));
            all.addAll(o.stateTensors());
        }
        all.addAll(tensorsOf(modulesOf(method)));
        all.addAll(method.stateTensors());
        return all;
    }

    /** The method's networks and its trainable generator and critic (which may repeat one of them). */
    static List<Module> modulesOf(Method method) {
        List<Module> modules = new ArrayList<>(method.networks().values());
        method.trainable("generator").ifPresent(modules::add);
        method.trainable("critic").ifPresent(modules::add);
        return modules;
    }

    private static List<Tensor> tensorsOf(List<Module> modules) {
        List<Tensor> all = new ArrayList<>();
        for (Module m : modules) {
            m.parameters().forEach(p -> all.add(p.value()));
            m.buffers().forEach(b -> all.add(b.value()));
        }
        return all;
    }

    /**
     * Re-points every distinct tensor that {@code which} selects at {@code copy} of it, in place (C++ assignment:
     * every Java holder of the tensor sees the copy), under no-grad; a leaf that required gradients still does.
     */
    static void repoint(List<Tensor> all, java.util.function.Predicate<Tensor> which,
            java.util.function.UnaryOperator<Tensor> copy) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Ops.noGrad(() -> {
            for (Tensor t : all) {
                if (seen.add(t) && which.test(t)) {
                    boolean leaf = t.requires_grad();
                    t.put(copy.apply(t));
                    if (leaf) {
                        t.set_requires_grad(true);
                    }
                }
            }
        });
    }
}
