package io.quire.cli;

import io.quire.core.Ledger;
import io.quire.core.merkle.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = {"Sign a checkpoint (size, Merkle root, time) of the whole ledger with its Ed25519",
                "key, store it, and print its text form. Anyone holding it can later check inclusion",
                "and consistency proofs with 'quire verify-proof', without the ledger."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire checkpoint -o cp.txt",
                "  quire checkpoint --json | jq .root"})
final class CheckpointCommand extends BaseCommand implements JsonOutput {

    @Mixin LedgerFlags ledgerFlags;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the checkpoint text to FILE (atomically) instead of stdout. Default: stdout.")
    Path output;

    @Option(names = "--json", description = "Print origin, size, root, timestamp_ns, public_key_base64, "
            + "signature_base64 and text as one JSON object (the file, with -o, still gets the text). Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        try (Ledger ledger = open()) {
            Checkpoint c = ledger.checkpoint();
            String text = c.encode();
            if (json) {
                if (output != null) Output.text(io(), output, text, "checkpoint of size " + c.size());
                out().println(Json.line(json(c, text)));
                out().flush();
            } else {
                Output.text(io(), output, text, "checkpoint of size " + c.size());
            }
        }
        return ExitCodes.OK;
    }

    static Map<String, Object> json(Checkpoint c, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("origin", c.origin());
        m.put("size", c.size());
        m.put("root", c.root().hex());
        m.put("timestamp_ns", c.timestampNs());
        m.put("public_key_base64", Base64.getEncoder().encodeToString(c.publicKey()));
        m.put("signature_base64", Base64.getEncoder().encodeToString(c.signature()));
        m.put("text", text);
        return m;
    }
}
