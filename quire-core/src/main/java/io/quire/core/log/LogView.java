package io.quire.core.log;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.Hash;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
import io.quire.core.QuireException;
import io.quire.core.VerifyReport;
import io.quire.core.Where;
import io.quire.core.blob.BlobStore;
import io.quire.core.index.IdTable;
import io.quire.core.merkle.Checkpoint;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * What the read paths ({@link FrameReader}, {@link WatchHub}, {@link Verifier}, {@link Backup},
 * snapshots) need from a ledger, so that they serve the writable {@link LocalLedger} and the
 * {@link ReadOnlyLedger} alike. Every value here is <em>published</em>: a position below
 * {@link #size()} or a seq up to a stream's {@code lastSeq} has its index slots and frame in
 * place before the volatile write that made it visible (see LocalLedger and ReadOnlyLedger for
 * who writes them).
 */
interface LogView {

    /**
     * A consistent cut at a commit boundary: the segments holding positions [0, size), the
     * committed length of the last one, and every stream's last seq at that point.
     */
    record Cut(List<Segments.Seg> segs, long lastLength, long size, Map<Integer, Long> heads) {}

    Path dir();

    LedgerOptions options();

    /** Throws when the ledger is closed (or, read-only, stopped following the log). */
    void ensureOpen();

    Segments segments();

    /** Published number of entries. */
    long size();

    /** Byte offset of the ENTRY frame of {@code position} (&lt; size) in its segment. */
    long frameOffset(long position);

    /** Id fingerprint recorded for {@code position} (&lt; size). */
    long idPrint(long position);

    /** Position of {@code seq} (1-based, ≤ the stream's published lastSeq). */
    long seqPosition(StreamState s, long seq);

    /** How many seqs the stream's index holds (at least its published lastSeq). */
    long seqIndexed(StreamState s);

    StreamState streamById(int id);

    StreamState streamByName(String name);

    Collection<StreamState> streamStates();

    /** The state a watcher of {@code stream} waits on, created undefined if the stream is not written yet. */
    StreamState stateForWatch(String stream);

    Cut cut();

    /** Checks the Merkle levels against the entry hashes of [0, size) (region "tile" failures). */
    List<VerifyReport.Failure> verifyTiles(LongFunction<Hash> entryHashAt, long size);

    /** The Merkle root of the first {@code n} entries. */
    Hash merkleRoot(long n);

    /** RFC 6962 audit path of leaf {@code index} in the tree of size {@code n} (both checked by the caller). */
    io.quire.core.merkle.InclusionProof merkleInclusion(long index, long n, Hash entryHash);

    /** RFC 6962 consistency proof (sizes checked by the caller). */
    io.quire.core.merkle.ConsistencyProof merkleConsistency(long oldSize, long newSize);

    PublicKey publicKey();

    Optional<Checkpoint> latestCheckpoint();

    BlobStore blobStore();

    default Path positionsPath() { return dir().resolve("index/positions.idx"); }

    default Path idsPath() { return dir().resolve("index/ids.idx"); }

    default Path seqIndexPath(StreamState s) { return dir().resolve("index/streams/" + s.id + ".idx"); }

    default String streamName(int id) {
        StreamState s = streamById(id);
        if (s == null) throw new IllegalStateException("bad math in streamName: unknown stream id " + id);
        return s.name;
    }

    /** The resident idempotency table (candidates for {@link #lookupId}). */
    IdTable ids();

    /** {@link io.quire.core.Ledger#read}: validated, then {@link #scanStream}. */
    default List<Entry> readStream(String stream, long afterSeq, int limit, String keyFilter) {
        ensureOpen();
        Draft.validateStreamName(stream);
        if (afterSeq < 0) throw QuireException.invalid("after must be ≥ 0, got " + afterSeq);
        if (limit < 0) throw QuireException.invalid("limit must be ≥ 0, got " + limit);
        // Refused, not cut: a page shorter than asked for would look like the end of the stream.
        if (limit > Limits.READ_LIMIT_MAX) {
            throw QuireException.invalid("limit is " + limit + " entries; the limit is " + Limits.READ_LIMIT_MAX
                    + " (READ_LIMIT_MAX); page with after = the last seq read");
        }
        int max = limit == 0 ? Limits.READ_LIMIT_MAX : limit;
        StreamState s = streamByName(stream);
        if (s == null || !s.defined) return List.of();
        List<Entry> out = new ArrayList<>(Math.min(max, 1024));
        scanStream(s, afterSeq, max, keyFilter, out);
        return out;
    }

    /** Confirms IdTable candidates by reading them; positions ≥ limit are ignored (not yet published). */
    default Optional<Entry> lookupId(StreamState s, String id, long limit) {
        long fp = IdTable.fingerprint(s.id, id);
        FrameReader r = new FrameReader(this);
        Entry[] found = new Entry[1];
        ids().lookup(fp, pos -> {
            if (pos >= limit) return false;
            Entry e = r.read(pos, null);
            if (e.stream().equals(s.name) && e.id().equals(id)) {
                found[0] = e;
                return true;
            }
            return false;
        });
        return Optional.ofNullable(found[0]);
    }

    /**
     * Appends to {@code out} up to {@code max} entries of {@code s} after {@code afterSeq} whose key
     * matches; returns the last seq examined (matching or not) so a watcher can advance past
     * entries the filter skipped.
     */
    default long scanStream(StreamState s, long afterSeq, int max, String keyFilter, List<Entry> out) {
        long last = s.lastSeq;
        boolean filter = keyFilter != null && !keyFilter.isEmpty();
        FrameReader r = new FrameReader(this);
        long seq = afterSeq;
        while (seq < last && out.size() < max) {
            seq++;
            long pos = seqPosition(s, seq);
            Entry e = r.read(pos, s.name);
            if (e.seq() != seq) {
                throw QuireException.integrity("index points seq " + seq + " at an entry with seq " + e.seq(), new Where(null, -1, s.name, seq, pos));
            }
            if (!filter || keyFilter.equals(e.key())) out.add(e);
        }
        return seq;
    }

    // ---------------------------------------------------------------- the read side of Ledger,
    // shared by the writable and the read-only ledger (one implementation of each rule).

    /** {@link io.quire.core.Ledger#readPosition}. */
    default Entry readPosition(long position) {
        ensureOpen();
        long n = size();
        if (position < 0 || position >= n) throw QuireException.notFound("position " + position + " does not exist (ledger size " + n + ")");
        return new FrameReader(this).read(position, null);
    }

    /** {@link io.quire.core.Ledger#findById}. */
    default Optional<Entry> findById(String stream, String id) {
        ensureOpen();
        Draft.validateStreamName(stream);
        Draft.validateId(id);
        StreamState s = streamByName(stream);
        if (s == null || !s.defined) return Optional.empty();
        return lookupId(s, id, size());
    }

    /** {@link io.quire.core.Ledger#streams}: defined streams by name. */
    default List<io.quire.core.StreamInfo> streamInfos() {
        List<io.quire.core.StreamInfo> l = new ArrayList<>();
        for (StreamState s : streamStates()) if (s.defined) l.add(s.info());
        l.sort((a, b) -> a.name().compareTo(b.name()));
        return l;
    }

    /** {@link io.quire.core.Ledger#stream}. */
    default Optional<io.quire.core.StreamInfo> streamInfo(String name) {
        Draft.validateStreamName(name);
        StreamState s = streamByName(name);
        return s == null || !s.defined ? Optional.empty() : Optional.of(s.info());
    }

    /** Checks a watch request before it starts (the ledger then hands it to its WatchHub). */
    default void checkWatch(String stream, long afterSeq, long maxLagEntries, Object listener) {
        ensureOpen();
        Draft.validateStreamName(stream);
        if (afterSeq < 0) throw QuireException.invalid("after must be ≥ 0, got " + afterSeq);
        if (maxLagEntries < 0) throw QuireException.invalid("max lag must be ≥ 0 entries (0 = unlimited), got " + maxLagEntries);
        if (listener == null) throw QuireException.invalid("a watch needs a listener");
    }

    private void checkTreeSize(long n) {
        ensureOpen();
        long s = size();
        if (n < 0 || n > s) throw QuireException.invalid("tree size " + n + " is out of range (ledger size " + s + ")");
    }

    /** {@link io.quire.core.Ledger#rootAt}. */
    default Hash rootAt(long n) {
        checkTreeSize(n);
        return merkleRoot(n);
    }

    /** {@link io.quire.core.Ledger#proveInclusion}. */
    default io.quire.core.merkle.InclusionProof proveInclusion(long position, long n) {
        checkTreeSize(n);
        if (position < 0 || position >= n) throw QuireException.invalid("position " + position + " is not in a tree of size " + n);
        return merkleInclusion(position, n, readPosition(position).hash());
    }

    /** {@link io.quire.core.Ledger#proveConsistency}. */
    default io.quire.core.merkle.ConsistencyProof proveConsistency(long oldSize, long newSize) {
        checkTreeSize(newSize);
        if (oldSize < 1 || oldSize > newSize) throw QuireException.invalid("consistency needs 1 ≤ old ≤ new, got old=" + oldSize + " new=" + newSize);
        return merkleConsistency(oldSize, newSize);
    }
}
