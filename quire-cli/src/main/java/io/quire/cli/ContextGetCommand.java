package io.quire.cli;

import io.quire.api.context.v1.Entry;
import io.quire.api.context.v1.GetResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Entries of CONTEXT after sequence N (exclusive), at most M, only key K if given.",
                "Text: one line per entry 'sequence position id key payload' (as 'quire read'), then",
                "'latest_sequence L' on stderr (the context's last sequence whatever the filter).",
                "A context never written prints nothing, latest_sequence 0, exit 0."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire context get run-42",
                "  quire context get run-42 --key facts --after 100 --limit 10 --json | jq '.entries[].sequence'"})
final class ContextGetCommand extends ContextBase {

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "Context id.")
    String context;

    @Option(names = "--key", paramLabel = "K", description = "Only entries with this key. Default: all keys.")
    String key = "";

    @Option(names = "--after", paramLabel = "N", converter = Converters.NonNegativeLong.class,
            description = "Entries with sequence > N. Default: 0 = from the start.")
    long after;

    @Option(names = "--limit", paramLabel = "M", description = "At most M entries, 0.." + Integer.MAX_VALUE + ". Default: 0 = all.")
    int limit;

    @Override
    public Integer call() {
        server.check(io().env());
        if (limit < 0) throw new CliUsageException("--limit: must be >= 0, got " + limit);
        GetResponse r = withClient(c -> c.get(context, key, after, limit));
        if (json) {
            List<Map<String, Object>> entries = new ArrayList<>();
            for (Entry e : r.getEntriesList()) entries.add(entryJson(context, e, true));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("context_id", context);
            m.put("latest_sequence", r.getLatestSequence());
            m.put("entries", entries);
            println(Json.line(m));
        } else {
            for (Entry e : r.getEntriesList()) out().println(entryLine(e));
            out().flush();
            io().err().println("latest_sequence " + r.getLatestSequence());
        }
        return ExitCodes.OK;
    }
}
