package io.quire.core.log;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.LoadResult;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.RecoveryReport;
import io.quire.core.StreamInfo;
import io.quire.core.VerifyReport;
import io.quire.core.Where;
import io.quire.core.blob.BlobStore;
import io.quire.core.blob.FileBlobStore;
import io.quire.core.index.Catalog;
import io.quire.core.index.IdTable;
import io.quire.core.index.ReadOnlyIndex;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.merkle.ConsistencyProof;
import io.quire.core.merkle.InclusionProof;
import io.quire.core.merkle.LedgerKeys;
import io.quire.core.merkle.ReadOnlyTree;
import io.quire.core.watch.Watch;
import io.quire.core.watch.WatchListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * A ledger opened with {@code LedgerOptions.readOnly(true)}: reads, watches, proofs, verify,
 * snapshot and backup beside a live writer process (or another instance in this JVM), writing
 * nothing in the ledger directory.
 *
 * <p><b>Lock protocol</b> ({@link WriterLock}): a reader takes no lock and never opens
 * {@code LOCK}; the one writer holds an exclusive lock on it. Readers so need only read
 * permission, never delay the writer, and cannot release the writer's POSIX lock by closing a
 * descriptor of LOCK. The price: {@code repair} cannot see readers; a reader detects the cut
 * instead (see {@link Follower}) and stops with INTEGRITY.
 *
 * <p><b>What it writes</b>: nothing. Every file is opened READ only (segments, the sealed prefix of
 * the indexes and Merkle levels, catalog, keys — only the public key —, checkpoints, blobs). No
 * truncation, seal, index or tile write, checkpoint or LOCK creation; the blob store's stale-temp
 * sweep is skipped (it would delete the writer's puts in progress). Mutating calls ({@code append*},
 * {@code load}, {@code checkpoint}, {@code blobs().put}) fail with CONFLICT, code
 * {@code read_only}. {@code backup} is allowed: it reads the ledger and writes only its target.
 *
 * <p><b>What it trusts</b> (the writer's contract in LocalLedger's Javadoc):
 * <ul>
 *   <li>Derived files only up to the seal in {@code index/catalog.bin} as read at open, and only
 *       when each is at least that long (as a writable open checks): {@code positions.idx},
 *       {@code ids.idx} and {@code streams/N.idx} up to the catalog's last seq are mapped
 *       READ_ONLY ({@link ReadOnlyIndex}); Merkle levels are read below ⌊seal / 2^k⌋
 *       ({@link ReadOnlyTree}). A missing, damaged or stale catalog trusts nothing: everything
 *       comes from the log.</li>
 *   <li>Everything past the seal comes from scanning the log, checked as recovery checks it, and
 *       lives in this reader's memory: position → frame offset, id fingerprints, the idempotency
 *       table, per-stream seq → position past the catalog's last seq, Merkle nodes past the seal.
 *       A later seal by the writer rewrites catalog.bin; the reader keeps its overlay and never
 *       reads derived-file slots past the seal it loaded.</li>
 *   <li>A torn or incomplete tail is simply not visible (the scan stops at the last valid commit
 *       frame). Corruption in the scanned region refuses the open (or stops the follower) with
 *       the INTEGRITY error a writable open gives.</li>
 * </ul>
 * Memory: about 100 bytes per entry past the seal (the overlay is not re-anchored on later
 * seals), on top of the IdTable for the sealed part.
 *
 * <p><b>Following</b>: after the open's own pass, a daemon virtual thread ({@link Follower}) polls
 * every {@link Follower#FOLLOW_POLL_MS} ms for new batches and segments, publishes them as the
 * writer does and signals watchers, so {@code watch} is gapless and live. If it fails (history
 * cut, damage), every watch ends FAILED with the cause and every later call throws it.
 */
public final class ReadOnlyLedger implements Ledger {
    /** Where the follower is: the last attached segment and the end of its last applied commit. */
    record Mark(Segments.Seg seg, long end) {}

    final Path dir;
    final LedgerOptions options;
    final Segments segments;
    final ReadOnlyIndex positions;
    final ReadOnlyIndex idPrints;
    final IdTable ids = new IdTable();
    final ReadOnlyTree tree;
    final FileBlobStore blobs;
    final PublicKey publicKey;
    final ConcurrentHashMap<String, StreamState> streams = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Integer, StreamState> streamsById = new ConcurrentHashMap<>();
    /** Per stream name: its seq → position index (sealed prefix from the file, the rest in memory). */
    final ConcurrentHashMap<String, ReadOnlyIndex> seqIndexes = new ConcurrentHashMap<>();
    /** Held while the follower publishes a batch and while a cut is taken, so a cut is a commit boundary. */
    final Object publishLock = new Object();
    /** Published number of entries; written after the batch's overlay slots and stream heads. */
    volatile long size;
    volatile Mark mark;
    volatile QuireException failure;
    private final LogView view = new View();
    private final Follower follower;
    private final WatchHub watches;
    private final RecoveryReport recovery;
    private volatile boolean closed;

    // ------------------------------------------------------------------------------ open

    static Ledger open(Path dir, LedgerOptions options) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            LocalLedger.checkMarker(dir);
            return new ReadOnlyLedger(dir, options, opened);
        } catch (Throwable t) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try { opened.get(i).close(); } catch (Throwable s) { t.addSuppressed(s); }
            }
            if (t instanceof QuireException q) throw q;
            if (t instanceof IOException io) throw QuireException.io("cannot open ledger read-only: " + io.getMessage(), Where.file(dir.toString(), -1), io);
            if (t instanceof RuntimeException re) throw re;
            throw (Error) t;
        }
    }

    private ReadOnlyLedger(Path dir, LedgerOptions options, List<AutoCloseable> opened) {
        this.dir = dir;
        this.options = options;
        publicKey = LedgerKeys.loadPublic(dir.resolve("keys").resolve(LedgerKeys.PUBLIC_KEY_FILE));
        blobs = FileBlobStore.openReadOnly(dir.resolve("blobs"));
        Optional<Catalog> cat = readCatalog();
        boolean trusted = cat.isPresent() && covered(cat.get());
        long sealed = trusted ? cat.get().sealedSize() : 0;
        positions = ReadOnlyIndex.open(dir.resolve("index/positions.idx"), sealed);
        opened.add(positions);
        idPrints = ReadOnlyIndex.open(dir.resolve("index/ids.idx"), sealed);
        opened.add(idPrints);
        opened.add(() -> { for (ReadOnlyIndex x : seqIndexes.values()) x.close(); });
        for (long i = 0; i < sealed; i++) ids.insert(idPrints.get(i), i);
        if (trusted) {
            for (Catalog.StreamRecord r : cat.get().streams()) {
                StreamState s = new StreamState(r.id(), r.name(), null, r.lastSeq(), r.lastHash(), r.lastPosition(), true);
                seqIndexes.put(r.name(), ReadOnlyIndex.open(dir.resolve("index/streams/" + r.id() + ".idx"), r.lastSeq()));
                streams.put(r.name(), s);
                streamsById.put(r.id(), s);
            }
        }
        tree = ReadOnlyTree.open(dir.resolve("merkle"), sealed);
        opened.add(tree);
        segments = Segments.open(dir.resolve("log"), false);
        opened.add(segments);
        size = sealed;
        List<Segments.Seg> segs = segments.all();
        if (!trusted && !segs.isEmpty() && segs.get(0).firstPosition() != 0) {
            throw QuireException.integrity("the first segment does not start at position 0", Where.file(segs.get(0).file(), 0));
        }
        follower = trusted ? new Follower(this, cat.get().resumeSegment(), cat.get().resumeOffset())
                : new Follower(this, 0, FrameLayout.SEGMENT_HEADER_BYTES);
        follower.catchUp();
        recovery = new RecoveryReport(cat.isPresent() && cat.get().clean(), null, -1, 0, follower.entriesApplied);
        watches = new WatchHub(view);
        follower.start();
    }

    private Optional<Catalog> readCatalog() {
        try {
            return Catalog.read(dir.resolve("index").resolve(Catalog.FILE));
        } catch (QuireException e) {
            if (e.kind() != ErrorKind.INTEGRITY) throw e;
            return Optional.empty(); // derived data: re-derive everything from the log, in memory
        }
    }

    /** The derived files hold at least what the seal says (the check a writable open makes). */
    private boolean covered(Catalog c) {
        long p = c.sealedSize();
        if (ReadOnlyIndex.physicalLongs(dir.resolve("index/positions.idx")) < p) return false;
        if (ReadOnlyIndex.physicalLongs(dir.resolve("index/ids.idx")) < p) return false;
        for (Catalog.StreamRecord r : c.streams()) {
            if (r.lastSeq() > 0 && ReadOnlyIndex.physicalLongs(dir.resolve("index/streams/" + r.id() + ".idx")) < r.lastSeq()) return false;
        }
        return ReadOnlyTree.covers(dir.resolve("merkle"), p);
    }

    /** The follower stopped: every later call throws {@code e}, every watch ends FAILED with it. */
    void fail(QuireException e) {
        failure = e;
        watches.failAll(e);
    }

    static QuireException readOnly(String what) {
        return QuireException.conflict("cannot " + what + ": this ledger is open read-only (LedgerOptions.readOnly);"
                + " open it writable, in the one process that writes it, to " + what).withCode("read_only");
    }

    void ensureOpen() {
        if (closed) throw new QuireException(ErrorKind.IO, "the ledger is closed");
        QuireException f = failure;
        if (f != null) throw new QuireException(f.kind(), "this read-only ledger stopped following the log: " + f.reason(), f.where(), f);
    }

    // ------------------------------------------------------------------------------ refused

    @Override public Path dir() { return dir; }

    @Override public RecoveryReport recovery() { return recovery; }

    @Override
    public CompletableFuture<Entry> appendAsync(String stream, Draft draft) { return CompletableFuture.failedFuture(readOnly("append")); }

    @Override
    public List<Entry> appendBatch(String stream, List<Draft> drafts) { throw readOnly("append"); }

    @Override
    public Checkpoint checkpoint() { throw readOnly("make a checkpoint"); }

    @Override
    public LoadResult load(String stream, InputStream snapshot, boolean failIfExists) { throw readOnly("load a snapshot"); }

    // ------------------------------------------------------------------------------ reads

    @Override
    public List<Entry> read(String stream, long afterSeq, int limit, String keyFilter) { return view.readStream(stream, afterSeq, limit, keyFilter); }

    @Override public Entry readPosition(long position) { return view.readPosition(position); }

    @Override public Optional<Entry> findById(String stream, String id) { return view.findById(stream, id); }

    @Override public List<StreamInfo> streams() { return view.streamInfos(); }

    @Override public Optional<StreamInfo> stream(String name) { return view.streamInfo(name); }

    @Override public long size() { return size; }

    @Override
    public Watch watch(String stream, long afterSeq, String keyFilter, long maxLagEntries, WatchListener listener) {
        view.checkWatch(stream, afterSeq, maxLagEntries, listener);
        return watches.start(stream, afterSeq, keyFilter, maxLagEntries, listener);
    }

    // ------------------------------------------------------------------------------ Merkle

    @Override
    public Optional<Checkpoint> latestCheckpoint() { return LocalLedger.readLatestCheckpoint(dir); }

    @Override public Hash rootAt(long n) { return view.rootAt(n); }

    @Override public InclusionProof proveInclusion(long position, long n) { return view.proveInclusion(position, n); }

    @Override public ConsistencyProof proveConsistency(long oldSize, long newSize) { return view.proveConsistency(oldSize, newSize); }

    @Override public BlobStore blobs() { return blobs; }

    // ------------------------------------------------------------------------------ snapshot / verify / backup

    @Override
    public void snapshot(String stream, OutputStream out) { StreamTransfer.snapshot(view, stream, out); }

    /** Checks the log up to a fresh cut, the derived files up to the seal, the blobs and the checkpoint. */
    @Override
    public VerifyReport verify(ProgressListener progress, boolean all) { return new Verifier(view).run(progress, all); }

    /** Allowed: reads the ledger (up to a cut), writes only the target. */
    @Override
    public void backup(Path target, ProgressListener progress) { new Backup(view).run(target, progress); }

    // ------------------------------------------------------------------------------ close

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Throwable failure = null;
        try { watches.closeAll(); } catch (Throwable t) { failure = t; }
        try { follower.stop(); } catch (Throwable t) { failure = add(failure, t); }
        List<AutoCloseable> l = new ArrayList<>(seqIndexes.values());
        l.add(positions);
        l.add(idPrints);
        l.add(tree);
        l.add(segments);
        for (AutoCloseable c : l) {
            try { c.close(); } catch (Throwable t) { failure = add(failure, t); }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new QuireException(ErrorKind.IO, "error while closing: " + failure, Where.NOWHERE, failure);
    }

    private static Throwable add(Throwable first, Throwable t) {
        if (first == null) return t;
        first.addSuppressed(t);
        return first;
    }

    /** {@link LogView} over the sealed files and this reader's overlay. */
    private final class View implements LogView {
        @Override public Path dir() { return dir; }

        @Override public LedgerOptions options() { return options; }

        @Override public void ensureOpen() { ReadOnlyLedger.this.ensureOpen(); }

        @Override public Segments segments() { return segments; }

        @Override public long size() { return size; }

        @Override public long frameOffset(long position) { return positions.get(position); }

        @Override public long idPrint(long position) { return idPrints.get(position); }

        @Override public long seqPosition(StreamState s, long seq) { return seqIndexes.get(s.name).get(seq - 1); }

        @Override public long seqIndexed(StreamState s) { return s.lastSeq; }

        @Override public StreamState streamById(int id) { return streamsById.get(id); }

        @Override public StreamState streamByName(String name) { return streams.get(name); }

        @Override public Collection<StreamState> streamStates() { return streamsById.values(); }

        /** A stream not yet written gets an undefined state whose id the follower fills in from its STREAM frame. */
        @Override
        public StreamState stateForWatch(String stream) {
            return streams.computeIfAbsent(stream, n -> new StreamState(StreamState.UNKNOWN_ID, n, null, 0, Hash.ZERO, -1, false));
        }

        /** After a fresh follow pass, so the cut covers whatever was committed before the call. */
        @Override
        public Cut cut() {
            follower.awaitPass();
            ensureOpen();
            synchronized (publishLock) {
                Mark m = mark;
                Map<Integer, Long> heads = new HashMap<>();
                for (StreamState s : streamsById.values()) if (s.defined) heads.put(s.id, s.lastSeq);
                if (m == null) return new Cut(List.of(), 0, size, heads);
                List<Segments.Seg> segs = new ArrayList<>();
                for (Segments.Seg s : segments.all()) if (s.firstPosition() < m.seg().firstPosition()) segs.add(s);
                segs.add(m.seg());
                return new Cut(segs, m.end(), size, heads);
            }
        }

        @Override
        public List<VerifyReport.Failure> verifyTiles(LongFunction<Hash> entryHashAt, long n) { return tree.verifyAgainst(entryHashAt, n); }

        @Override public Hash merkleRoot(long n) { return tree.root(n); }

        @Override public InclusionProof merkleInclusion(long index, long n, Hash entryHash) { return tree.proveInclusion(index, n, entryHash); }

        @Override public ConsistencyProof merkleConsistency(long oldSize, long newSize) { return tree.proveConsistency(oldSize, newSize); }

        @Override public PublicKey publicKey() { return publicKey; }

        @Override public Optional<Checkpoint> latestCheckpoint() { return ReadOnlyLedger.this.latestCheckpoint(); }

        @Override public BlobStore blobStore() { return blobs; }

        @Override public IdTable ids() { return ids; }
    }
}
