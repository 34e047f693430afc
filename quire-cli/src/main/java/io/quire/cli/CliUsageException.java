package io.quire.cli;

/**
 * A command line that parsed but makes no sense (two options that exclude each other, a bad
 * line in {@code append --lines}). Exit code 1, like a picocli parameter error, with the usage
 * hint. Nothing has been written when this is thrown unless the message says otherwise.
 */
public final class CliUsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliUsageException(String message) { super(message); }
}
