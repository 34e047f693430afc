package io.quire.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the effective ledger settings and where each came from: a flag, the",
                "environment ($QUIRE_*), quire.yaml in the ledger directory, or the built-in default",
                "(highest first). Checks every source: a bad value anywhere is exit 1 naming it.",
                "Needs no ledger: without one (or without quire.yaml) the file simply adds nothing."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire config",
                "  QUIRE_DURABILITY=none quire config --json | jq .settings.durability",
                "  quire config --segment-bytes 16777216       # what 'append --segment-bytes ...' would use"})
final class ConfigCommand extends BaseCommand implements JsonOutput {

    @Mixin LedgerFlags ledgerFlags;

    @Option(names = "--json", description = "Print one JSON object: file, file_present, and settings.KEY.{value, "
            + "source (flag|env|file|default), from}. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        LedgerSettings s = settings();
        if (json) {
            println(Json.line(s.json()));
            return ExitCodes.OK;
        }
        println("file: " + s.file() + (s.filePresent() ? "" : " (not present)"));
        for (LedgerSettings.Key k : LedgerSettings.Key.values()) {
            LedgerSettings.Setting x = s.get(k);
            println(String.format("%-20s %-12s %-8s %s", k.yaml, x.value(), x.source().label(), x.from()));
        }
        return ExitCodes.OK;
    }
}
