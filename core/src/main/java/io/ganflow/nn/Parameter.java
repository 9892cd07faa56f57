package io.ganflow.nn;

import org.bytedeco.pytorch.Tensor;

/** A named trainable tensor. The tensor is a leaf that records gradients; optimisers update it in place. */
public record Parameter(String name, Tensor value) {}
