package io.ganflow.train.dist;

import io.ganflow.BadInputException;
import java.nio.file.Path;

/**
 * Where the processes of a data-parallel job find each other: a c10d {@code TCPStore} served by rank 0 at
 * HOST:PORT ({@code --master}), or a c10d {@code FileStore} at a path every process can reach
 * ({@code --rendezvous file:PATH}).
 *
 * @param host the master's host name or address (TCP), or null
 * @param port the master's port (TCP)
 * @param file the store file (file rendezvous), or null
 */
public record Rendezvous(String host, int port, Path file) {

    /** Parses {@code file:PATH} or {@code HOST:PORT}; {@code flag} names the option in the error message. */
    public static Rendezvous parse(String flag, String value) {
        if (value.startsWith("file:")) {
            String p = value.substring("file:".length());
            if (p.isBlank()) {
                throw new BadInputException(flag + " " + value + ": give a file path after 'file:'");
            }
            return new Rendezvous(null, 0, Path.of(p).toAbsolutePath());
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new BadInputException(flag + " " + value + ": expected HOST:PORT (e.g. 10.0.0.1:29500) or file:PATH");
        }
        String host = value.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new BadInputException(flag + " " + value + ": the port must be an integer in [1, 65535]");
        }
        return new Rendezvous(host, port, null);
    }

    public boolean isFile() {
        return file != null;
    }

    /** True when every process runs on this host (a loopback master, or the launcher's file store). */
    public boolean loopback() {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
    }

    @Override
    public String toString() {
        return isFile() ? "file:" + file : host + ":" + port;
    }
}
