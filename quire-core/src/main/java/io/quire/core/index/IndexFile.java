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
 * A growable array of u64 (big-endian) in a memory-mapped file: the persisted indexes
 * (position → segment offset, position → id fingerprint, seq → position). One writer thread calls
 * {@link #set}; any thread may {@link #get} an index below a length the writer has published
 * through a volatile write elsewhere (the ledger size or a stream's last seq), which orders the
 * mapped store before the reader's load.
 *
 * <p>Chunks: the first is {@code FIRST_CHUNK_LONGS}, each next one doubles up to
 * {@code CHUNK_LONGS_MAX}, then all are that size, so a stream with three entries costs 4 KiB of
 * file and a ledger of 10⁷ entries maps ~12 regions. A chunk's bytes are written (zeros) before
 * it is mapped, so a full disk is an IOException here, never a SIGBUS on a store into a hole; the
 * length is a whole number of chunks while open and is cut to the logical length on {@link #close}.
 * Nothing here is fsync'ed except by {@link #force}: the log is the truth, and the ledger only
 * trusts an index up to the last seal (see LocalLedger).
 */
public final class IndexFile implements AutoCloseable {
    public static final int FIRST_CHUNK_LONGS = 512;
    public static final int CHUNK_LONGS_MAX = 1 << 20;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Longs covered by the doubling chunks 512, 1024, …, CHUNK_LONGS_MAX. */
    private static final long DOUBLING_LONGS = 2L * CHUNK_LONGS_MAX - FIRST_CHUNK_LONGS;
    private static final int DOUBLING_CHUNKS = Integer.numberOfTrailingZeros(CHUNK_LONGS_MAX / FIRST_CHUNK_LONGS) + 1;

    private final Path path;
    private final FileChannel channel;
    private final Arena arena = Arena.ofShared();
    private volatile MemorySegment[] chunks = new MemorySegment[0];
    private long length;

    private IndexFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens (creating if absent) with a logical length of {@code length} longs. */
    public static IndexFile open(Path path, long length) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            IndexFile f = new IndexFile(path, ch);
            f.ensureCapacity(length);
            f.length = length;
            return f;
        } catch (IOException e) {
            throw QuireException.io("cannot open index file: " + e.getMessage(), Where.file(path.toString(), -1), e);
        }
    }

    /** Longs already in the file, whatever the logical length says (for staleness checks). */
    public long physicalLongs() {
        try {
            return channel.size() / 8;
        } catch (IOException e) {
            throw QuireException.io("cannot stat index file", Where.file(path.toString(), -1), e);
        }
    }

    public Path path() { return path; }

    public long length() { return length; }

    /** Sets the logical length (writer only); values at and past it are garbage to readers. */
    public void truncate(long newLength) {
        if (newLength < 0) throw new IllegalArgumentException("negative length");
        ensureCapacity(newLength);
        length = newLength;
    }

    /** Writer only. Extends the logical length to {@code i + 1} when needed. */
    public void set(long i, long value) {
        ensureCapacity(i + 1);
        chunk(i).set(U64, offsetInChunk(i) * 8, value);
        if (i >= length) length = i + 1;
    }

    public void append(long value) { set(length, value); }

    public long get(long i) {
        if (i < 0) throw new IndexOutOfBoundsException("index " + i);
        MemorySegment[] cs = chunks;
        int c = chunkIndex(i);
        if (c >= cs.length) throw new IndexOutOfBoundsException("index " + i + " past the mapped end of " + path);
        return cs[c].get(U64, offsetInChunk(i) * 8);
    }

    /** Flushes the mapped pages to disk (msync). */
    public void force() {
        for (MemorySegment s : chunks) s.force();
    }

    @Override
    public void close() {
        try {
            force();
            arena.close();
            channel.truncate(length * 8);
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw QuireException.io("cannot close index file: " + e.getMessage(), Where.file(path.toString(), -1), e);
        }
    }

    private MemorySegment chunk(long i) { return chunks[chunkIndex(i)]; }

    static int chunkIndex(long i) {
        if (i < DOUBLING_LONGS) {
            // chunk k starts at FIRST*(2^k - 1)
            return 63 - Long.numberOfLeadingZeros(i / FIRST_CHUNK_LONGS + 1);
        }
        return (int) (DOUBLING_CHUNKS + (i - DOUBLING_LONGS) / CHUNK_LONGS_MAX);
    }

    static long chunkStart(int c) {
        if (c < DOUBLING_CHUNKS) return (long) FIRST_CHUNK_LONGS * ((1L << c) - 1);
        return DOUBLING_LONGS + (long) (c - DOUBLING_CHUNKS) * CHUNK_LONGS_MAX;
    }

    static long chunkLongs(int c) { return c < DOUBLING_CHUNKS ? (long) FIRST_CHUNK_LONGS << c : CHUNK_LONGS_MAX; }

    private static long offsetInChunk(long i) { return i - chunkStart(chunkIndex(i)); }

    /**
     * Writes zeros over the part of [off, off+len) beyond the file's end before it is mapped. A
     * store into a hole of a sparse file on a full disk raises SIGBUS, which would kill the
     * process; writing the zeros first turns a full disk into an IOException here instead.
     */
    private void reserve(long off, long len) throws IOException {
        long end = off + len;
        long pos = Math.max(off, channel.size());
        java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate((int) Math.min(RESERVE_WRITE_BYTES, len));
        while (pos < end) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end - pos));
            pos += channel.write(zeros, pos);
        }
    }

    /** Zeros written per call while reserving a chunk. */
    static final int RESERVE_WRITE_BYTES = 64 * 1024;

    private void ensureCapacity(long longs) {
        if (longs == 0) return;
        int need = chunkIndex(longs - 1) + 1;
        MemorySegment[] cs = chunks;
        if (need <= cs.length) return;
        MemorySegment[] grown = Arrays.copyOf(cs, need);
        try {
            for (int c = cs.length; c < need; c++) {
                reserve(chunkStart(c) * 8, chunkLongs(c) * 8);
                grown[c] = channel.map(FileChannel.MapMode.READ_WRITE, chunkStart(c) * 8, chunkLongs(c) * 8, arena);
            }
        } catch (IOException e) {
            throw QuireException.io("cannot map index file (disk full? too many mappings: vm.max_map_count): "
                    + e.getMessage(), Where.file(path.toString(), -1), e);
        }
        chunks = grown;
    }
}
