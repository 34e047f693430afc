package io.quire.cli;

import io.quire.core.Draft;
import io.quire.core.Ledger;
import io.quire.core.LoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify a snapshot FILE completely, then load it into STREAM:",
                "  into an empty stream it restores every entry exactly;",
                "  into a stream whose entries are a prefix of the snapshot it appends the rest;",
                "  a stream that diverges from the snapshot is refused (exit 4), nothing written.",
                "Loading under another stream name re-chains the entries (same seqs, new hashes)."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire load ctx/run-42 run-42.snap",
                "  quire load ctx/run-42-copy run-42.snap --fail-if-exists"})
final class LoadCommand extends BaseCommand implements JsonOutput {

    @Mixin LedgerFlags ledgerFlags;

    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream to load into.")
    String stream;

    @Parameters(index = "1", paramLabel = "FILE", description = "Snapshot file from 'quire snapshot' ('-' for stdin).")
    Path file;

    @Option(names = "--fail-if-exists", description = "Refuse (exit 4) if STREAM already has entries. Default: off.")
    boolean failIfExists;

    @Option(names = "--json", description = "Print {\"stream\",\"entries_restored\",\"latest_seq\"}. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        checkStream(stream);
        boolean stdin = file.toString().equals("-");
        if (!stdin && !Files.isRegularFile(file)) {
            throw new UncheckedIOException(new java.nio.file.NoSuchFileException(file.toString()));
        }
        LoadResult r;
        try (Ledger ledger = open();
             InputStream in = stdin ? io().in() : Files.newInputStream(file)) {
            r = ledger.load(stream, in, failIfExists);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stream", stream);
            m.put("entries_restored", r.entriesRestored());
            m.put("latest_seq", r.latestSeq());
            println(Json.line(m));
        } else {
            println("loaded " + r.entriesRestored() + " entries into " + stream + "; it is now at seq " + r.latestSeq());
        }
        return ExitCodes.OK;
    }
}
