package io.quire.cli;

import io.quire.core.QuireException;
import io.quire.core.Where;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code quire} command. Wiring only: options shared by every command ({@code --dir},
 * {@code --debug}), the subcommands, and the one place where failures become exit codes and
 * one-line messages on stderr (docs/CLI.md, "Exit codes").
 *
 * <p>Run in-process with {@link #run(Io, String...)}; {@link #main} is the process entry point.
 */
@Command(name = "quire",
        mixinStandardHelpOptions = true,
        versionProvider = QuireCli.Version.class,
        description = {"Quire: a durable, verifiable ledger of append-only streams.",
                "Every entry is hash-chained in its stream and a leaf of one signed Merkle tree."},
        subcommands = {
                InitCommand.class, AppendCommand.class, ReadCommand.class, StreamsCommand.class,
                WatchCommand.class, CheckpointCommand.class, ProveCommand.class, VerifyProofCommand.class,
                VerifyCommand.class, SnapshotCommand.class, LoadCommand.class, BlobCommand.class,
                BackupCommand.class, RestoreCommand.class, RepairCommand.class, StatusCommand.class,
                ConfigCommand.class, ServeCommand.class, ContextCommand.class, CalendarCommand.class, WindowsCommand.class,
                DemoCommand.class, CompletionCommand.class,
                WindowCommand.class, TailCommand.class, ClearCommand.class, RegionCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0 ok, 1 usage or invalid input, 2 integrity failure, 3 not found,",
                "  4 refused or conflict, 5 I/O error, 70 internal error (a bug: please report it).",
                "",
                "Environment:",
                "  QUIRE_DIR                  ledger directory when --dir is not given (default ./ledger.state)",
                "  QUIRE_DURABILITY, QUIRE_SEGMENT_BYTES, QUIRE_WATCHERS_PER_STREAM",
                "                             ledger settings below their flags, above quire.yaml ('quire config')",
                "",
                "Examples:",
                "  quire demo                                  # init, append, read, verify, checkpoint",
                "  echo hello | quire append orders            # prints: <seq> <position> <hash>",
                "  quire read orders --json                    # JSON Lines, one entry per line",
                "  quire --dir /var/lib/quire verify           # exit 2 names file, offset, stream, seq"})
public final class QuireCli implements java.util.concurrent.Callable<Integer> {

    /** The directory used when neither --dir nor QUIRE_DIR is given. */
    public static final String DIR_DEFAULT = "./ledger.state";
    /** The environment variable that names the ledger directory. */
    public static final String DIR_ENV = "QUIRE_DIR";

    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Ledger directory. Default: $QUIRE_DIR if set, else " + DIR_DEFAULT + ".")
    Path dirOption;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an error, also print the stack trace (for bug reports). Default: off.")
    boolean debug;

    /** Width of --help text: wide enough that the footers' examples never wrap. */
    static final int USAGE_WIDTH_CHARS = 100;

    private final Io io;

    QuireCli(Io io) { this.io = io; }

    Io io() { return io; }

    /** The ledger directory: --dir, else $QUIRE_DIR, else ./ledger.state. */
    Path dir() {
        if (dirOption != null) return dirOption;
        String env = io.env().get(DIR_ENV);
        return Path.of(env == null || env.isBlank() ? DIR_DEFAULT : env);
    }

    /** {@code quire} alone: the usage on stderr and exit 1, as for any other incomplete command. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return ExitCodes.USAGE;
    }

    public static void main(String[] args) {
        Io io = Io.system();
        int code = run(io, args);
        io.out().flush();
        io.err().flush();
        System.exit(code);
    }

    /** Runs one command line against {@code io} and returns the exit code. Never throws. */
    public static int run(Io io, String... args) {
        QuireCli app = new QuireCli(io);
        CommandLine cl = commandLine(app);
        int code = cl.execute(args);
        io.out().flush();
        io.err().flush();
        return code;
    }

    /** The configured picocli command line (also used by {@code completion} and the tests). */
    static CommandLine commandLine(QuireCli app) {
        CommandLine cl = new CommandLine(app);
        cl.setUsageHelpWidth(USAGE_WIDTH_CHARS);
        cl.setOut(new PrintWriter(app.io.out(), true, java.nio.charset.StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(app.io.err(), true, java.nio.charset.StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler(QuireCli::onParameterError);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> app.onFailure(ex, cmd));
        return cl;
    }

    /** A command line picocli could not parse: one line naming the problem, the hint, exit 1. */
    private static int onParameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("quire: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * Any failure of a running command: one line {@code quire: <message>} on stderr (or a JSON
     * object with {@code --json}), the exit code of its kind, and a stack trace only with
     * {@code --debug}. An exception that is not one of ours is a bug: exit 70 with a short id.
     */
    int onFailure(Exception ex, CommandLine cmd) {
        Throwable t = unwrap(ex);
        boolean json = cmd.getCommand() instanceof JsonOutput j && j.json();
        String message;
        String kind;
        String reason = null;
        Where where = Where.NOWHERE;
        int code;
        boolean hint = false;
        if (t instanceof QuireException q) {
            message = q.getMessage();
            kind = q.kind().name();
            reason = q.code();
            where = q.where();
            code = q.kind().exitCode();
        } else if (t instanceof CliUsageException u) {
            message = u.getMessage();
            kind = "INVALID_INPUT";
            code = ExitCodes.USAGE;
            hint = true;
        } else if (t instanceof IOException || t instanceof UncheckedIOException) {
            IOException ioe = t instanceof UncheckedIOException u ? u.getCause() : (IOException) t;
            // Our own wrappers carry a message saying what we were doing; a bare wrapper's message
            // is just the cause's toString, which names a Java class rather than the problem.
            String context = t instanceof UncheckedIOException u && u.getMessage() != null
                    && !u.getMessage().equals(ioe.toString()) ? u.getMessage() : null;
            switch (ioe) {
                case NoSuchFileException n -> { message = or(context, "no such file: " + n.getFile()); kind = "NOT_FOUND"; code = ExitCodes.NOT_FOUND; }
                case FileAlreadyExistsException f -> { message = or(context, "already exists: " + f.getFile()); kind = "CONFLICT"; code = ExitCodes.CONFLICT; }
                case DirectoryNotEmptyException d -> { message = or(context, "directory is not empty: " + d.getFile()); kind = "CONFLICT"; code = ExitCodes.CONFLICT; }
                case AccessDeniedException a -> { message = or(context, "permission denied: " + a.getFile()); kind = "IO"; code = ExitCodes.IO; }
                default -> { message = context != null ? context : "I/O error: " + ioe.getMessage(); kind = "IO"; code = ExitCodes.IO; }
            }
        } else {
            String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            message = "internal error " + id + ": " + t + " (a bug in quire; rerun with --debug and report it with this id)";
            kind = "INTERNAL";
            code = ExitCodes.INTERNAL;
        }
        PrintWriter err = cmd.getErr();
        err.println(json ? Json.error(message, kind, reason, where) : "quire: " + message);
        if (hint) err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        if (debug) t.printStackTrace(err);
        err.flush();
        return code;
    }

    private static String or(String preferred, String fallback) { return preferred != null ? preferred : fallback; }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** {@code quire --version}: the build's version and the Java running it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = QuireCli.class.getPackage().getImplementationVersion();
            return new String[] {
                    "quire " + (v == null ? "(development build)" : v),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"};
        }
    }
}
