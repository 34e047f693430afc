package io.quire.core.log;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Small, careful file operations: atomic replace and directory fsync. */
public final class FileUtil {
    private FileUtil() {}

    /** Writes {@code bytes} to a temp file, fsyncs it, renames it over {@code file}, fsyncs the directory. */
    public static void writeAtomically(Path file, byte[] bytes) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDir(file.getParent());
        } catch (IOException e) {
            try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
            throw QuireException.io("cannot write " + file.getFileName() + ": " + e.getMessage(), Where.file(file.toString(), -1), e);
        }
    }

    /** fsync of a directory so that a create/rename/delete in it is durable. */
    public static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw QuireException.io("cannot fsync directory: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        }
    }

    /** Copies a file and fsyncs the copy (the caller fsyncs the directory). */
    public static void copyDurably(Path src, Path dst) throws IOException {
        try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(dst, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long n = in.size(), off = 0;
            while (off < n) off += in.transferTo(off, n - off, out);
            out.force(true);
        }
    }

    /**
     * Writes {@code b} at {@code at} and fdatasyncs it. On failure the file is cut back to
     * {@code at} (best effort, so no half-written record stays behind) and the write's
     * IOException is rethrown with any truncation failure suppressed in it.
     */
    public static void appendDurably(FileChannel ch, ByteBuffer b, long at) throws IOException {
        try {
            long p = at;
            while (b.hasRemaining()) p += ch.write(b, p);
            ch.force(false);
        } catch (IOException e) {
            try {
                ch.truncate(at);
                ch.force(false);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
