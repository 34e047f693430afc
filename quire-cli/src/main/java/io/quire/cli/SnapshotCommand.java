package io.quire.cli;

import io.quire.core.Draft;
import io.quire.core.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Write a portable, verifiable snapshot of STREAM (every entry with its hashes, the",
                "stream's Merkle root and a checkpoint) to FILE. Load it with 'quire load'.",
                "The file appears whole or not at all. A stream never written is NOT_FOUND (exit 3)."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire snapshot ctx/run-42 -o run-42.snap",
                "  quire --dir other.state load ctx/run-42 run-42.snap"})
final class SnapshotCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream to snapshot.")
    String stream;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "Snapshot file to write (binary; '-' for stdout). Required.")
    Path output;

    @Override
    public Integer call() {
        checkStream(stream);
        try (Ledger ledger = openReadOnly()) {
            if (output.toString().equals("-")) {
                ledger.snapshot(stream, out());
                out().flush();
            } else {
                AtomicFiles.write(output, o -> ledger.snapshot(stream, o));
                io().err().println("wrote snapshot of " + stream + " to " + output);
            }
        }
        return ExitCodes.OK;
    }
}
