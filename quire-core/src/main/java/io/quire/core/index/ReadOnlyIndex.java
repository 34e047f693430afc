package io.quire.core.index;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * An {@link IndexFile} (u64 big-endian per slot) as a read-only ledger sees it:
 *
 * <pre>
 *   slot:   0 ............................ sealed-1 | sealed ............. length-1
 *   from:   the file, mapped READ_ONLY (trusted:     | memory: chunks of CHUNK_LONGS longs,
 *           the writer never rewrites below a seal)  | appended by the follower from the log
 * </pre>
 *
 * The file is only ever opened for reading, and only the sealed prefix is mapped: that prefix
 * lies within the file (the caller checked its length against the seal), and the writer only
 * ever writes slots at or past its own seal, which is at or past this one, so the mapped bytes
 * never change. Slots past the seal come from the reader's own scan of the log.
 *
 * <p>Threads: one follower thread calls {@link #append}; any thread may {@link #get} a slot below
 * a length the follower published through a volatile write elsewhere (the ledger size or a
 * stream's last seq), which orders the stores into the chunk arrays before the reader's loads.
 */
public final class ReadOnlyIndex implements AutoCloseable {
    /** Longs per in-memory chunk: 32 KiB, so an overlay grows without ever copying its values. */
    public static final int CHUNK_LONGS = 4096;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Path path;
    private final long sealed;
    private final Arena arena;
    private final MemorySegment mapped;
    /** Overlay chunks; replaced (grown) by the follower, never shrunk. */
    private volatile long[][] chunks = new long[0][];
    private long length;

    private ReadOnlyIndex(Path path, long sealed, Arena arena, MemorySegment mapped) {
        this.path = path;
        this.sealed = sealed;
        this.arena = arena;
        this.mapped = mapped;
        this.length = sealed;
    }

    /** Longs in the file now (for the trust check against a seal); 0 when it does not exist. */
    public static long physicalLongs(Path path) {
        try {
            return java.nio.file.Files.exists(path) ? java.nio.file.Files.size(path) / 8 : 0;
        } catch (IOException e) {
            throw QuireException.io("cannot stat index file: " + e.getMessage(), Where.file(path.toString(), -1), e);
        }
    }

    /** Maps the first {@code sealed} slots of {@code path} read-only (no file access when 0). */
    public static ReadOnlyIndex open(Path path, long sealed) {
        if (sealed < 0) throw new IllegalArgumentException("negative seal");
        if (sealed == 0) return new ReadOnlyIndex(path, 0, null, null);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() < sealed * 8) {
                throw QuireException.integrity("index file holds " + ch.size() / 8 + " slots, fewer than the seal of " + sealed, Where.file(path.toString(), ch.size()));
            }
            return new ReadOnlyIndex(path, sealed, arena, ch.map(FileChannel.MapMode.READ_ONLY, 0, sealed * 8, arena));
        } catch (IOException e) {
            arena.close();
            throw QuireException.io("cannot map index file read-only: " + e.getMessage(), Where.file(path.toString(), -1), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() { return path; }

    /** Slots from the file. */
    public long sealed() { return sealed; }

    /** Slots held (sealed + appended). Follower thread only, or below a published bound. */
    public long length() { return length; }

    public long get(long i) {
        if (i < 0) throw new IndexOutOfBoundsException("index " + i);
        if (i < sealed) return mapped.get(U64, i * 8);
        long o = i - sealed;
        long[][] cs = chunks;
        int c = (int) (o / CHUNK_LONGS);
        if (c >= cs.length) throw new IndexOutOfBoundsException("index " + i + " past the end of " + path + " as read so far");
        return cs[c][(int) (o % CHUNK_LONGS)];
    }

    /** Follower only: appends slot {@code length}. */
    public void append(long value) {
        long o = length - sealed;
        int c = (int) (o / CHUNK_LONGS);
        long[][] cs = chunks;
        if (c == cs.length) chunks = cs = Arrays.copyOf(cs, Math.max(4, cs.length * 2));
        if (cs[c] == null) cs[c] = new long[CHUNK_LONGS];
        cs[c][(int) (o % CHUNK_LONGS)] = value;
        length++;
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
