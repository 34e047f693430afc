package io.quire.cli;

import io.quire.core.Ledger;
import io.quire.core.QuireException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** What every command shares: the root's {@link Io} and directory, and opening the ledger. */
abstract class BaseCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    QuireCli root() { return (QuireCli) spec.root().userObject(); }

    Io io() { return root().io(); }

    PrintStream out() { return io().out(); }

    Path dir() { return root().dir(); }

    private LedgerSettings settings;

    /**
     * The flags of {@link LedgerFlags} if this command mixes them in, else none given. Found
     * among the mixins so a command only has to declare {@code @Mixin LedgerFlags}.
     */
    LedgerFlags flags() {
        for (CommandSpec m : spec.mixins().values()) {
            if (m.userObject() instanceof LedgerFlags f) return f;
        }
        return LedgerFlags.NONE;
    }

    /**
     * The ledger options resolved for {@link #dir()}: flags > $QUIRE_* > quire.yaml > defaults.
     * A bad value in any source is exit 1 naming it, before anything is opened or written.
     */
    LedgerSettings settings() {
        if (settings == null) settings = LedgerSettings.resolve(dir(), flags().given(), io().env()::get);
        return settings;
    }

    /** Opens the ledger to write, or NOT_FOUND with advice when there is none. */
    Ledger open() { return open(false); }

    /**
     * Opens the ledger read-only: a shared open that neither takes the writer's lock nor
     * changes anything, for commands that only read.
     */
    Ledger openReadOnly() { return open(true); }

    private Ledger open(boolean readOnly) {
        Path dir = dir();
        if (!Files.isDirectory(dir)) {
            throw QuireException.notFound("no ledger at " + dir
                    + " (create one with 'quire init', or pass --dir DIR or set QUIRE_DIR)");
        }
        return Ledger.open(dir, settings().options().withReadOnly(readOnly));
    }

    /**
     * Runs a core validation of a command-line argument; its INVALID_INPUT becomes a usage error
     * naming the argument ({@code STREAM: stream name must not be empty}), exit 1 with the hint.
     */
    static void checkArg(String name, Runnable check) {
        try {
            check.run();
        } catch (QuireException e) {
            if (e.kind() != io.quire.core.ErrorKind.INVALID_INPUT) throw e;
            throw new CliUsageException(name + ": " + e.reason());
        }
    }

    static void checkStream(String stream) {
        checkArg("STREAM", () -> io.quire.core.Draft.validateStreamName(stream));
    }

    static void checkKey(String key) {
        if (key != null) checkArg("--key", () -> io.quire.core.Draft.validateKey(key));
    }

    /** Prints a line and flushes at once, so a reader of a pipe sees it immediately. */
    void println(String s) {
        out().println(s);
        out().flush();
    }
}
