package io.quire.cli;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.Limits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "read", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print entries of STREAM in sequence order.",
                "Human form, one entry per line: 'seq position id key payload'; an empty id or key",
                "prints as '-', and a payload that is not printable one-line UTF-8 prints as",
                "'base64:<base64>'. A stream never written prints nothing (exit 0)."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire read orders",
                "  quire read orders --after 100 --limit 10",
                "  quire read orders --key new --json | jq -r .payload_base64 | base64 -d"})
final class ReadCommand extends BaseCommand implements JsonOutput {

    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream to read.")
    String stream;

    @Option(names = "--after", paramLabel = "SEQ", converter = Converters.NonNegativeLong.class,
            description = "Only entries with seq greater than SEQ (exclusive). Default: 0 (from the first entry).")
    long after;

    @Option(names = "--limit", paramLabel = "N", converter = Converters.NonNegativeLong.class,
            description = "At most N entries (count). Default: 0 = all of them.")
    long limit;

    @Option(names = "--key", paramLabel = "KEY", description = "Only entries with this key. Default: all keys.")
    String key;

    @Option(names = "--json", description = "JSON Lines: stream, seq, position, id, key, timestamp_ns, "
            + "metadata, payload_base64, prev_hash, hash. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        checkStream(stream);
        checkKey(key);
        try (Ledger ledger = openReadOnly()) {
            long afterSeq = after;
            long remaining = limit == 0 ? Long.MAX_VALUE : limit;
            // Pages of at most READ_LIMIT_MAX, so any --limit works and memory stays bounded.
            while (remaining > 0) {
                int page = (int) Math.min(remaining, Limits.READ_LIMIT_MAX);
                List<Entry> entries = ledger.read(stream, afterSeq, page, key);
                if (entries.isEmpty()) break;
                for (Entry e : entries) {
                    out().println(json ? Json.line(Json.entry(e)) : Text.entryLine(e));
                }
                out().flush();
                remaining -= entries.size();
                afterSeq = entries.getLast().seq();
            }
        }
        return ExitCodes.OK;
    }
}
