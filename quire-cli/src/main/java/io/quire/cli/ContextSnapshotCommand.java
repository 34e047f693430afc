package io.quire.cli;

import io.quire.api.context.v1.SnapshotResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "snapshot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fetch the portable snapshot of CONTEXT from the server (docs/FORMAT.md \"Stream snapshot\")",
                "and write it to FILE, which appears whole or not at all. A context never written gives a",
                "valid empty snapshot. Prints a summary on stderr (or the snapshot's fields with --json)."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire context snapshot run-42 -o run-42.snap",
                "  quire context snapshot run-42 -o - > run-42.snap"})
final class ContextSnapshotCommand extends ContextBase {

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "Context id.")
    String context;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "Snapshot file to write (binary; '-' for stdout, then --json is refused). Required.")
    Path output;

    @Override
    public Integer call() {
        server.check(io().env());
        boolean stdout = output.toString().equals("-");
        if (stdout && json) throw new CliUsageException("--json: not with -o - (stdout holds the snapshot)");
        SnapshotResponse r = withClient(c -> c.snapshot(context));
        byte[] bytes = r.getSnapshot().toByteArray();
        if (stdout) {
            out().write(bytes, 0, bytes.length);
            out().flush();
            return ExitCodes.OK;
        }
        AtomicFiles.write(output, o -> o.write(bytes));
        String root = HexFormat.of().formatHex(r.getMerkleRoot().toByteArray());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("context_id", context);
            m.put("file", output.toString());
            m.put("bytes", bytes.length);
            m.put("sequence", r.getSequence());
            m.put("entry_count", r.getMetadata().getEntryCount());
            m.put("version", r.getMetadata().getVersion());
            m.put("created_at_ns", r.getMetadata().getCreatedAtNs());
            m.put("merkle_root", root);
            m.put("checkpoint", r.getCheckpoint());
            println(Json.line(m));
        } else {
            io().err().println("wrote snapshot of " + context + " (" + r.getMetadata().getEntryCount() + " entries, sequence "
                    + r.getSequence() + ", merkle root " + root + ") to " + output);
        }
        return ExitCodes.OK;
    }
}
