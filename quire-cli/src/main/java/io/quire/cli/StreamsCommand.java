package io.quire.cli;

import io.quire.core.Ledger;
import io.quire.core.StreamInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"List every stream: 'name last-seq last-position last-hash', one per line."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire streams",
                "  quire streams --json | jq -r 'select(.last_seq > 1000) | .name'"})
final class StreamsCommand extends BaseCommand implements JsonOutput {

    @Option(names = "--json", description = "JSON Lines: name, last_seq, last_position, last_hash. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        try (Ledger ledger = openReadOnly()) {
            for (StreamInfo s : ledger.streams()) {
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", s.name());
                    m.put("last_seq", s.lastSeq());
                    m.put("last_position", s.lastPosition());
                    m.put("last_hash", s.lastHash().hex());
                    out().println(Json.line(m));
                } else {
                    out().println(Text.column(s.name()) + " " + s.lastSeq() + " " + s.lastPosition() + " " + s.lastHash().hex());
                }
            }
            out().flush();
        }
        return ExitCodes.OK;
    }
}
