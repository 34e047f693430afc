package io.quire.cli;

import io.quire.core.Ledger;
import io.quire.core.ProgressListener;
import io.quire.core.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every frame checksum, entry hash, chain link, index entry, Merkle tile, blob",
                "and checkpoint of the ledger, without changing anything. Exit 0 when all hold;",
                "exit 2 naming file, offset, stream and seq of the first failure (of every failure",
                "with --all). A progress bar is drawn on stderr when it is a terminal."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire verify",
                "  quire verify --all --json > report.json || echo \"damaged: see report.json\""})
final class VerifyCommand extends BaseCommand implements JsonOutput {

    @Option(names = "--all", description = "Keep going after the first failure and report every one. Default: stop at the first.")
    boolean all;

    @Option(names = "--json", description = "Print the report as one JSON object: ok, entries, streams, segments, "
            + "blobs, tiles, failures[{region, message, where}]. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        VerifyReport report;
        ProgressListener progress = ProgressBar.of(io());
        try (Ledger ledger = openReadOnly()) {
            report = ledger.verify(progress, all);
        } finally {
            ProgressBar.finish(progress);
        }
        if (json) {
            println(Json.line(json(report)));
        } else if (report.ok()) {
            println("ok: verified " + report.entries() + " entries in " + report.streams() + " streams, "
                    + report.segments() + " segments, " + report.blobs() + " blobs, " + report.tiles() + " tiles");
        }
        if (report.ok()) return ExitCodes.OK;
        for (VerifyReport.Failure f : report.failures()) {
            String message = "integrity failure in " + f.region() + ": " + f.message();
            io().err().println(json ? Json.error(message, "INTEGRITY", f.where())
                    : "quire: " + message + (f.where().toString().isEmpty() ? "" : " (" + f.where() + ")"));
        }
        io().err().flush();
        return ExitCodes.INTEGRITY;
    }

    static Map<String, Object> json(VerifyReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", r.ok());
        m.put("entries", r.entries());
        m.put("streams", r.streams());
        m.put("segments", r.segments());
        m.put("blobs", r.blobs());
        m.put("tiles", r.tiles());
        m.put("failures", r.failures().stream().map(f -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("region", f.region());
            x.put("message", f.message());
            x.put("where", Json.where(f.where()));
            return x;
        }).toList());
        return m;
    }
}
