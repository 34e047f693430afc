package io.quire.cli;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.VerifyReport;
import io.quire.core.merkle.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"A tour in one command: create the ledger in --dir if there is none, append three",
                "entries to the stream 'demo', read them back, verify the whole ledger and print a",
                "signed checkpoint. Safe to run again: the entries carry fixed ids, so a second run",
                "finds them already there and appends nothing."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire demo", "  quire --dir /tmp/q demo && quire --dir /tmp/q read demo --json"})
final class DemoCommand extends BaseCommand {

    @Mixin LedgerFlags ledgerFlags;

    static final String STREAM = "demo";

    @Override
    public Integer call() {
        Path dir = dir();
        if (!Files.exists(dir.resolve("QUIRE"))) {
            Ledger.init(dir);
            println("1. created a ledger at " + dir.toAbsolutePath().normalize());
        } else {
            println("1. using the ledger at " + dir.toAbsolutePath().normalize());
        }
        try (Ledger ledger = open()) {
            long before = ledger.size();
            java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
            List<Draft> drafts = List.of(
                    new Draft("demo-1", "greeting", Entry.sortedCopy(Map.of("lang", "en")), "hello, ledger".getBytes(utf8)),
                    new Draft("demo-2", "order", Entry.sortedCopy(Map.of("source", "demo")), "{\"item\":\"book\",\"qty\":2}".getBytes(utf8)),
                    new Draft("demo-3", "order", Entry.sortedCopy(Map.of("source", "demo")), "{\"item\":\"pen\",\"qty\":10}".getBytes(utf8)));
            println("2. appended to stream '" + STREAM + "' (seq position hash), each durable before it is printed:");
            for (Draft d : drafts) println("   " + Text.appendedLine(ledger.append(STREAM, d)));
            long added = ledger.size() - before;
            if (added == 0) println("   (all three ids were already there: appends are idempotent, nothing was written)");
            println("3. read back (seq position id key payload):");
            for (Entry e : ledger.read(STREAM, 0, 0, null)) println("   " + Text.entryLine(e));
            VerifyReport r = ledger.verify(io.quire.core.ProgressListener.NONE, false);
            if (!r.ok()) {
                VerifyReport.Failure f = r.failures().getFirst();
                throw new io.quire.core.QuireException(io.quire.core.ErrorKind.INTEGRITY,
                        "verify failed: " + f.region() + ": " + f.message(), f.where());
            }
            println("4. verified " + r.entries() + " entries in " + r.streams() + " streams: every checksum, hash and chain link holds");
            Checkpoint c = ledger.checkpoint();
            println("5. signed checkpoint (keep it; 'quire verify-proof' checks proofs against it):");
            for (String line : c.encode().split("\n")) println("   " + line);
        }
        println("next, try: quire read demo --json; quire streams; quire prove 0; quire verify");
        return ExitCodes.OK;
    }
}
