package io.quire.core;

/** The closed set of failure kinds, each with the CLI exit code it maps to (docs/CLI.md). */
public enum ErrorKind {
    /** The caller's input is malformed or over a limit. Nothing was written. */
    INVALID_INPUT(1),
    /** A stored byte does not match its checksum, hash, chain link or signature. */
    INTEGRITY(2),
    /** A stream, position, blob or file that was asked for does not exist. */
    NOT_FOUND(3),
    /** Refused: divergent history, id reused with another payload, already exists, limit reached. */
    CONFLICT(4),
    /** The operating system failed a read, write, fsync or rename (disk full, permissions). */
    IO(5);

    private final int exitCode;

    ErrorKind(int exitCode) { this.exitCode = exitCode; }

    public int exitCode() { return exitCode; }
}
