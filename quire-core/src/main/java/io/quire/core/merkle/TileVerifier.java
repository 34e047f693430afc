package io.quire.core.merkle;

import io.quire.core.Hash;
import io.quire.core.ProgressListener;
import io.quire.core.VerifyReport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Recomputes the tree from the entry hashes in one streaming pass (a stack of one pending left
 * child per level, O(log n) memory) and compares every recomputed hash with the level file on
 * disk. Hashes are recomputed from the entries, never from stored children, so one damaged stored
 * hash yields exactly one failure.
 */
final class TileVerifier {
    private static final int HASH_BYTES = MerkleMath.HASH_BYTES;
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int PROGRESS_LEAVES = 1 << 16;

    private final Path dir;
    private final long size;
    private final List<VerifyReport.Failure> failures;
    private final LevelReader[] readers = new LevelReader[TileStore.LEVELS_MAX];
    private int mismatches;

    TileVerifier(Path dir, long size, List<VerifyReport.Failure> failures) {
        this.dir = dir;
        this.size = size;
        this.failures = failures;
    }

    void run(LongFunction<Hash> entryHashAt, ProgressListener progress) {
        MessageDigest md = Hash.sha256();
        Hash[] pendingLeft = new Hash[TileStore.LEVELS_MAX];
        try {
            for (long i = 0; i < size && mismatches < TileStore.VERIFY_FAILURES_MAX; i++) {
                Hash h = MerkleMath.leafHash(md, entryHashAt.apply(i));
                compare(0, i, h);
                long index = i;
                int k = 0;
                while ((index & 1) == 1) { // a right child: its parent is complete now
                    h = MerkleMath.nodeHash(md, pendingLeft[k], h);
                    pendingLeft[k] = null;
                    index >>>= 1;
                    k++;
                    compare(k, index, h);
                }
                pendingLeft[k] = h;
                if ((i + 1) % PROGRESS_LEAVES == 0) progress.progress(i + 1, size, "merkle tiles");
            }
            if (mismatches >= TileStore.VERIFY_FAILURES_MAX) {
                failures.add(TileStore.failure("stopped after " + mismatches + " mismatching hashes", dir, -1));
            }
            progress.progress(size, size, "merkle tiles");
        } finally {
            for (LevelReader r : readers) if (r != null) r.close();
        }
    }

    private void compare(int level, long index, Hash expected) {
        LevelReader r = readers[level];
        if (r == null) readers[level] = r = new LevelReader(dir.resolve(LevelFile.fileName(level)));
        byte[] found = r.read(index);
        if (found == null) return; // short or missing file: reported once by the length check
        byte[] want = expected.toBytes();
        if (!Arrays.equals(found, want)) {
            mismatches++;
            failures.add(TileStore.failure("level " + level + " index " + index + ": stored hash " + Hash.of(found)
                    + " differs from " + expected + " recomputed from the log", r.path, index * HASH_BYTES));
        }
    }

    /** Sequential reads through a 64 KiB buffer; I/O errors are recorded as failures, not thrown. */
    private final class LevelReader {
        final Path path;
        private FileChannel ch;
        private boolean unreadable;
        private final ByteBuffer buf = ByteBuffer.allocate(READ_BUFFER_BYTES);
        private long bufStart = -1; // file offset of buf[0]
        private final byte[] out = new byte[HASH_BYTES];

        LevelReader(Path path) { this.path = path; }

        /** The 32 bytes of hash {@code index}, or null if the file does not hold them. */
        byte[] read(long index) {
            if (unreadable) return null;
            long off = index * HASH_BYTES;
            try {
                if (ch == null) ch = FileChannel.open(path, StandardOpenOption.READ);
                if (bufStart < 0 || off < bufStart || off + HASH_BYTES > bufStart + buf.limit()) fill(off);
                if (off + HASH_BYTES > bufStart + buf.limit()) return null;
                buf.get((int) (off - bufStart), out);
                return out;
            } catch (NoSuchFileException e) {
                unreadable = true;
                return null;
            } catch (IOException e) {
                unreadable = true;
                failures.add(TileStore.failure("cannot read: " + e.getMessage(), path, off));
                return null;
            }
        }

        private void fill(long off) throws IOException {
            buf.clear();
            long pos = off;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) break;
                pos += n;
            }
            buf.flip();
            bufStart = off;
        }

        void close() {
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // Read-only channel: nothing was written, nothing can be lost.
            }
        }
    }
}
