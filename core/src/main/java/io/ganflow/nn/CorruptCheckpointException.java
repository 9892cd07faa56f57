package io.ganflow.nn;

import io.ganflow.BadInputException;

/** A checkpoint file that fails its checksum or cannot be parsed. It is never loaded. */
public final class CorruptCheckpointException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public CorruptCheckpointException(String message) {
        super(message);
    }
}
