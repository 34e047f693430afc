package io.quire.cli;

import io.quire.server.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the effective ledger settings and where each came from: a flag, the",
                "environment ($QUIRE_*), quire.yaml in the ledger directory, or the built-in default",
                "(highest first); then the settings 'quire serve' would use (its own flags, given to",
                "serve, come first; tokens show their roles, never the tokens). Checks every source:",
                "a bad value anywhere is exit 1 naming it. Needs no ledger: without one (or without",
                "quire.yaml) the file simply adds nothing."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire config",
                "  QUIRE_DURABILITY=none quire config --json | jq .settings.durability",
                "  quire config --segment-bytes 16777216       # what 'append --segment-bytes ...' would use",
                "  GRPC_PORT=6000 quire config --json | jq .serve.grpc_port"})
final class ConfigCommand extends BaseCommand implements JsonOutput {

    @Mixin LedgerFlags ledgerFlags;

    @Option(names = "--json", description = "Print one JSON object: file, file_present, settings.KEY.{value, "
            + "source (flag|env|file|default), from} and serve.KEY.{value, source, from}. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        LedgerSettings s = settings();
        // What 'quire serve' would resolve without flags of its own (ServeCommand passes the same file and environment).
        List<Config.Setting> serve = Config.describe(List.of("--dir", dir().toString()), io().env(), s.serverFile());
        if (json) {
            Map<String, Object> m = s.json();
            Map<String, Object> sv = new LinkedHashMap<>();
            for (Config.Setting x : serve) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("value", x.value());
                v.put("source", x.source());
                v.put("from", x.from());
                sv.put(x.key(), v);
            }
            m.put("serve", sv);
            println(Json.line(m));
            return ExitCodes.OK;
        }
        println("file: " + s.file() + (s.filePresent() ? "" : " (not present)"));
        for (LedgerSettings.Key k : LedgerSettings.Key.values()) {
            LedgerSettings.Setting x = s.get(k);
            println(String.format("%-20s %-12s %-8s %s", k.yaml, x.value(), x.source().label(), x.from()));
        }
        println("serve (flags given to 'quire serve' come first):");
        for (Config.Setting x : serve) println(String.format("%-20s %-12s %-8s %s", x.key(), text(x.value()), x.source(), x.from()));
        return ExitCodes.OK;
    }

    private static String text(Object v) {
        if (v == null) return "none";
        if (v instanceof List<?> l) return l.isEmpty() ? "none" : l.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(","));
        return v.toString();
    }
}
