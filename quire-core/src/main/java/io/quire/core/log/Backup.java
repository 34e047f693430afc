package io.quire.core.log;

import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Online, consistent backup. The writer records a cut at a commit boundary (the segments and the
 * committed length of the last one); the copy then reads only bytes below the cut, which never
 * change, while appends continue. Derived files (indexes, Merkle levels, catalog) are not copied:
 * the restored ledger re-derives them from the log on open and {@code restore} verifies it.
 * Blobs are immutable and content-addressed, so copying whatever exists is consistent.
 */
final class Backup {
    private final LogView l;

    Backup(LogView l) { this.l = l; }

    void run(Path target, ProgressListener progress) {
        l.ensureOpen();
        try {
            if (Files.exists(target)) {
                try (var s = Files.list(target)) {
                    if (s.findAny().isPresent()) throw QuireException.conflict("backup target " + target + " is not empty").withCode("already_exists");
                }
            }
            Files.createDirectories(target);
            LogView.Cut cut = l.cut();
            for (String d : new String[] {"log", "index/streams", "merkle", "blobs", "keys", "checkpoints"}) Files.createDirectories(target.resolve(d));
            copyFile(l.dir().resolve("quire.yaml"), target.resolve("quire.yaml"));
            copyTree(l.dir().resolve("keys"), target.resolve("keys"));
            copyTree(l.dir().resolve("checkpoints"), target.resolve("checkpoints"));
            long total = 0;
            for (Segments.Seg s : cut.segs()) total += s == cut.segs().get(cut.segs().size() - 1) ? cut.lastLength() : Segments.size(s);
            long done = 0;
            for (int i = 0; i < cut.segs().size(); i++) {
                Segments.Seg s = cut.segs().get(i);
                long len = i == cut.segs().size() - 1 ? cut.lastLength() : Segments.size(s);
                done = copyRange(s, target.resolve("log").resolve(s.path().getFileName()), len, done, total, progress);
            }
            copyTree(l.dir().resolve("blobs"), target.resolve("blobs"));
            FileUtil.fsyncDir(target.resolve("log"));
            // The marker last: a half-made backup does not open as a ledger.
            copyFile(l.dir().resolve(LocalLedger.MARKER), target.resolve(LocalLedger.MARKER));
            FileUtil.fsyncDir(target);
            progress.progress(total, total, "backup of " + cut.size() + " entries done");
        } catch (IOException e) {
            throw QuireException.io("backup failed: " + e.getMessage(), Where.file(target.toString(), -1), e);
        }
    }

    private static long copyRange(Segments.Seg s, Path dst, long len, long done, long total, ProgressListener p) throws IOException {
        try (FileChannel out = FileChannel.open(dst, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            long off = 0;
            while (off < len) {
                b.clear().limit((int) Math.min(b.capacity(), len - off));
                int r = s.channel().read(b, off);
                if (r < 0) throw new IOException("segment " + s.file() + " is shorter than the backup cut");
                b.flip();
                while (b.hasRemaining()) out.write(b);
                off += r;
                done += r;
                p.progress(done, total, "copying " + s.path().getFileName());
            }
            out.force(true);
        }
        return done;
    }

    static void copyFile(Path src, Path dst) throws IOException {
        if (!Files.exists(src)) return;
        Files.createDirectories(dst.getParent());
        FileUtil.copyDurably(src, dst);
    }

    static void copyTree(Path src, Path dst) throws IOException {
        if (!Files.exists(src)) return;
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                if (d.getFileName().toString().equals("tmp") && !d.equals(src)) return FileVisitResult.SKIP_SUBTREE;
                Files.createDirectories(dst.resolve(src.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                if (f.getFileName().toString().endsWith(".tmp")) return FileVisitResult.CONTINUE;
                copyFile(f, dst.resolve(src.relativize(f).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
                FileUtil.fsyncDir(dst.resolve(src.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
