package io.quire.core.merkle;

import io.quire.core.Hash;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.DigestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code level-NN.hashes} file: the hashes of level NN, entry i at byte offset i × 32.
 * Owned by the single writer; readers see it only through immutable-below-count {@link View}s.
 *
 * <pre>
 *  file:   | chunk 0 (2 MiB) | chunk 1 (2 MiB) | ... | chunk m (partial)   |  (on disk, append-only)
 *  memory: | mapped[0]       | mapped[1]       | ... | tail (byte[], heap) |  completed: chunks filled
 *                                                                            since the last write-out
 * </pre>
 * A chunk of {@link #MAP_CHUNK_HASHES} hashes is mapped read-only once it is complete and written;
 * the partial last chunk is kept in {@code tail} (a heap copy, grown by doubling) so that readers
 * never issue a syscall. Every array handed to a view is never written below the view's count
 * again: growth copies, completion allocates a new tail, truncation is exclusive (see TileStore).
 */
final class LevelFile implements AutoCloseable {
    static final int MAP_CHUNK_SHIFT = 16;
    /** Hashes per mapping: 256 tiles, so a mapping never splits a tile. */
    static final int MAP_CHUNK_HASHES = 1 << MAP_CHUNK_SHIFT;
    static final long MAP_CHUNK_MASK = MAP_CHUNK_HASHES - 1;
    static final int MAP_CHUNK_BYTES = MAP_CHUNK_HASHES * MerkleMath.HASH_BYTES;
    private static final int HASH_BYTES = MerkleMath.HASH_BYTES;
    private static final MemorySegment[] NONE = new MemorySegment[0];

    static {
        if (MAP_CHUNK_HASHES % TileStore.TILE_HASHES != 0) throw new ExceptionInInitializerError("a mapping must hold whole tiles");
        if ((TileStore.LEAVES_MAX >>> MAP_CHUNK_SHIFT) > Integer.MAX_VALUE) throw new ExceptionInInitializerError("too many chunks for an array");
    }

    final int level;
    final Path path;
    private FileChannel ch;                 // null until the file exists
    private Arena arena;                    // owns the mappings; closed on truncate and close
    private MemorySegment[] mapped = NONE;  // complete, written chunks; copy-on-write
    private final List<byte[]> completed = new ArrayList<>(); // filled chunks not yet written
    private byte[] tail = new byte[TileStore.TILE_BYTES];     // chunk mapped.length + completed.size()
    private long count;                     // hashes appended (in memory)
    private long written;                   // hashes in the file
    private byte[] lastArray;               // where the last appended hash lives, for pairing
    private int lastOffset;

    private LevelFile(int level, Path path) {
        this.level = level;
        this.path = path;
    }

    static String fileName(int level) { return String.format(java.util.Locale.ROOT, "level-%02d.hashes", level); }

    /** An in-memory level with no file yet. */
    static LevelFile empty(Path dir, int level) { return new LevelFile(level, dir.resolve(fileName(level))); }

    /**
     * Opens an existing file, cutting it to at most {@code countMax} whole hashes (a torn last hash
     * or hashes beyond what level 0 supports can only come from a crash mid-flush).
     */
    static LevelFile open(Path dir, int level, long countMax, List<String> repairs) throws IOException {
        LevelFile f = empty(dir, level);
        if (!Files.exists(f.path)) return f;
        f.ch = FileChannel.open(f.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long bytes = f.ch.size();
        long keep = Math.min(bytes / HASH_BYTES, countMax);
        if (keep == 0) {
            // A level with no hash has no file (truncate deletes it); an empty or stray one goes.
            f.ch.close();
            f.ch = null;
            Files.delete(f.path);
            if (bytes > 0) repairs.add(f.path.getFileName() + " was " + bytes + " bytes; deleted (no hash expected)");
            return f;
        }
        if (keep * HASH_BYTES != bytes) {
            f.ch.truncate(keep * HASH_BYTES);
            f.ch.force(true);
            repairs.add(f.path.getFileName() + " was " + bytes + " bytes; cut to " + keep * HASH_BYTES + " (" + keep + " hashes)");
        }
        f.count = f.written = keep;
        f.mapComplete();
        f.loadTail();
        return f;
    }

    long count() { return count; }

    long written() { return written; }

    boolean hasFile() { return ch != null; }

    /** Appends the digest {@code md} is holding as the next hash of this level (resets md). */
    void appendDigest(MessageDigest md) {
        int off = (int) (count & MAP_CHUNK_MASK) * HASH_BYTES;
        if (off + HASH_BYTES > tail.length) tail = Arrays.copyOf(tail, Math.min(tail.length * 2, MAP_CHUNK_BYTES));
        try {
            md.digest(tail, off, HASH_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("bad math in appendDigest: SHA-256 output does not fit 32 bytes", e);
        }
        lastArray = tail;
        lastOffset = off;
        count++;
        if ((count & MAP_CHUNK_MASK) == 0) {
            completed.add(tail);
            tail = new byte[TileStore.TILE_BYTES];
        }
    }

    /** Feeds the last two hashes (a left and a right child, always in one chunk) into {@code md}. */
    void updateWithLastPair(MessageDigest md) {
        if ((count & 1) != 0 || lastArray == null || lastOffset < HASH_BYTES) {
            throw new IllegalStateException("bad math in updateWithLastPair: level=" + level + " count=" + count);
        }
        md.update(lastArray, lastOffset - HASH_BYTES, 2 * HASH_BYTES);
    }

    /** Writes every appended hash to the file and maps the chunks that became complete. */
    boolean writeOut() throws IOException {
        if (written == count) return false;
        boolean created = false;
        if (ch == null) {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            created = true;
        }
        long chunk = written >>> MAP_CHUNK_SHIFT;
        for (byte[] full : completed) {
            writeRange(full, chunk, written, (chunk + 1) << MAP_CHUNK_SHIFT);
            chunk++;
        }
        if (chunk != count >>> MAP_CHUNK_SHIFT) throw new IllegalStateException("bad math in writeOut: chunk=" + chunk + " count=" + count);
        writeRange(tail, chunk, written, count);
        written = count;
        completed.clear();
        mapComplete();
        return created;
    }

    /** Writes hashes [max(from, chunk start), to) of chunk {@code chunk}, held in {@code arr}. */
    private void writeRange(byte[] arr, long chunk, long from, long to) throws IOException {
        long start = chunk << MAP_CHUNK_SHIFT;
        long lo = Math.max(from, start);
        if (to <= lo) return;
        ByteBuffer b = ByteBuffer.wrap(arr, (int) (lo - start) * HASH_BYTES, (int) (to - lo) * HASH_BYTES);
        long pos = lo * HASH_BYTES;
        while (b.hasRemaining()) pos += ch.write(b, pos);
    }

    private void mapComplete() throws IOException {
        int complete = (int) (written >>> MAP_CHUNK_SHIFT);
        if (mapped.length >= complete) return;
        if (arena == null) arena = Arena.ofShared();
        MemorySegment[] more = Arrays.copyOf(mapped, complete);
        for (int c = mapped.length; c < complete; c++) {
            try {
                more[c] = ch.map(FileChannel.MapMode.READ_ONLY, (long) c * MAP_CHUNK_BYTES, MAP_CHUNK_BYTES, arena);
            } catch (IOException e) {
                throw QuireException.io("cannot map " + path.getFileName() + " chunk " + c + ": " + e.getMessage()
                        + " (check the address space limit, ulimit -v, and vm.max_map_count)", Where.file(path.toString(), (long) c * MAP_CHUNK_BYTES), e);
            }
        }
        mapped = more;
    }

    /** Reads the partial last chunk from the file into a fresh tail. */
    private void loadTail() throws IOException {
        long start = (count >>> MAP_CHUNK_SHIFT) << MAP_CHUNK_SHIFT;
        int n = (int) (count - start);
        int cap = TileStore.TILE_BYTES;
        while (cap < n * HASH_BYTES) cap *= 2;
        tail = new byte[cap];
        ByteBuffer b = ByteBuffer.wrap(tail, 0, n * HASH_BYTES);
        long pos = start * HASH_BYTES;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) throw new IllegalStateException("bad math in loadTail: EOF at " + pos + " in " + path);
            pos += r;
        }
        lastArray = null;
    }

    /** Cuts the level to {@code newCount} hashes. Exclusive: no reader may hold a view (mappings are unmapped). */
    void truncate(long newCount) throws IOException {
        if (written != count || !completed.isEmpty() || newCount > count) {
            throw new IllegalStateException("bad math in truncate: level=" + level + " count=" + count + " written=" + written + " newCount=" + newCount);
        }
        if (newCount == count) return;
        if (arena != null) arena.close();
        arena = null;
        mapped = NONE;
        count = written = newCount;
        if (newCount == 0) {
            ch.close();
            ch = null;
            Files.deleteIfExists(path);
            tail = new byte[TileStore.TILE_BYTES];
            lastArray = null;
            return;
        }
        ch.truncate(newCount * HASH_BYTES);
        ch.force(true);
        mapComplete();
        loadTail();
    }

    void force() throws IOException {
        if (ch != null) ch.force(true);
    }

    /** A view of the hashes written so far; valid until truncate or close. */
    View view() {
        if (written != count || !completed.isEmpty()) throw new IllegalStateException("bad math in view: level=" + level + " has unwritten hashes");
        return new View(mapped, tail, count);
    }

    @Override
    public void close() throws IOException {
        try {
            if (ch != null) ch.close();
        } finally {
            ch = null;
            if (arena != null) arena.close();
            arena = null;
            mapped = NONE;
        }
    }

    /** An immutable window on the first {@code count} hashes of a level. */
    record View(MemorySegment[] mapped, byte[] tail, long count) {
        Hash hash(long index) {
            byte[] b = new byte[HASH_BYTES];
            copy(index, b);
            return Hash.of(b);
        }

        void copy(long index, byte[] dst) {
            if (index < 0 || index >= count) throw new IllegalStateException("bad math in View.copy: index=" + index + " count=" + count);
            int chunk = (int) (index >>> MAP_CHUNK_SHIFT);
            int off = (int) (index & MAP_CHUNK_MASK) * HASH_BYTES;
            if (chunk < mapped.length) {
                MemorySegment.copy(mapped[chunk], ValueLayout.JAVA_BYTE, off, dst, 0, HASH_BYTES);
            } else {
                System.arraycopy(tail, off, dst, 0, HASH_BYTES);
            }
        }
    }
}
