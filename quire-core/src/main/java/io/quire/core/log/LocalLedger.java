package io.quire.core.log;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
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
import io.quire.core.index.IndexFile;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.merkle.ConsistencyProof;
import io.quire.core.merkle.InclusionProof;
import io.quire.core.merkle.LedgerKeys;
import io.quire.core.merkle.TileStore;
import io.quire.core.watch.Watch;
import io.quire.core.watch.WatchListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
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
 * The ledger on local files (DESIGN §3.2). Layout of the directory (docs/FORMAT.md):
 *
 * <pre>
 *   QUIRE                 marker: "quire-ledger v1"
 *   LOCK                  fcntl-locked (exclusive) by the one writer; readers never touch it
 *   quire.yaml            configuration (defaults, commented)
 *   keys/ledger.key|.pub  Ed25519 key pair for checkpoints
 *   log/NNN….seg          segments (FrameLayout)
 *   index/catalog.bin     seal record (Catalog)
 *   index/positions.idx   u64 per position: byte offset of its frame in its segment
 *   index/ids.idx         u64 per position: id fingerprint (rebuilds the IdTable)
 *   index/streams/N.idx   u64 per seq of stream N: its position
 *   merkle/level-KK.hashes Merkle levels (TileStore)
 *   blobs/sha256/…        blob store
 *   checkpoints/latest.cp the latest signed checkpoint
 * </pre>
 *
 * <p>Trust on open: everything derived (indexes, Merkle levels, catalog) is trusted up to the last
 * seal and re-derived from the log after it; the log after the seal is scanned with
 * {@link SegmentScanner}, whose decision table separates a torn tail (truncated, reported) from
 * corruption (refused, named).
 *
 * <p><b>Writers and readers.</b> A ledger has at most one writer: this class opened writable
 * takes the exclusive lock of {@link WriterLock} and refuses to open when another process or
 * instance holds it (CONFLICT). {@code LedgerOptions.readOnly(true)} opens a {@link ReadOnlyLedger}
 * instead, which takes no lock and writes nothing, so any number of readers can run beside the
 * writer (and beside each other) and follow what it appends; see ReadOnlyLedger for what a reader
 * trusts and how it follows. The writer's half of that contract: it writes derived files
 * (indexes, Merkle levels) only at slots at or beyond the seal recorded in catalog.bin, rewrites
 * catalog.bin only by atomic rename, appends to the log only at the end of the last segment, and
 * writes a new segment's header before any frame in it.
 */
public final class LocalLedger implements Ledger {
    public static final String MARKER = "QUIRE";
    static final String MARKER_TEXT = "quire-ledger v1\n";

    final Path dir;
    final LedgerOptions options;
    private final WriterLock lock;
    final Segments segments;
    final IndexFile positions;
    final IndexFile idPrints;
    final IdTable ids = new IdTable();
    final TileStore tiles;
    final FileBlobStore blobs;
    final KeyPair keys;
    final ConcurrentHashMap<String, StreamState> streams = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Integer, StreamState> streamsById = new ConcurrentHashMap<>();
    /** Published number of entries; a volatile write after the batch's indexes are written. */
    volatile long size;
    private final RecoveryReport recovery;
    final GroupCommitWriter writer;
    final WatchHub watches;
    /** The read paths' view of this ledger (FrameReader, WatchHub, Verifier, Backup, snapshot). */
    final LogView view = new View();
    private volatile boolean closed;

    // ------------------------------------------------------------------------------ init / open

