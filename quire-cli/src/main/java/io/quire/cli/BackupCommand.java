package io.quire.cli;

import io.quire.core.Ledger;
import io.quire.core.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Copy the whole ledger, online and consistent, into TARGET (absent or empty).",
                "Writers may keep appending meanwhile; the copy holds a consistent prefix.",
                "Check a backup with 'quire restore'. For scheduled backups with retention, see",
                "scripts/backup.sh."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire backup /backups/quire-$(date -u +%Y%m%dT%H%M%SZ)",
                "  quire restore /backups/quire-20250101T000000Z --dir /tmp/check"})
final class BackupCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "TARGET", description = "Directory to create (must be absent or empty).")
    Path target;

    @Override
    public Integer call() {
        ProgressListener progress = ProgressBar.of(io());
        try (Ledger ledger = open()) {
            ledger.backup(target, progress);
        } finally {
            ProgressBar.finish(progress);
        }
        println("backup written to " + target.toAbsolutePath().normalize());
        return ExitCodes.OK;
    }
}
