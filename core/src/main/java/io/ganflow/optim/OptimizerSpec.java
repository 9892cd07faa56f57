package io.ganflow.optim;

import io.ganflow.nn.Parameter;
import java.util.List;

/**
 * An optimiser's name and hyper-parameters, with PyTorch's meanings.
 *
 * @param name adam, rmsprop or sgd
 * @param lr learning rate
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param eps added to the denominator (Adam, RMSProp)
 * @param weightDecay L2 penalty added to the gradient
 * @param momentum RMSProp and SGD momentum
 * @param alpha RMSProp's smoothing constant
 * @param nesterov SGD Nesterov momentum
 * @param centered RMSProp centred variant
 */
public record OptimizerSpec(String name, double lr, double beta1, double beta2, double eps, double weightDecay,
        double momentum, double alpha, boolean nesterov, boolean centered) {

    public static final List<String> NAMES = List.of("adam", "rmsprop", "sgd");

    public static OptimizerSpec adam(double lr, double beta1, double beta2) {
        return new OptimizerSpec("adam", lr, beta1, beta2, 1e-8, 0, 0, 0.99, false, false);
    }

    public static OptimizerSpec rmsprop(double lr) {
        return new OptimizerSpec("rmsprop", lr, 0.9, 0.999, 1e-8, 0, 0, 0.99, false, false);
    }

    public static OptimizerSpec sgd(double lr, double momentum) {
        return new OptimizerSpec("sgd", lr, 0.9, 0.999, 1e-8, 0, momentum, 0.99, false, false);
    }

    public OptimizerSpec withLr(double newLr) {
        return new OptimizerSpec(name, newLr, beta1, beta2, eps, weightDecay, momentum, alpha, nesterov, centered);
    }

    public Optimizer create(List<Parameter> params) {
        switch (name) {
            case "adam":
                return new Adam(params, this);
            case "rmsprop":
                return new RmsProp(params, this);
            case "sgd":
                return new Sgd(params, this);
            default:
                throw new IllegalArgumentException("unknown optimiser " + name + "; allowed: " + NAMES);
        }
    }
}
