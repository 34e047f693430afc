package io.quire.core.merkle;

import io.quire.core.Hash;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.VerifyReport;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * The stored Merkle tree: every complete subtree hash of the RFC 6962 tree over the ledger's entry
 * hashes, so that the root of any past size and any proof need O(log n) reads (Go's sumdb
 * {@code tlog} idea, DESIGN §3.2).
 *
 * <pre>
 *  &lt;ledger&gt;/merkle/level-00.hashes   leaf hashes L0 L1 L2 …          (n hashes)
 *  &lt;ledger&gt;/merkle/level-01.hashes   N(0..2) N(2..4) …              (n/2 hashes)
 *  &lt;ledger&gt;/merkle/level-KK.hashes   entry i = MTH(leaves [i·2^K, (i+1)·2^K))   (⌊n/2^K⌋ hashes)
 *
 *  each file: | hash 0 (32 bytes) | hash 1 | … |   no header; entry i at byte offset i × 32
 *             |&lt;-- tile 0: hashes 0..255, 8 KiB --&gt;|&lt;-- tile 1 --&gt;| …  a full tile never changes
 *
 *  level 2:   [        N(0..4)        ]
 *  level 1:   [  N(0..2)  ][  N(2..4)  ][  N(4..6)  ]
 *  level 0:   [ L0 ][ L1 ][ L2 ][ L3 ][ L4 ][ L5 ][ L6 ]      n = 7: 7 + 3 + 1 = 11 hashes stored
 * </pre>
 * The root of a size that is not a power of two, and the right-edge hashes of proofs, are combined
 * from the O(log n) stored complete subtrees that tile the range (RFC 6962 §2.1's split).
 *
 * <p><b>Threads.</b> One writer thread calls {@link #append}, {@link #flush}, {@link #force},
 * {@link #truncate} and {@link #close}; any number of reader threads call the rest. Appended hashes
 * are buffered in memory; {@link #flush} writes them (one positional write per level) and then
 * publishes the new size with a volatile write of an immutable snapshot. A reader takes that
 * snapshot once (volatile read) and so sees every byte written before it, and never a size that
 * was not flushed. {@link #truncate} is for recovery only and needs exclusive access: it unmaps
 * chunks that a concurrent reader could otherwise still be reading.
 */
public final class TileStore implements AutoCloseable {
    public static final int HASH_BYTES = MerkleMath.HASH_BYTES;
    /** Hashes per tile: a tile is 2^8 hashes of one level, as in tlog. */
    public static final int TILE_HASHES = 256;
    public static final int TILE_BYTES = TILE_HASHES * HASH_BYTES;
    /** Most leaves the store holds (1.1 × 10^12); keeps every offset and chunk index in range. */
    public static final long LEAVES_MAX = 1L << 40;
    /** Levels 0..40: level 40 holds the root of a full tree of {@link #LEAVES_MAX} leaves. */
    public static final int LEVELS_MAX = 41;
    /** Unflushed hashes are written out (not published) beyond this, bounding the writer's memory. */
    static final int PENDING_BYTES_MAX = 4 << 20;
    /** verifyAgainst stops listing mismatches after this many. */
    public static final int VERIFY_FAILURES_MAX = 100;

    static {
        if (TILE_BYTES != 8192) throw new ExceptionInInitializerError("a tile is 8 KiB");
        if (1L << (LEVELS_MAX - 1) != LEAVES_MAX) throw new ExceptionInInitializerError("LEVELS_MAX must cover LEAVES_MAX");
    }

    /** What readers see: a flushed size and the level views that hold it. Immutable. */
    private record Snapshot(long size, LevelFile.View[] levels) {
        Hash hash(int level, long index) { return levels[level].hash(index); }
    }

    private final Path dir;
    private final LevelFile[] levels = new LevelFile[LEVELS_MAX];
    private final List<String> repairs;
    private final ReentrantLock fileLock = new ReentrantLock(); // guards file writes, lengths and `written`
    private final MessageDigest writerDigest = Hash.sha256();   // writer thread only
    private long appended;        // writer thread only: leaves appended, flushed or not
    private long writtenLeaves;   // guarded by fileLock: leaves whose hashes are all in the files
    private long pendingBytes;    // writer thread only
    private boolean dirDirty;     // guarded by fileLock: a level file was created or deleted
    private volatile Snapshot snapshot;
    private volatile boolean closed;

    private TileStore(Path dir, List<String> repairs) {
        this.dir = dir;
        this.repairs = repairs;
    }

    /**
     * Opens (creating if absent) the tree in {@code merkleDir}. Damage a crash can leave — a torn
     * last hash, an upper level shorter or longer than level 0 implies — is repaired from level 0
     * and listed in {@link #repairs()}; the caller (recovery) then truncates or extends level 0 to
     * match the log.
     */
    public static TileStore open(Path merkleDir) {
        TileStore s = new TileStore(merkleDir, new ArrayList<>());
        try {
            Files.createDirectories(merkleDir);
            s.load();
            return s;
        } catch (IOException e) {
            QuireException q = QuireException.io("cannot open the Merkle tiles: " + e.getMessage(), Where.file(merkleDir.toString(), -1), e);
            s.closeAfterFailure(q);
            throw q;
        } catch (Throwable t) {
            s.closeAfterFailure(t);
            throw t;
        }
    }

    /** Closes whatever a failed open had opened; a second failure is attached to the first. */
    private void closeAfterFailure(Throwable first) {
        try {
            closeLevels(null);
        } catch (Throwable t) {
            first.addSuppressed(t);
        }
    }

    private void load() throws IOException {
        levels[0] = LevelFile.open(dir, 0, LEAVES_MAX, repairs);
        long size = levels[0].count();
        for (int k = 1; k < LEVELS_MAX; k++) {
            long expected = size >>> k;
            levels[k] = LevelFile.open(dir, k, expected, repairs);
            if (levels[k].count() < expected) rebuildLevel(k, expected);
        }
        dirDirty = !repairs.isEmpty();
        appended = writtenLeaves = size;
        publish();
    }

    /** Recomputes level k entries [count, expected) from level k-1 (crash between level writes). */
    private void rebuildLevel(int k, long expected) throws IOException {
        LevelFile.View below = levels[k - 1].view();
        long from = levels[k].count();
        byte[] pair = new byte[2 * HASH_BYTES];
        byte[] one = new byte[HASH_BYTES];
        for (long i = from; i < expected; i++) {
            below.copy(2 * i, one);
            System.arraycopy(one, 0, pair, 0, HASH_BYTES);
            below.copy(2 * i + 1, one);
            System.arraycopy(one, 0, pair, HASH_BYTES, HASH_BYTES);
            writerDigest.update(MerkleMath.NODE_PREFIX);
            writerDigest.update(pair);
            levels[k].appendDigest(writerDigest);
        }
        dirDirty |= levels[k].writeOut();
        repairs.add(LevelFile.fileName(k) + " held " + from + " hashes, " + expected + " expected: rebuilt "
                + (expected - from) + " from " + LevelFile.fileName(k - 1));
    }

    /** What {@link #open} repaired, one sentence each; empty after a clean shutdown. */
    public List<String> repairs() { return List.copyOf(repairs); }

    public Path directory() { return dir; }

    /** Leaves readers can see: the size at the last {@link #flush}. */
    public long size() { return snapshot.size(); }

    /** Leaves appended by the writer, flushed or not. Writer thread only. */
    public long appendedSize() { return appended; }

    /** Tiles (full or partial) holding the flushed tree, over all levels. */
    public long tiles() {
        long n = size();
        long tiles = 0;
        for (int k = 0; k < LEVELS_MAX; k++) tiles += ((n >>> k) + TILE_HASHES - 1) / TILE_HASHES;
        return tiles;
    }

    // ---- writer ------------------------------------------------------------------------------

    /**
     * Appends the leaf SHA-256(0x00 ‖ entryHash) and every node it completes (amortised two
     * SHA-256 and no syscall per leaf). Invisible to readers until {@link #flush}. Writer thread only.
     */
    public void append(Hash entryHash) {
        Objects.requireNonNull(entryHash, "entryHash");
        checkOpen();
        if (appended >= LEAVES_MAX) throw QuireException.conflict("the Merkle tree is full: " + LEAVES_MAX + " leaves");
        MessageDigest md = writerDigest;
        md.update(MerkleMath.LEAF_PREFIX);
        entryHash.update(md);
        level(0).appendDigest(md);
        // Leaf i completes one node per trailing 1-bit of i: at each level it is a right child.
        long index = appended;
        int k = 0;
        while ((index & 1) == 1) {
            md.update(MerkleMath.NODE_PREFIX);
            levels[k].updateWithLastPair(md);
            level(k + 1).appendDigest(md);
            index >>>= 1;
            k++;
        }
        appended++;
        pendingBytes += (long) (k + 1) * HASH_BYTES;
        if (pendingBytes > PENDING_BYTES_MAX) writeOut(false);
    }

    /** Writes buffered hashes to the level files (no fsync) and publishes the new size to readers. */
    public void flush() {
        checkOpen();
        writeOut(true);
    }

    /** Flushes, then fsyncs every level file (and the directory if a file was created). */
    public void force() {
        flush();
        fileLock.lock();
        try {
            for (LevelFile f : levels) if (f != null) f.force();
            if (dirDirty) LedgerKeys.forceDirectory(dir);
            dirDirty = false;
        } catch (IOException e) {
            throw QuireException.io("cannot fsync the Merkle tiles: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        } finally {
            fileLock.unlock();
        }
    }

    /**
     * Drops leaves &ge; {@code newSize} and every node covering one of them, then fsyncs. For
     * recovery, which re-appends the tail from the log. Needs exclusive access (no concurrent readers).
     */
    public void truncate(long newSize) {
        checkOpen();
        if (newSize < 0 || newSize > appended) {
            throw QuireException.invalid("cannot truncate the Merkle tree of " + appended + " leaves to " + newSize);
        }
        flush();
        fileLock.lock();
        try {
            for (int k = 0; k < LEVELS_MAX; k++) {
                if (levels[k] == null) continue;
                boolean hadFile = levels[k].hasFile();
                levels[k].truncate(newSize >>> k);
                dirDirty |= hadFile && !levels[k].hasFile();
            }
            appended = writtenLeaves = newSize;
            publish();
        } catch (IOException e) {
            throw QuireException.io("cannot truncate the Merkle tiles: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        } finally {
            fileLock.unlock();
        }
        force();
    }

    private void writeOut(boolean publish) {
        fileLock.lock();
        try {
            for (LevelFile f : levels) if (f != null) dirDirty |= f.writeOut();
            writtenLeaves = appended;
            pendingBytes = 0;
            if (publish) publish();
        } catch (IOException e) {
            throw QuireException.io("cannot write the Merkle tiles: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        } finally {
            fileLock.unlock();
        }
    }

    /** Release: every hash below {@code appended} was written before this volatile write. */
    private void publish() {
        LevelFile.View[] views = new LevelFile.View[LEVELS_MAX];
        for (int k = 0; k < LEVELS_MAX; k++) if (levels[k] != null) views[k] = levels[k].view();
        snapshot = new Snapshot(appended, views);
    }

    private LevelFile level(int k) {
        LevelFile f = levels[k];
        if (f == null) levels[k] = f = LevelFile.empty(dir, k);
        return f;
    }

    /** Flushes and closes. Idempotent. Readers still running get an IllegalStateException. */
    @Override
    public void close() {
        if (closed) return;
        Throwable failure = null;
        try {
            flush();
        } catch (Throwable t) {
            failure = t;
        }
        closed = true;
        closeLevels(failure);
    }

    private void closeLevels(Throwable failure) {
        for (LevelFile f : levels) {
            if (f == null) continue;
            try {
                f.close();
            } catch (Throwable t) {
                if (failure == null) failure = t;
                else failure.addSuppressed(t);
            }
        }
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw QuireException.io("cannot close the Merkle tiles: " + failure.getMessage(), Where.file(dir.toString(), -1), failure);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the Merkle tile store " + dir + " is closed");
    }

    // ---- readers -----------------------------------------------------------------------------

    /** Acquire: the snapshot and every hash it covers. */
    private Snapshot read() {
        checkOpen();
        return snapshot;
    }

    /** The stored leaf hash SHA-256(0x00 ‖ entry hash) of leaf {@code index}. */
    public Hash leaf(long index) {
        Snapshot s = read();
        if (index < 0 || index >= s.size()) throw QuireException.invalid("leaf " + index + " is not in the tree of " + s.size() + " leaves");
        return s.hash(0, index);
    }

    /** MTH of the first {@code size} leaves, for any size up to {@link #size()}; O(log size) reads. */
    public Hash root(long size) {
        Snapshot s = read();
        checkSize(s, size, "root");
        return size == 0 ? MerkleMath.EMPTY_ROOT : subtree(s, Hash.sha256(), 0, size);
    }

    /**
     * The RFC 6962 §2.1.1 audit path of leaf {@code index} in the tree of {@code size} leaves.
     * {@code entryHash} must be the entry at that position: it is checked against the stored leaf
     * (INTEGRITY naming file and offset if they differ).
     */
    public InclusionProof proveInclusion(long index, long size, Hash entryHash) {
        Snapshot s = read();
        checkSize(s, size, "inclusion proof");
        if (index < 0 || index >= size) throw QuireException.invalid("leaf " + index + " is not in the tree of " + size + " leaves");
        MessageDigest md = Hash.sha256();
        Hash stored = s.hash(0, index);
        Hash expected = MerkleMath.leafHash(md, entryHash);
        if (!stored.equals(expected)) {
            throw QuireException.integrity("stored leaf hash " + stored + " is not SHA-256(0x00 ‖ entry hash " + entryHash
                    + "); run quire verify", Where.file(dir.resolve(LevelFile.fileName(0)).toString(), index * HASH_BYTES).withPosition(index));
        }
        return new InclusionProof(index, size, entryHash, MerkleMath.inclusionPath(index, size, (lo, hi) -> subtree(s, md, lo, hi)));
    }

    /** The RFC 6962 §2.1.2 proof that the tree of {@code oldSize} leaves is a prefix of the one of {@code newSize}. */
    public ConsistencyProof proveConsistency(long oldSize, long newSize) {
        Snapshot s = read();
        checkSize(s, newSize, "consistency proof");
        if (oldSize < 0 || oldSize > newSize) throw QuireException.invalid("consistency proof needs 0 <= old size <= new size, got " + oldSize + " and " + newSize);
        MessageDigest md = Hash.sha256();
        return new ConsistencyProof(oldSize, newSize, MerkleMath.consistencyPath(oldSize, newSize, (lo, hi) -> subtree(s, md, lo, hi)));
    }

    private static void checkSize(Snapshot s, long size, String what) {
        if (size < 0 || size > s.size()) throw QuireException.invalid(what + " for size " + size + ": the tree holds " + s.size() + " leaves");
    }

    /**
     * MTH(D[lo:hi]). A complete, aligned subtree (hi - lo = 2^k, lo a multiple of 2^k) is one stored
     * read at level k; anything else is split as RFC 6962 §2.1 does. Within proofs only right-edge
     * ranges are incomplete, and they decompose into at most log n stored reads.
     */
    private static Hash subtree(Snapshot s, MessageDigest md, long lo, long hi) {
        long n = hi - lo;
        if (lo < 0 || n <= 0 || hi > s.size()) throw new IllegalStateException("bad math in subtree: lo=" + lo + " hi=" + hi + " size=" + s.size());
        if (MerkleMath.isPowerOfTwo(n) && (lo & (n - 1)) == 0) {
            int level = Long.numberOfTrailingZeros(n);
            return s.hash(level, lo >>> level);
        }
        long k = MerkleMath.splitPoint(n);
        Hash left = subtree(s, md, lo, lo + k);
        Hash right = subtree(s, md, lo + k, hi);
        return MerkleMath.nodeHash(md, left, right);
    }

    // ---- verify ------------------------------------------------------------------------------

    /**
     * For {@code quire verify}: recomputes every level from the entry hashes (position 0 up to
     * {@code size}) and compares it with the level files on disk, and checks each file's length.
     * Returns the failures (region "tile", file and byte offset), at most
     * {@link #VERIFY_FAILURES_MAX} mismatches; empty if the tree is sound. Reads the files, not the
     * in-memory copies, so damage made after open is found too.
     */
    public List<VerifyReport.Failure> verifyAgainst(LongFunction<Hash> entryHashAt, long size, ProgressListener progress) {
        checkOpen();
        List<VerifyReport.Failure> failures = new ArrayList<>();
        Path leaves = dir.resolve(LevelFile.fileName(0));
        long stored = size();
        if (size != stored) {
            failures.add(failure("the tree holds " + stored + " leaves but the log holds " + size, leaves, Math.min(size, stored) * HASH_BYTES));
        }
        checkLengths(failures);
        new TileVerifier(dir, Math.min(size, stored), failures).run(entryHashAt, progress);
        return failures;
    }

    /** Each level file must be exactly (written leaves &gt;&gt; level) × 32 bytes; missing only when that is 0. */
    private void checkLengths(List<VerifyReport.Failure> failures) {
        fileLock.lock();
        try {
            for (int k = 0; k < LEVELS_MAX; k++) {
                Path p = dir.resolve(LevelFile.fileName(k));
                long expected = (writtenLeaves >>> k) * HASH_BYTES;
                long actual = Files.exists(p) ? Files.size(p) : -1;
                if (actual == -1 && expected == 0) continue;
                if (actual == -1) failures.add(failure("level file is missing; " + expected + " bytes expected for " + writtenLeaves + " leaves", p, 0));
                else if (actual != expected) {
                    failures.add(failure("level file is " + actual + " bytes; " + expected + " expected for " + writtenLeaves + " leaves", p, Math.min(actual, expected)));
                }
            }
        } catch (IOException e) {
            failures.add(failure("cannot read the level file lengths: " + e.getMessage(), dir, -1));
        } finally {
            fileLock.unlock();
        }
    }

    static VerifyReport.Failure failure(String message, Path file, long offset) {
        return new VerifyReport.Failure("tile", message, Where.file(file.toString(), offset));
    }
}
