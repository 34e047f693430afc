package io.quire.cli;

import io.quire.api.context.v1.LoadResponse;
import io.quire.context.ContextLimits;
import io.quire.core.QuireException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send snapshot FILE to the server to load into CONTEXT. The server verifies it whole first;",
                "into an empty context it restores exactly, into a prefix it appends the missing suffix;",
                "a divergent context is refused (FAILED_PRECONDITION, exit 4), a corrupt snapshot is",
                "INVALID_ARGUMENT (exit 1). Nothing is written by a refused load.",
                "Prints: loaded N entries into CONTEXT; it is now at sequence M."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire context load run-42-copy run-42.snap",
                "  quire context load run-42 run-42.snap --fail-if-exists --json"})
final class ContextLoadCommand extends ContextBase {

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "Context id.")
    String context;

    @Parameters(index = "1", paramLabel = "FILE",
            description = "Snapshot file ('-' for stdin), at most " + ContextLimits.SNAPSHOT_BYTES_MAX + " bytes (SNAPSHOT_BYTES_MAX).")
    Path file;

    @Option(names = "--fail-if-exists", description = "Refuse (ALREADY_EXISTS, exit 4) if CONTEXT has entries. Default: off.")
    boolean failIfExists;

    @Override
    public Integer call() {
        server.check(io().env());
        byte[] bytes = read();
        LoadResponse r = withClient(c -> c.load(context, bytes, failIfExists));
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("context_id", context);
            m.put("entries_restored", r.getEntriesRestored());
            m.put("latest_sequence", r.getLatestSequence());
            println(Json.line(m));
        } else {
            println("loaded " + r.getEntriesRestored() + " entries into " + context + "; it is now at sequence " + r.getLatestSequence());
        }
        return ExitCodes.OK;
    }

    /** The whole file, refused before anything is sent when it is missing or over the limit. */
    private byte[] read() {
        boolean stdin = file.toString().equals("-");
        if (!stdin && !Files.isRegularFile(file)) throw new UncheckedIOException(new NoSuchFileException(file.toString()));
        try (InputStream in = stdin ? io().in() : Files.newInputStream(file)) {
            byte[] b = in.readNBytes(ContextLimits.SNAPSHOT_BYTES_MAX + 1);
            if (b.length > ContextLimits.SNAPSHOT_BYTES_MAX) {
                throw QuireException.invalid((stdin ? "stdin" : file.toString()) + " is over " + ContextLimits.SNAPSHOT_BYTES_MAX
                        + " bytes (SNAPSHOT_BYTES_MAX); nothing was sent (load it with 'quire load' on the server)");
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
