package io.quire.core;

import io.quire.core.blob.BlobStore;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.merkle.ConsistencyProof;
import io.quire.core.merkle.InclusionProof;
import io.quire.core.watch.Watch;
import io.quire.core.watch.WatchListener;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A ledger: a directory holding streams of hash-chained entries, one Merkle tree over all of them,
 * a blob store and signed checkpoints (DESIGN §3). Thread-safe: any number of threads may append,
 * read and watch at once; one writer thread does the I/O and group-commits.
 *
 * <p>Failures are {@link QuireException}s with an {@link ErrorKind} and a {@link Where}.
 */
public interface Ledger extends AutoCloseable {

    /** Creates a new ledger directory (layout, Ed25519 key, config). CONFLICT if one exists there. */
    static void init(Path dir) { io.quire.core.log.LocalLedger.init(dir); }

    /** Opens an existing ledger, recovering from a crash as DESIGN §3.2 says. NOT_FOUND if none. */
    static Ledger open(Path dir, LedgerOptions options) { return io.quire.core.log.LocalLedger.open(dir, options); }

    static Ledger open(Path dir) { return open(dir, LedgerOptions.defaults()); }

    Path dir();

    /** What opening did (torn tail truncated, entries re-indexed). */
    RecoveryReport recovery();

    /** Appends one entry and returns it once it is durable (per the durability mode). */
    default Entry append(String stream, Draft draft) { return io.quire.core.log.Futures.join(appendAsync(stream, draft)); }

    /** Appends one entry; the future completes when it is durable. Validation errors fail the future. */
    CompletableFuture<Entry> appendAsync(String stream, Draft draft);

    /**
     * Appends many entries to one stream in order, durable together (the bulk path). All drafts are
     * validated before anything is written; ids already present are returned as they are.
     */
    List<Entry> appendBatch(String stream, List<Draft> drafts);

    /**
     * Entries of {@code stream} with seq > {@code afterSeq}, at most {@code limit} (0 = up to
     * {@link Limits#READ_LIMIT_MAX}; above it INVALID_INPUT), only those whose key equals
     * {@code keyFilter} unless it is null or empty. A stream never written reads as empty.
     */
    List<Entry> read(String stream, long afterSeq, int limit, String keyFilter);

    /** The entry at a ledger position. NOT_FOUND past the end. */
    Entry readPosition(long position);

    /** The entry with this id in this stream, if any. */
    Optional<Entry> findById(String stream, String id);

    List<StreamInfo> streams();

    Optional<StreamInfo> stream(String name);

    /** Number of entries in the whole ledger (= the next position). */
    long size();

    /** Starts a gapless watch of entries with seq > afterSeq whose key matches (null/"" = all). */
    default Watch watch(String stream, long afterSeq, String keyFilter, WatchListener listener) {
        return watch(stream, afterSeq, keyFilter, 0, listener);
    }

    /**
     * As {@link #watch(String, long, String, WatchListener)}, and once the watch has caught up with
     * the head, ends it with {@code LAGGING} (resume from {@code WatchEnd.lastSeq()}) if it falls
     * more than {@code maxLagEntries} behind the head again; 0 = never (a watch buffers nothing,
     * so lag costs no memory: it is a choice of the consumer, e.g. a server that must not serve
     * stale streams).
     */
    Watch watch(String stream, long afterSeq, String keyFilter, long maxLagEntries, WatchListener listener);

    /** Signs and stores a checkpoint of the current tree. */
    Checkpoint checkpoint();

    /** The latest stored checkpoint, if one was ever made. */
    Optional<Checkpoint> latestCheckpoint();

    /** The Merkle root of the first {@code size} entries. */
    Hash rootAt(long size);

    InclusionProof proveInclusion(long position, long size);

    ConsistencyProof proveConsistency(long oldSize, long newSize);

    BlobStore blobs();

    /** Writes a portable snapshot of the stream (docs/FORMAT.md "Snapshot"). NOT_FOUND if empty. */
    void snapshot(String stream, OutputStream out);

    /** Verifies then loads a snapshot into {@code stream} with the rules of DESIGN §3.3. */
    LoadResult load(String stream, InputStream snapshot, boolean failIfExists);

    /** Checks every frame, hash, chain link, index entry, tile, blob and checkpoint. */
    VerifyReport verify(ProgressListener progress, boolean all);

    /** Online, consistent copy of the ledger into an empty or absent directory. */
    void backup(Path target, ProgressListener progress);

    @Override void close();
}
