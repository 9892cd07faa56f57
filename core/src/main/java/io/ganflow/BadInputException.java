package io.ganflow;

/**
 * Input the user can fix: a config key or value, a file, a path. The message is one line that names the
 * key or file, the offending value and what is allowed. The command line prints it without a stack trace
 * and exits with code 2.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
