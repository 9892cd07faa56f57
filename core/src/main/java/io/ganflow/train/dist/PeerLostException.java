package io.ganflow.train.dist;

/**
 * A data-parallel collective failed: another process died, was stopped, or did not answer within the group's
 * timeout. The message is one line naming this rank, the step and the cause; the command line prints it without
 * a stack trace and exits with code 1. Checkpoints already written are intact (they are written atomically).
 */
public final class PeerLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PeerLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
