package io.ganflow.train;

import io.ganflow.nn.StateDict;
import java.nio.file.Path;
import java.util.Map;

/**
 * A saved training state.
 *
 * @param file where it was read from
 * @param step the number of completed steps
 * @param meta provenance and bookkeeping: config, versions, seed, elapsed seconds
 * @param state the method's tensors and values, plus the trainer's RNG state
 */
public record Checkpoint(Path file, long step, Map<String, Object> meta, StateDict state) {}
