package io.quire.core.merkle;

import io.quire.core.Hash;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.VerifyReport;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The Merkle tree as a read-only ledger sees it: the stored levels of {@link TileStore} up to the
 * seal it loaded, and every node past the seal computed in memory from the entries it scanned.
 *
 * <pre>
 *   level k, index i:   i &lt; sealed &gt;&gt;&gt; k  → merkle/level-KK.hashes at byte i × 32 (opened READ only)
 *                       otherwise            → memory, chunk (i - sealed &gt;&gt;&gt; k) / CHUNK_HASHES
 * </pre>
 * Node (k, i) covers leaves [i·2^k, (i+1)·2^k) and is complete once leaf (i+1)·2^k − 1 is in, so
 * the nodes completed by leaves at or past the seal are exactly those with i ≥ sealed &gt;&gt;&gt; k:
 * the file part and the memory part of a level never overlap and leave no gap. Stored hashes
 * below the seal never change (the writer writes levels only at or past its own seal, which only
 * grows), so the roots and proofs of any size up to {@link #size()} are those of the writer.
 *
 * <p>Threads: one follower thread calls {@link #append} and {@link #publish}; any thread reads
 * below the published size, whose volatile write orders the chunk stores before the loads.
 */
public final class ReadOnlyTree implements AutoCloseable {
    /** Hashes per in-memory chunk (32 KiB): a level grows without copying its hashes. */
    static final int CHUNK_HASHES = 1024;
    private static final int HASH_BYTES = MerkleMath.HASH_BYTES;

    private final Path dir;
    private final long sealed;
    private final FileChannel[] files = new FileChannel[TileStore.LEVELS_MAX];
    private final Level[] memory = new Level[TileStore.LEVELS_MAX];
    private final MessageDigest digest = Hash.sha256(); // follower thread only
    private long appended;                              // follower thread only
    private volatile long size;
    private volatile boolean closed;

    /** The in-memory part of one level: hashes from index {@code sealed >>> level} on. */
    private static final class Level {
        volatile byte[][] chunks = new byte[0][];
        long count;

        Hash get(long i) {
            byte[][] cs = chunks;
            byte[] h = new byte[HASH_BYTES];
            System.arraycopy(cs[(int) (i / CHUNK_HASHES)], (int) (i % CHUNK_HASHES) * HASH_BYTES, h, 0, HASH_BYTES);
            return Hash.of(h);
        }

        void add(Hash h) {
            int c = (int) (count / CHUNK_HASHES);
            byte[][] cs = chunks;
            if (c == cs.length) chunks = cs = Arrays.copyOf(cs, Math.max(4, cs.length * 2));
            if (cs[c] == null) cs[c] = new byte[CHUNK_HASHES * HASH_BYTES];
            System.arraycopy(h.toBytes(), 0, cs[c], (int) (count % CHUNK_HASHES) * HASH_BYTES, HASH_BYTES);
            count++;
        }
    }

    private ReadOnlyTree(Path dir, long sealed) {
        this.dir = dir;
        this.sealed = sealed;
        this.appended = sealed;
        this.size = sealed;
    }

    /**
     * True when every level file of {@code merkleDir} holds at least the hashes a tree of
     * {@code sealed} leaves stores (⌊sealed / 2^k⌋ at level k), i.e. the stored part can be trusted.
     */
    public static boolean covers(Path merkleDir, long sealed) {
        for (int k = 0; k < TileStore.LEVELS_MAX && (sealed >>> k) > 0; k++) {
            Path p = merkleDir.resolve(LevelFile.fileName(k));
            try {
                if (!Files.isRegularFile(p) || Files.size(p) < (sealed >>> k) * HASH_BYTES) return false;
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Opens the level files holding the first {@code sealed} leaves for reading; the caller checked {@link #covers}. */
    public static ReadOnlyTree open(Path merkleDir, long sealed) {
        ReadOnlyTree t = new ReadOnlyTree(merkleDir, sealed);
        try {
            for (int k = 0; k < TileStore.LEVELS_MAX && (sealed >>> k) > 0; k++) {
                t.files[k] = FileChannel.open(merkleDir.resolve(LevelFile.fileName(k)), StandardOpenOption.READ);
            }
            for (int k = 0; k < TileStore.LEVELS_MAX; k++) t.memory[k] = new Level();
            return t;
        } catch (IOException e) {
            QuireException q = QuireException.io("cannot open the Merkle levels read-only: " + e.getMessage(), Where.file(merkleDir.toString(), -1), e);
            try {
                t.close();
            } catch (RuntimeException s) {
                q.addSuppressed(s);
            }
            throw q;
        }
    }

    /** Leaves readers can see. */
    public long size() { return size; }

    /** Leaves whose hashes come from the level files. */
    public long sealed() { return sealed; }

    // ---- follower ----------------------------------------------------------------------------

    /** Adds the leaf SHA-256(0x00 ‖ entryHash) and every node it completes; invisible until {@link #publish}. */
    public void append(Hash entryHash) {
        if (appended >= TileStore.LEAVES_MAX) throw QuireException.conflict("the Merkle tree is full: " + TileStore.LEAVES_MAX + " leaves");
        Hash h = MerkleMath.leafHash(digest, entryHash);
        long index = appended;
        put(0, index, h);
        int k = 0;
        // Leaf i completes one node per trailing 1-bit of i: at each level it is a right child.
        while ((index & 1) == 1) {
            h = MerkleMath.nodeHash(digest, hash(k, index - 1), h);
            index >>>= 1;
            k++;
            put(k, index, h);
        }
        appended++;
    }

    /** Makes every appended leaf visible to readers (release). */
    public void publish() { size = appended; }

    private void put(int level, long index, Hash h) {
        Level m = memory[level];
        if (index != (sealed >>> level) + m.count) {
            throw new IllegalStateException("bad math in put: level=" + level + " index=" + index + " sealed=" + sealed + " count=" + m.count);
        }
        m.add(h);
    }

    // ---- readers -----------------------------------------------------------------------------

    private Hash hash(int level, long index) {
        long stored = sealed >>> level;
        if (index >= stored) return memory[level].get(index - stored);
        ByteBuffer b = ByteBuffer.allocate(HASH_BYTES);
        long pos = index * HASH_BYTES;
        try {
            while (b.hasRemaining()) {
                int r = files[level].read(b, pos + b.position());
                if (r < 0) {
                    throw QuireException.integrity("level file ends before the sealed hash " + index, Where.file(dir.resolve(LevelFile.fileName(level)).toString(), pos));
                }
            }
        } catch (IOException e) {
            throw QuireException.io("cannot read a Merkle level: " + e.getMessage(), Where.file(dir.resolve(LevelFile.fileName(level)).toString(), pos), e);
        }
        return Hash.of(b.array());
    }

    private long checkedSize(long n, String what) {
        if (closed) throw new IllegalStateException("the read-only Merkle tree " + dir + " is closed");
        long s = size;
        if (n < 0 || n > s) throw QuireException.invalid(what + " for size " + n + ": the tree holds " + s + " leaves");
        return s;
    }

    /** MTH of the first {@code n} leaves. */
    public Hash root(long n) {
        checkedSize(n, "root");
        return n == 0 ? MerkleMath.EMPTY_ROOT : subtree(Hash.sha256(), 0, n);
    }

    /** As {@link TileStore#proveInclusion}: the entry hash is checked against the stored leaf. */
    public InclusionProof proveInclusion(long index, long n, Hash entryHash) {
        checkedSize(n, "inclusion proof");
        if (index < 0 || index >= n) throw QuireException.invalid("leaf " + index + " is not in the tree of " + n + " leaves");
        MessageDigest md = Hash.sha256();
        Hash stored = hash(0, index);
        Hash expected = MerkleMath.leafHash(md, entryHash);
        if (!stored.equals(expected)) {
            throw QuireException.integrity("stored leaf hash " + stored + " is not SHA-256(0x00 ‖ entry hash " + entryHash
                    + "); run quire verify", Where.file(dir.resolve(LevelFile.fileName(0)).toString(), index * HASH_BYTES).withPosition(index));
        }
        return new InclusionProof(index, n, entryHash, MerkleMath.inclusionPath(index, n, (lo, hi) -> subtree(md, lo, hi)));
    }

    public ConsistencyProof proveConsistency(long oldSize, long newSize) {
        checkedSize(newSize, "consistency proof");
        if (oldSize < 0 || oldSize > newSize) throw QuireException.invalid("consistency proof needs 0 <= old size <= new size, got " + oldSize + " and " + newSize);
        MessageDigest md = Hash.sha256();
        return new ConsistencyProof(oldSize, newSize, MerkleMath.consistencyPath(oldSize, newSize, (lo, hi) -> subtree(md, lo, hi)));
    }

    /** MTH(D[lo:hi]) as {@code TileStore.subtree}: one stored read per complete aligned subtree (RFC 6962 §2.1). */
    private Hash subtree(MessageDigest md, long lo, long hi) {
        long n = hi - lo;
        if (lo < 0 || n <= 0 || hi > size) throw new IllegalStateException("bad math in subtree: lo=" + lo + " hi=" + hi + " size=" + size);
        if (MerkleMath.isPowerOfTwo(n) && (lo & (n - 1)) == 0) {
            int level = Long.numberOfTrailingZeros(n);
            return hash(level, lo >>> level);
        }
        long k = MerkleMath.splitPoint(n);
        return MerkleMath.nodeHash(md, subtree(md, lo, lo + k), subtree(md, lo + k, hi));
    }

    /**
     * For {@code verify}: recomputes the stored levels of the first min(n, sealed) leaves from the
     * entry hashes and compares them with the files ({@link TileVerifier}); past the seal, checks
     * each in-memory leaf against its entry. File lengths are not checked: the writer is appending
     * to them, and a reader trusts nothing in them past its seal.
     */
    public List<VerifyReport.Failure> verifyAgainst(LongFunction<Hash> entryHashAt, long n) {
        checkedSize(n, "verify");
        List<VerifyReport.Failure> failures = new ArrayList<>();
        new TileVerifier(dir, Math.min(n, sealed), failures).run(entryHashAt, ProgressListener.NONE);
        MessageDigest md = Hash.sha256();
        for (long i = sealed; i < n && failures.size() < TileStore.VERIFY_FAILURES_MAX; i++) {
            Hash want = MerkleMath.leafHash(md, entryHashAt.apply(i));
            if (!hash(0, i).equals(want)) {
                failures.add(TileStore.failure("in-memory leaf " + i + " differs from the entry hash read from the log", dir, -1));
            }
        }
        return failures;
    }

    @Override
    public void close() {
        closed = true;
        IOException first = null;
        for (int k = 0; k < files.length; k++) {
            if (files[k] == null) continue;
            try {
                files[k].close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
            files[k] = null;
        }
        if (first != null) throw QuireException.io("cannot close the Merkle levels: " + first.getMessage(), Where.file(dir.toString(), -1), first);
    }
}
