package io.quire.core.ops;

import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.VerifyReport;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code quire restore SOURCE --dir DIR}: copies a backup into a new ledger directory, opens it
 * (which re-derives every index and Merkle level from the log) and verifies everything. The
 * target must not hold a ledger. On a failed verification the restored copy is left in place for
 * inspection and an INTEGRITY error names the first failure.
 */
public final class Restore {
    private Restore() {}

    public static VerifyReport restore(Path source, Path dir, ProgressListener progress) {
        if (!Files.isRegularFile(source.resolve("QUIRE"))) throw QuireException.notFound("no backup (ledger) in " + source);
        try {
            if (Files.exists(dir)) {
                try (var s = Files.list(dir)) {
                    if (s.findAny().isPresent()) throw QuireException.conflict("restore target " + dir + " is not empty").withCode("already_exists");
                }
            }
            Files.createDirectories(dir);
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                    Files.createDirectories(dir.resolve(source.relativize(d).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    io.quire.core.log.FileUtil.fsyncDir(dir.resolve(source.relativize(d).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    String rel = source.relativize(f).toString();
                    if (rel.equals("LOCK") || rel.startsWith("index")) return FileVisitResult.CONTINUE;
                    io.quire.core.log.FileUtil.copyDurably(f, dir.resolve(rel));
                    progress.progress(0, -1, "copied " + rel);
                    return FileVisitResult.CONTINUE;
                }
            });
            Files.createDirectories(dir.resolve("index/streams"));
        } catch (IOException e) {
            throw QuireException.io("restore failed: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        }
        try (Ledger l = Ledger.open(dir, LedgerOptions.defaults())) {
            VerifyReport r = l.verify(progress, true);
            if (!r.ok()) throw QuireException.integrity("restored ledger does not verify: " + r.failures().get(0), r.failures().get(0).where());
            return r;
        }
    }
}
