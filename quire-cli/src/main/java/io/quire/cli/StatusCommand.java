package io.quire.cli;

import io.quire.core.Ledger;
import io.quire.core.RecoveryReport;
import io.quire.core.merkle.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Summarise the ledger: entries, streams, log segments, bytes on disk, the latest",
                "checkpoint, and what opening it had to recover (a torn tail truncated, entries re-indexed)."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire status", "  quire status --json | jq .entries"})
final class StatusCommand extends BaseCommand implements JsonOutput {

    @Option(names = "--json", description = "Print one JSON object: dir, entries, streams, segments, disk_bytes, "
            + "checkpoint_size, recovery. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        try (Ledger ledger = openReadOnly()) {
            Path dir = ledger.dir().toAbsolutePath().normalize();
            long segments = countSegments(dir.resolve("log"));
            long bytes = diskBytes(dir);
            Optional<Checkpoint> cp = ledger.latestCheckpoint();
            RecoveryReport rec = ledger.recovery();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dir", dir.toString());
                m.put("entries", ledger.size());
                m.put("streams", ledger.streams().size());
                m.put("segments", segments);
                m.put("disk_bytes", bytes);
                m.put("checkpoint_size", cp.map(Checkpoint::size).orElse(null));
                m.put("checkpoint_root", cp.map(c -> c.root().hex()).orElse(null));
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("clean_shutdown", rec.cleanShutdown());
                r.put("torn_file", rec.tornFile());
                r.put("torn_offset", rec.tornOffset());
                r.put("torn_bytes", rec.tornBytes());
                r.put("reindexed_entries", rec.reindexedEntries());
                m.put("recovery", r);
                println(Json.line(m));
            } else {
                println("ledger:     " + dir);
                println("entries:    " + ledger.size());
                println("streams:    " + ledger.streams().size());
                println("segments:   " + segments);
                println("disk:       " + Text.bytes(bytes));
                println("checkpoint: " + cp.map(c -> "size " + c.size() + " root " + c.root().hex()).orElse("none yet"));
                println("recovery:   " + rec);
            }
        }
        return ExitCodes.OK;
    }

    private static long countSegments(Path log) {
        if (!Files.isDirectory(log)) return 0;
        try (Stream<Path> s = Files.list(log)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + log + ": " + e.getMessage(), e);
        }
    }

    private static long diskBytes(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // A file removed while walking (a temp file) no longer counts.
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + dir + ": " + e.getMessage(), e);
        }
    }
}
