package io.quire.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Everything the CLI touches outside the ledger: standard streams, the environment and whether
 * stderr is a terminal. {@link QuireCli#main} passes the real ones; tests pass captured ones, so
 * no command reads {@code System.in/out/err} or {@code System.getenv} directly.
 *
 * @param in          stdin (append payloads, {@code blob put -})
 * @param out         stdout: data only (entries, digests, checkpoints)
 * @param err         stderr: errors, warnings and progress bars
 * @param env         environment variables ({@code QUIRE_DIR})
 * @param interactive true when stderr is a terminal, so progress bars are drawn
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean interactive) {

    /** The process's own streams and environment. */
    public static Io system() {
        java.io.Console c = System.console();
        boolean tty = c != null && c.isTerminal();
        return new Io(System.in,
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8),
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8),
                System.getenv(), tty);
    }
}
