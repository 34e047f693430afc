package io.quire.cli;

import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.merkle.ConsistencyProof;
import io.quire.core.merkle.InclusionProof;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "prove", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a Merkle proof (RFC 6962):",
                "  prove POSITION            that the entry at POSITION is in the tree of --size entries;",
                "  prove --consistency OLD NEW   that the tree of NEW entries extends the tree of OLD",
                "                            (history was only appended to, never rewritten).",
                "Check it offline with 'quire verify-proof'."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire checkpoint -o cp.txt && quire prove 41 -o proof.txt",
                "  quire verify-proof proof.txt --checkpoint cp.txt",
                "  quire prove --consistency 1000 2000 -o cons.txt"})
final class ProveCommand extends BaseCommand implements JsonOutput {

    @Parameters(index = "0", arity = "0..1", paramLabel = "POSITION", converter = Converters.NonNegativeLong.class,
            description = "Ledger position (0-based) of the entry to prove, as 'append' prints it.")
    Long position;

    @Option(names = "--size", paramLabel = "N", converter = Converters.NonNegativeLong.class,
            description = "Tree size (entries) to prove against. Default: the size of the latest "
                    + "checkpoint, or the current size if there is none.")
    Long size;

    @Option(names = "--consistency", arity = "2", paramLabel = "OLD NEW", hideParamSyntax = true,
            converter = Converters.NonNegativeLong.class,
            description = "Prove that the tree of NEW entries extends the tree of OLD entries. "
                    + "Default: none (an inclusion proof of POSITION).")
    List<Long> consistency;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the proof text to FILE (atomically) instead of stdout. Default: stdout.")
    Path output;

    @Option(names = "--json", description = "Print the proof as one JSON object (type, sizes, hashes, text). Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        if ((position == null) == (consistency == null)) {
            throw new CliUsageException("give either POSITION or --consistency OLD NEW");
        }
        if (consistency != null && size != null) throw new CliUsageException("--size is only for inclusion proofs");
        try (Ledger ledger = openReadOnly()) {
            if (consistency != null) {
                ConsistencyProof p = ledger.proveConsistency(consistency.get(0), consistency.get(1));
                emit(p.encode(), consistencyJson(p), "consistency proof " + p.oldSize() + " -> " + p.newSize());
            } else {
                long n = size != null ? size : ledger.latestCheckpoint().map(Checkpoint::size).orElse(ledger.size());
                InclusionProof p = ledger.proveInclusion(position, n);
                emit(p.encode(), inclusionJson(p), "inclusion proof of position " + p.index() + " in size " + p.size());
            }
        }
        return ExitCodes.OK;
    }

    private void emit(String text, Map<String, Object> json, String what) {
        if (this.json) {
            if (output != null) Output.text(io(), output, text, what);
            json.put("text", text);
            out().println(Json.line(json));
            out().flush();
        } else {
            Output.text(io(), output, text, what);
        }
    }

    static Map<String, Object> inclusionJson(InclusionProof p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "inclusion");
        m.put("index", p.index());
        m.put("size", p.size());
        m.put("entry_hash", p.entryHash().hex());
        m.put("path", p.path().stream().map(Hash::hex).toList());
        return m;
    }

    static Map<String, Object> consistencyJson(ConsistencyProof p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "consistency");
        m.put("old_size", p.oldSize());
        m.put("new_size", p.newSize());
        m.put("path", p.path().stream().map(Hash::hex).toList());
        return m;
    }
}
