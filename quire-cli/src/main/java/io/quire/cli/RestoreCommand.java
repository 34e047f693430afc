package io.quire.cli;

import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.VerifyReport;
import io.quire.core.ops.Restore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a backup made by 'quire backup' into --dir (which must be absent or empty),",
                "then open and verify the copy. When --dir is absent the copy is made under a",
                "temporary name beside it and renamed only after it verified, so a backup that",
                "does not verify (exit 2) leaves no --dir behind."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire restore /backups/quire-20250101T000000Z --dir /var/lib/quire",
                "  quire restore /backups/latest --dir \"$(mktemp -d)/check\"   # test a backup"})
final class RestoreCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Backup directory to restore from.")
    Path source;

    @Override
    public Integer call() {
        Path dir = dir().toAbsolutePath().normalize();
        if (!Files.isDirectory(source)) throw QuireException.notFound("no backup at " + source);
        boolean existing = Files.exists(dir);
        if (existing && !isEmptyDirectory(dir)) {
            throw QuireException.conflict("refusing to restore into " + dir + ": it exists and is not empty");
        }
        Path into = existing ? dir
                : dir.resolveSibling("." + dir.getFileName() + ".restoring-" + ProcessHandle.current().pid());
        ProgressListener progress = ProgressBar.of(io());
        VerifyReport report;
        boolean success = false;
        try {
            // Copies, opens (re-deriving indexes and Merkle levels) and verifies everything;
            // INTEGRITY naming the first failure when the copy does not verify.
            report = Restore.restore(source, into, progress);
            if (!existing) Files.move(into, dir, StandardCopyOption.ATOMIC_MOVE);
            success = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the restored copy into " + dir + ": " + e.getMessage(), e);
        } finally {
            ProgressBar.finish(progress);
            if (!success && !existing) deleteTree(into);
        }
        println("restored " + source + " into " + dir + "; verified " + report.entries() + " entries in "
                + report.streams() + " streams");
        return ExitCodes.OK;
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes a staging directory this command created; failures to clean up are not fatal. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // Leaving a temporary directory behind is better than hiding the real failure.
        }
    }
}