    public static void init(Path dir) {
        try {
            if (Files.exists(dir.resolve(MARKER))) throw QuireException.conflict("a ledger already exists in " + dir);
            if (Files.exists(dir) && !Files.isDirectory(dir)) throw QuireException.invalid(dir + " exists and is not a directory");
            Files.createDirectories(dir);
            for (String d : new String[] {"log", "index", "index/streams", "merkle", "blobs", "keys", "checkpoints"}) {
                Files.createDirectories(dir.resolve(d));
            }
            LedgerKeys.create(dir.resolve("keys"));
            Path yaml = dir.resolve("quire.yaml");
            if (!Files.exists(yaml)) {
                FileUtil.writeAtomically(yaml, ("# Quire ledger configuration. Flags > env (QUIRE_*) > this file > defaults.\n"
                        + "# durability: sync            # sync | none | interval=<ms>\n"
                        + "# segment_bytes: " + Limits.SEGMENT_BYTES_DEFAULT + "\n"
                        + "# watchers_per_stream: " + Limits.WATCHERS_PER_STREAM_DEFAULT + "\n").getBytes(StandardCharsets.UTF_8));
            }
            // The marker goes last: a crash during init leaves no half-made ledger that opens.
            FileUtil.writeAtomically(dir.resolve(MARKER), MARKER_TEXT.getBytes(StandardCharsets.US_ASCII));
            FileUtil.fsyncDir(dir);
        } catch (IOException e) {
            throw QuireException.io("cannot create ledger directory: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        }
    }

    public static Ledger open(Path dir, LedgerOptions options) {
        if (!Files.isRegularFile(dir.resolve(MARKER))) {
            throw QuireException.notFound("no ledger in " + dir.toAbsolutePath() + " (run 'quire init' first)");
        }
        if (options.readOnly()) return ReadOnlyLedger.open(dir, options);
        return new LocalLedger(dir, options);
    }

    private LocalLedger(Path dir, LedgerOptions options) {
        this.dir = dir;
        this.options = options;
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            checkMarker();
            lock = WriterLock.acquire(dir, "the ledger in " + dir + " is open in another process or Quire instance (LOCK is held);"
                    + " open it read-only to read, watch or verify beside the writer");
            opened.add(lock);
            Files.createDirectories(dir.resolve("index/streams"));
            Files.createDirectories(dir.resolve("checkpoints"));
            keys = LedgerKeys.load(dir.resolve("keys"));
            blobs = new FileBlobStore(dir.resolve("blobs"));
            segments = Segments.open(dir.resolve("log"), true);
            opened.add(segments);
            Optional<Catalog> cat = readCatalogOrNull();
            Catalog c = cat.orElse(new Catalog(false, 0, 0, FrameLayout.SEGMENT_HEADER_BYTES, List.of()));
            positions = IndexFile.open(dir.resolve("index/positions.idx"), c.sealedSize());
            opened.add(positions);
            idPrints = IndexFile.open(dir.resolve("index/ids.idx"), c.sealedSize());
            opened.add(idPrints);
            tiles = TileStore.open(dir.resolve("merkle"));
            opened.add(tiles);
            Recovery r = new Recovery(this);
            recovery = r.run(c, cat.isPresent());
            watches = new WatchHub(view);
            writer = new GroupCommitWriter(this);
            writer.start();
            seal(false);
        } catch (Throwable t) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try { opened.get(i).close(); } catch (Throwable s) { t.addSuppressed(s); }
            }
            if (t instanceof QuireException q) throw q;
            if (t instanceof IOException io) throw QuireException.io("cannot open ledger: " + io.getMessage(), Where.file(dir.toString(), -1), io);
            if (t instanceof RuntimeException re) throw re;
            throw (Error) t;
        }
    }

    private void checkMarker() throws IOException { checkMarker(dir); }

    static void checkMarker(Path dir) throws IOException {
        String m = Files.readString(dir.resolve(MARKER), StandardCharsets.US_ASCII);
        if (!m.equals(MARKER_TEXT)) {
            throw QuireException.integrity("unsupported ledger format marker '" + m.strip() + "' (this Quire reads '" + MARKER_TEXT.strip() + "')",
                    Where.file(dir.resolve(MARKER).toString(), 0));
        }
    }

    private Optional<Catalog> readCatalogOrNull() {
        try {
            return Catalog.read(dir.resolve("index").resolve(Catalog.FILE));
        } catch (QuireException e) {
            if (e.kind() != ErrorKind.INTEGRITY) throw e;
            // A damaged catalog is derived data: rebuild everything from the log.
            return Optional.empty();
        }
    }

    IndexFile openSeqIndex(int streamId, long length) {
        return IndexFile.open(dir.resolve("index/streams/" + streamId + ".idx"), length);
    }

    // ------------------------------------------------------------------------------ seal

    /**
     * Makes every derived file durable and records the point up to which they can be trusted.
     * Runs on the writer thread (or before it starts / after it stops), between batches.
     */
    void seal(boolean clean) {
        if (writer != null) writer.forceForSeal();
        positions.force();
        idPrints.force();
        tiles.force();
        List<Catalog.StreamRecord> recs = new ArrayList<>();
        for (StreamState s : streamsById.values()) {
            if (!s.defined) continue;
            s.seqIndex.force();
            recs.add(new Catalog.StreamRecord(s.id, s.name, s.lastSeq, s.lastPosition, s.lastHash));
        }
        recs.sort((a, b) -> Integer.compare(a.id(), b.id()));
        long resumeSeg;
        long resumeOff;
        if (segments.isEmpty()) {
            resumeSeg = size;
            resumeOff = FrameLayout.SEGMENT_HEADER_BYTES;
        } else {
            Segments.Seg last = segments.last();
            resumeSeg = last.firstPosition();
            resumeOff = writer == null ? Segments.size(last) : writer.committedEnd();
        }
        new Catalog(clean, size, resumeSeg, resumeOff, recs).write(dir.resolve("index").resolve(Catalog.FILE));
    }

    // ------------------------------------------------------------------------------ API: append

    @Override public Path dir() { return dir; }

    @Override public RecoveryReport recovery() { return recovery; }

    @Override
    public CompletableFuture<Entry> appendAsync(String stream, Draft draft) {
        try {
            ensureOpen();
            Draft.validateStreamName(stream);
            draft.validate();
        } catch (QuireException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Entry> f = new CompletableFuture<>();
        writer.submit(new GroupCommitWriter.AppendOne(stream, draft, f));
        return f;
    }

    @Override
    public List<Entry> appendBatch(String stream, List<Draft> drafts) {
        ensureOpen();
        Draft.validateStreamName(stream);
        if (drafts.size() > Limits.BATCH_ENTRIES_MAX) {
            throw QuireException.invalid("batch has " + drafts.size() + " entries; the limit is " + Limits.BATCH_ENTRIES_MAX + " (BATCH_ENTRIES_MAX)");
        }
        for (int i = 0; i < drafts.size(); i++) {
            try {
                drafts.get(i).validate();
            } catch (QuireException e) {
                throw new QuireException(e.kind(), "draft " + i + " of the batch: " + e.reason(), e.where());
            }
        }
        if (drafts.isEmpty()) return List.of();
        CompletableFuture<List<Entry>> f = new CompletableFuture<>();
        writer.submit(new GroupCommitWriter.AppendMany(stream, List.copyOf(drafts), f));
        return Futures.join(f);
    }

    void ensureOpen() {
        if (closed) throw new QuireException(ErrorKind.IO, "the ledger is closed");
    }

    // ------------------------------------------------------------------------------ API: read

    @Override
    public List<Entry> read(String stream, long afterSeq, int limit, String keyFilter) { return view.readStream(stream, afterSeq, limit, keyFilter); }

    /** See {@link LogView#scanStream}. */
    long scanStream(StreamState s, long afterSeq, int max, String keyFilter, List<Entry> out) {
        return view.scanStream(s, afterSeq, max, keyFilter, out);
    }

    @Override public Entry readPosition(long position) { return view.readPosition(position); }

    @Override public Optional<Entry> findById(String stream, String id) { return view.findById(stream, id); }

    /** See {@link LogView#lookupId}. */
    Optional<Entry> lookupId(StreamState s, String id, long limit) { return view.lookupId(s, id, limit); }

    @Override public List<StreamInfo> streams() { return view.streamInfos(); }

    @Override public Optional<StreamInfo> stream(String name) { return view.streamInfo(name); }

    @Override public long size() { return size; }

    // ------------------------------------------------------------------------------ API: watch

    @Override
    public Watch watch(String stream, long afterSeq, String keyFilter, long maxLagEntries, WatchListener listener) {
        view.checkWatch(stream, afterSeq, maxLagEntries, listener);
        return watches.start(stream, afterSeq, keyFilter, maxLagEntries, listener);
    }

    /** The stream's state, created (undefined, writer-invisible) for watchers of a stream not yet written. */
    StreamState stateForWatch(String stream) {
        StreamState s = streams.get(stream);
        if (s != null) return s;
        return writer.call(() -> writer.stateFor(stream, false));
    }

    // ------------------------------------------------------------------------------ API: Merkle

    @Override
    public Checkpoint checkpoint() {
        ensureOpen();
        return writer.call(() -> {
            writer.flushPending();
            long n = size;
            Checkpoint cp = Checkpoint.sign(dir.toAbsolutePath().getFileName().toString(), n, tiles.root(n), System.currentTimeMillis() * 1_000_000L, keys);
            seal(false);
            FileUtil.writeAtomically(dir.resolve("checkpoints/latest.cp"), cp.encode().getBytes(StandardCharsets.UTF_8));
            return cp;
        });
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint() { return readLatestCheckpoint(dir); }

    static Optional<Checkpoint> readLatestCheckpoint(Path dir) {
        Path p = dir.resolve("checkpoints/latest.cp");
        if (!Files.exists(p)) return Optional.empty();
        try {
            return Optional.of(Checkpoint.parse(Files.readString(p, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw QuireException.io("cannot read checkpoint: " + e.getMessage(), Where.file(p.toString(), -1), e);
        }
    }

    @Override public Hash rootAt(long n) { return view.rootAt(n); }

    @Override public InclusionProof proveInclusion(long position, long n) { return view.proveInclusion(position, n); }

    @Override public ConsistencyProof proveConsistency(long oldSize, long newSize) { return view.proveConsistency(oldSize, newSize); }

    @Override public BlobStore blobs() { return blobs; }

    // ------------------------------------------------------------------------------ snapshot / load / verify / backup

    @Override
    public void snapshot(String stream, OutputStream out) { StreamTransfer.snapshot(view, stream, out); }

    @Override
    public LoadResult load(String stream, InputStream in, boolean failIfExists) { return new StreamTransfer(this).load(stream, in, failIfExists); }

    @Override
    public VerifyReport verify(ProgressListener progress, boolean all) { return new Verifier(view).run(progress, all); }

    @Override
    public void backup(Path target, ProgressListener progress) { new Backup(view).run(target, progress); }

    // ------------------------------------------------------------------------------ close

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Throwable failure = null;
        try { watches.closeAll(); } catch (Throwable t) { failure = t; }
        try {
            writer.stop(() -> seal(true));
        } catch (Throwable t) {
            if (failure == null) failure = t; else failure.addSuppressed(t);
        }
        for (AutoCloseable c : closeOrder()) {
            try { c.close(); } catch (Throwable t) { if (failure == null) failure = t; else failure.addSuppressed(t); }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new QuireException(ErrorKind.IO, "error while closing: " + failure, Where.NOWHERE, failure);
    }

    private List<AutoCloseable> closeOrder() {
        List<AutoCloseable> l = new ArrayList<>();
        for (StreamState s : streamsById.values()) l.add(s.seqIndex);
        l.add(positions);
        l.add(idPrints);
        l.add(tiles);
        l.add(segments);
        l.add(lock);
        return l;
    }

    boolean isClosed() { return closed; }

    /** {@link LogView} over this ledger's files and in-memory heads. */
    private final class View implements LogView {
        @Override public Path dir() { return dir; }

        @Override public LedgerOptions options() { return options; }

        @Override public void ensureOpen() { LocalLedger.this.ensureOpen(); }

        @Override public Segments segments() { return segments; }

        @Override public long size() { return size; }

        @Override public long frameOffset(long position) { return positions.get(position); }

        @Override public long idPrint(long position) { return idPrints.get(position); }

        @Override public long seqPosition(StreamState s, long seq) { return s.seqIndex.get(seq - 1); }

        @Override public long seqIndexed(StreamState s) { return s.seqIndex.length(); }

        @Override public StreamState streamById(int id) { return streamsById.get(id); }

        @Override public StreamState streamByName(String name) { return streams.get(name); }

        @Override public Collection<StreamState> streamStates() { return streamsById.values(); }

        @Override public StreamState stateForWatch(String stream) { return LocalLedger.this.stateForWatch(stream); }

        /** Taken on the writer thread, between batches: a commit boundary. */
        @Override
        public Cut cut() {
            return writer.call(() -> {
                Map<Integer, Long> heads = new HashMap<>();
                for (StreamState s : streamsById.values()) if (s.defined) heads.put(s.id, s.lastSeq);
                return new Cut(new ArrayList<>(segments.all()), writer.committedEnd(), size, heads);
            });
        }

        @Override
        public List<VerifyReport.Failure> verifyTiles(LongFunction<Hash> entryHashAt, long n) {
            return tiles.verifyAgainst(entryHashAt, n, ProgressListener.NONE);
        }

        @Override public Hash merkleRoot(long n) { return tiles.root(n); }

        @Override public InclusionProof merkleInclusion(long index, long n, Hash entryHash) { return tiles.proveInclusion(index, n, entryHash); }

        @Override public ConsistencyProof merkleConsistency(long oldSize, long newSize) { return tiles.proveConsistency(oldSize, newSize); }

        @Override public PublicKey publicKey() { return keys.getPublic(); }

        @Override public Optional<Checkpoint> latestCheckpoint() { return LocalLedger.this.latestCheckpoint(); }

        @Override public BlobStore blobStore() { return blobs; }

        @Override public IdTable ids() { return ids; }
    }

}
