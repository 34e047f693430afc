package io.quire.cli;

import io.quire.core.ErrorKind;

/**
 * The exit codes of {@code quire}, documented in docs/CLI.md. 1..5 are
 * {@link ErrorKind#exitCode()}; 70 (EX_SOFTWARE of sysexits.h) is a bug in Quire itself.
 */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    public static final int USAGE = ErrorKind.INVALID_INPUT.exitCode();
    public static final int INTEGRITY = ErrorKind.INTEGRITY.exitCode();
    public static final int NOT_FOUND = ErrorKind.NOT_FOUND.exitCode();
    public static final int CONFLICT = ErrorKind.CONFLICT.exitCode();
    public static final int IO = ErrorKind.IO.exitCode();
    public static final int INTERNAL = 70;

    static {
        // The usage code must equal picocli's parameter-error code we configure, and the ledger's
        // kinds must stay 1..5 so 70 can never be mistaken for one of them.
        for (ErrorKind k : ErrorKind.values()) {
            if (k.exitCode() < 1 || k.exitCode() > 5) {
                throw new ExceptionInInitializerError("bad exit code " + k.exitCode() + " for " + k);
            }
        }
    }
}
