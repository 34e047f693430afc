package io.quire.cli;

import io.quire.core.QuireException;
import io.quire.core.ops.Repair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;

@Command(name = "repair", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cut history: remove every entry after ledger position POSITION (keeping 0..POSITION),",
                "for a ledger that 'quire verify' found damaged past that point. This is the only",
                "command that removes acknowledged entries, so it does nothing without --yes.",
                "It writes a report of what it removed and prints where. Take a backup first",
                "(copy the directory) if you may need the removed bytes; stop writers before."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire verify            # exit 2: ... position=1041 ...",
                "  quire repair --truncate-after 1040 --yes"})
final class RepairCommand extends BaseCommand {

    @Option(names = "--truncate-after", required = true, paramLabel = "POSITION",
            converter = Converters.NonNegativeLong.class,
            description = "Last ledger position (0-based) to keep. Required.")
    long position;

    @Option(names = "--yes", description = "Really do it. Default: off (refuse and explain, exit 4).")
    boolean yes;

    /** "3 entries (positions 5..7)" when the ledger opens, else a description without a count. */
    private String whatWouldGo() {
        String every = "every entry after position " + position;
        try (io.quire.core.Ledger ledger = open()) {
            long n = Math.max(0, ledger.size() - position - 1);
            if (n == 0) return "nothing (the ledger has only " + ledger.size() + " entries)";
            return n + " entries (positions " + (position + 1) + ".." + (ledger.size() - 1) + ")";
        } catch (QuireException e) {
            return every + " (the ledger does not open to count them: " + e.reason() + ")";
        }
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir())) throw QuireException.notFound("no ledger at " + dir());
        if (!yes) {
            throw QuireException.conflict("refused: this would permanently remove " + whatWouldGo()
                    + " in " + dir() + "; re-run with --yes to do it");
        }
        Repair.RepairReport r = Repair.truncateAfter(dir(), position);
        println("kept " + r.keptEntries() + " entries (positions 0.." + position + "); removed " + r.removedEntries()
                + " entries, " + r.removedBytes() + " bytes");
        println("report written to " + r.reportFile().toAbsolutePath().normalize());
        return ExitCodes.OK;
    }
}
