package io.quire.core.log;

import io.quire.core.Draft;
import io.quire.core.Durability;
import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.LoadResult;
import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.core.index.IdTable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one writer thread (DESIGN §3.2). Callers enqueue requests; the thread drains whatever is
 * queued, assigns positions, sequences and hashes, encodes every frame of the batch into one
 * buffer, closes it with a COMMIT frame, writes it with one positional write and makes it durable
 * with one fdatasync (group commit), then updates the indexes, publishes the new heads and only
 * then completes the callers' futures. Nothing is acknowledged before it is durable (per mode).
 *
 * <p>Failure policy: a failed write() truncates the file back to the last commit and fails the
 * batch (the writer carries on: e.g. the disk was full). A failed fdatasync makes the writer
 * fail-stop (the page cache state is unknown after a failed fsync): every later append fails
 * until the ledger is reopened and recovered.
 */
final class GroupCommitWriter {
    /** Requests queued before callers block (back-pressure). */
    static final int QUEUE_REQUESTS_MAX = 65_536;
    /** Requests drained into one group commit at most. */
    static final int DRAIN_REQUESTS_MAX = 4_096;
    /** The batch buffer starts here and grows to fit a large frame. */
    static final int BATCH_BUFFER_BYTES = 4 * 1024 * 1024;

    sealed interface Request permits AppendOne, AppendMany, LoadEntries, Call {}

    record AppendOne(String stream, Draft draft, CompletableFuture<Entry> f) implements Request {}

    record AppendMany(String stream, List<Draft> drafts, CompletableFuture<List<Entry>> f) implements Request {}

    record LoadEntries(String stream, List<Entry> entries, boolean failIfExists, CompletableFuture<LoadResult> f) implements Request {}

    record Call(Callable<?> body, CompletableFuture<Object> f, boolean last) implements Request {}

    /** An entry framed in the current batch, waiting for the commit. */
    private record Pending(StreamState s, Entry e, long offset, long fingerprint) {}

    private final LocalLedger ledger;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>(QUEUE_REQUESTS_MAX);
    private final Thread thread;
    private volatile boolean stopped;
    private volatile QuireException failStop;

    // Writer-thread state.
    private Segments.Seg active;
    private volatile long committedEnd;
    private long nextPosition;
    private int nextStreamId;
    private ByteBuffer buf = ByteBuffer.allocateDirect(BATCH_BUFFER_BYTES).order(ByteOrder.BIG_ENDIAN);
    private final List<Pending> pending = new ArrayList<>();
    private final List<Runnable> acks = new ArrayList<>();
    private final List<Runnable> failures = new ArrayList<>();
    private final Set<StreamState> touched = new LinkedHashSet<>();
    private final Map<String, Entry> batchIds = new HashMap<>();
    private long lastForceNanos = System.nanoTime();
    private boolean unforced;

    GroupCommitWriter(LocalLedger ledger) {
        this.ledger = ledger;
        this.thread = Thread.ofPlatform().name("quire-writer").daemon(true).unstarted(this::loop);
    }

    void start() {
        nextPosition = ledger.size;
        for (StreamState s : ledger.streamsById.values()) nextStreamId = Math.max(nextStreamId, s.id + 1);
        if (ledger.segments.isEmpty()) {
            active = ledger.segments.create(nextPosition);
            committedEnd = FrameLayout.SEGMENT_HEADER_BYTES;
        } else {
            active = ledger.segments.last();
            committedEnd = Segments.size(active);
        }
        thread.start();
    }

    long committedEnd() { return committedEnd; }

    Segments.Seg active() { return active; }

    void submit(Request r) {
        if (stopped) {
            failRequest(r, new QuireException(ErrorKind.IO, "the ledger is closed"));
            return;
        }
        QuireException f = failStop;
        if (f != null) {
            failRequest(r, f);
            return;
        }
        try {
            queue.put(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failRequest(r, new QuireException(ErrorKind.IO, "interrupted while queueing an append"));
        }
        if (stopped) drainFailing();
    }

    /** Runs {@code body} on the writer thread between batches (after committing what is pending). */
    @SuppressWarnings("unchecked")
    <T> T call(Callable<T> body) {
        if (Thread.currentThread() == thread) {
            try {
                return body.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new QuireException(ErrorKind.IO, e.toString(), Where.NOWHERE, e);
            }
        }
        CompletableFuture<Object> f = new CompletableFuture<>();
        submit(new Call(body, f, false));
        return (T) Futures.join(f);
    }

    /** Commits whatever is framed but not yet committed (writer thread only). */
    void flushPending() { commitBatch(); }

    void stop(Runnable finalAction) {
        if (!thread.isAlive()) return;
        CompletableFuture<Object> f = new CompletableFuture<>();
        try {
            queue.put(new Call(() -> { finalAction.run(); return null; }, f, true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Futures.join(f);
        } finally {
            stopped = true;
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            drainFailing();
        }
    }

    private void drainFailing() {
        Request r;
        while ((r = queue.poll()) != null) failRequest(r, new QuireException(ErrorKind.IO, "the ledger is closed"));
    }

    // ------------------------------------------------------------------------------ loop

    private void loop() {
        List<Request> batch = new ArrayList<>();
        while (true) {
            try {
                Request first = queue.poll(pollMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    maybeForceInterval();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, DRAIN_REQUESTS_MAX);
                boolean last = false;
                for (Request r : batch) {
                    if (failStop != null) { failRequest(r, failStop); continue; }
                    last |= handle(r);
                }
                commitBatch();
                batch.clear();
                if (last) return;
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                // A bug must not leave callers waiting forever: fail-stop with the cause.
                failStop = new QuireException(ErrorKind.IO, "writer failed: " + t, Where.NOWHERE, t);
                failAll(failStop);
                for (Request r : batch) failRequest(r, failStop);
                batch.clear();
            }
        }
    }

    private long pollMillis() {
        if (ledger.options.durability() instanceof Durability.Interval i && unforced) return i.millis();
        return 1000;
    }

    private boolean handle(Request r) {
        switch (r) {
            case AppendOne a -> appendOne(a);
            case AppendMany m -> appendMany(m);
            case LoadEntries l -> loadEntries(l);
            case Call c -> {
                commitBatch();
                try {
                    c.f().complete(c.body().call());
                } catch (Throwable t) {
                    c.f().completeExceptionally(t);
                }
                return c.last();
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------ requests

    private void appendOne(AppendOne a) {
        StreamState s = stateFor(a.stream(), true);
        Draft d = a.draft();
        if (d.id() != null) {
            Optional<Entry> existing = existing(s, d.id());
            if (existing.isPresent()) {
                Entry e = existing.get();
                if (!sameDraft(e, d)) {
                    refuseAfter(e, a.f(), idReused(s, d.id(), e));
                } else if (e.position() < ledger.size) {
                    a.f().complete(e); // already durable
                } else {
                    acks.add(() -> a.f().complete(e)); // framed in this batch: acknowledged with it
                    failures.add(() -> a.f().completeExceptionally(failureCause()));
                }
                return;
            }
        }
        try {
            Entry e = frameNew(s, d);
            acks.add(() -> a.f().complete(e));
            failures.add(() -> a.f().completeExceptionally(failureCause()));
        } catch (QuireException q) {
            a.f().completeExceptionally(q);
        }
    }

    private void appendMany(AppendMany m) {
        StreamState s = stateFor(m.stream(), true);
        Entry[] out = new Entry[m.drafts().size()];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < out.length; i++) {
            Draft d = m.drafts().get(i);
            if (d.id() == null) continue;
            Optional<Entry> ex = existing(s, d.id());
            if (ex.isPresent()) {
                if (!sameDraft(ex.get(), d)) {
                    refuseAfter(ex.get(), m.f(), idReused(s, d.id(), ex.get()));
                    return;
                }
                out[i] = ex.get();
            }
            Integer prev = seen.putIfAbsent(d.id(), i);
            if (prev != null && !sameContent(m.drafts().get(prev), d)) {
                m.f().completeExceptionally(QuireException.conflict("batch drafts " + prev + " and " + i
                        + " share id '" + d.id() + "' with different content").withCode("id_reused"));
                return;
            }
        }
        Map<String, Entry> inThis = new HashMap<>();
        long failuresBefore = failureCount;
        try {
            for (int i = 0; i < out.length; i++) {
                if (out[i] != null) continue;
                Draft d = m.drafts().get(i);
                if (d.id() != null && inThis.containsKey(d.id())) { out[i] = inThis.get(d.id()); continue; }
                out[i] = frameNew(s, d);
                if (failureCount != failuresBefore) throw lastFailure; // a part of this request was rolled back
                if (d.id() != null) inThis.put(d.id(), out[i]);
            }
        } catch (QuireException q) {
            m.f().completeExceptionally(q);
            return;
        }
        List<Entry> result = Arrays.asList(out);
        acks.add(() -> m.f().complete(result));
        failures.add(() -> m.f().completeExceptionally(failureCause()));
    }

    private void loadEntries(LoadEntries l) {
        commitBatch();
        StreamState s = stateFor(l.stream(), true);
        List<Entry> snap = l.entries();
        long m = s.lastSeq;
        try {
            if (l.failIfExists() && m > 0) {
                throw QuireException.conflict("stream '" + s.name + "' already has " + m + " entries (fail_if_exists)").withCode("already_exists");
            }
            long common = Math.min(m, snap.size());
            if (common > 0) {
                List<Entry> mine = new ArrayList<>();
                long after = 0;
                while (mine.size() < common) after = ledger.scanStream(s, after, (int) Math.min(common - mine.size(), 10_000), null, mine);
                for (int i = 0; i < common; i++) {
                    if (!mine.get(i).hash().equals(snap.get(i).hash())) {
                        throw QuireException.conflict("divergent history: stream '" + s.name + "' differs from the snapshot at seq " + (i + 1)
                                + " (ledger " + mine.get(i).hash().hex() + ", snapshot " + snap.get(i).hash().hex() + ")").withCode("divergent_history");
                    }
                }
            }
            if (m >= snap.size()) {
                l.f().complete(new LoadResult(0, m));
                return;
            }
            // Ids must also be unique within the suffix itself: the codec checks hashes and the
            // chain, not ids, and an id names one entry (DESIGN §3.1).
            Set<String> suffixIds = new java.util.HashSet<>();
            for (int i = (int) m; i < snap.size(); i++) {
                Entry e = snap.get(i);
                if (existing(s, e.id()).isPresent() || !suffixIds.add(e.id())) {
                    throw QuireException.conflict("snapshot entry seq " + e.seq() + " reuses id '" + e.id() + "' already in stream '" + s.name
                            + "' or earlier in the snapshot").withCode("id_reused");
                }
            }
        } catch (QuireException q) {
            l.f().completeExceptionally(q);
            return;
        }
        long failuresBefore = failureCount;
        try {
            for (int i = (int) m; i < snap.size(); i++) {
                frameExact(s, snap.get(i));
                if (failureCount != failuresBefore) throw lastFailure;
            }
        } catch (QuireException q) {
            l.f().completeExceptionally(q);
            return;
        }
        long restored = snap.size() - m;
        long latest = snap.size();
        acks.add(() -> l.f().complete(new LoadResult(restored, latest)));
        failures.add(() -> l.f().completeExceptionally(failureCause()));
    }

    /**
     * Refuses a request because of {@code existing}. When that entry is still in the batch being
     * built, the refusal waits for the batch's commit: a caller that then looks the id up (e.g.
     * to tell a racing retry from a real reuse) must find the entry, never a refusal that names an
     * entry nobody can read yet. If the batch fails, the caller gets that failure instead.
     */
    private void refuseAfter(Entry existing, CompletableFuture<?> f, QuireException refusal) {
        if (existing.position() < ledger.size) {
            f.completeExceptionally(refusal);
            return;
        }
        acks.add(() -> f.completeExceptionally(refusal));
        failures.add(() -> f.completeExceptionally(failureCause()));
    }

    private static boolean sameDraft(Entry e, Draft d) {
        return Arrays.equals(e.payload(), d.payload()) && e.key().equals(d.key()) && e.metadata().equals(d.metadata());
    }

    /** What {@link #sameDraft} compares, between two drafts of one batch. */
    private static boolean sameContent(Draft a, Draft b) {
        return Arrays.equals(a.payload(), b.payload()) && a.key().equals(b.key()) && a.metadata().equals(b.metadata());
    }

    private static QuireException idReused(StreamState s, String id, Entry e) {
        return QuireException.conflict("id '" + id + "' is already used in stream '" + s.name + "' by seq " + e.seq()
                + " with different content (an id names one entry; use a new id)").withCode("id_reused");
    }

    private Optional<Entry> existing(StreamState s, String id) {
        Entry e = batchIds.get(s.id + "\0" + id);
        if (e != null) return Optional.of(e);
        if (!s.defined) return Optional.empty();
        return ledger.lookupId(s, id, ledger.size);
    }

    /** Writer: the stream's state, created (not yet defined on disk) when {@code create}. */
    StreamState stateFor(String name, boolean create) {
        StreamState s = ledger.streams.get(name);
        if (s != null) return s;
        int id = nextStreamId++;
        s = new StreamState(id, name, ledger.openSeqIndex(id, 0), 0, Hash.ZERO, -1, false);
        ledger.streamsById.put(id, s);
        ledger.streams.put(name, s);
        return s;
    }

    // ------------------------------------------------------------------------------ framing

    private Entry frameNew(StreamState s, Draft d) {
        String id = d.id() != null ? d.id() : generatedId();
        long seq = s.assignedSeq + 1;
        long ts = System.currentTimeMillis() * 1_000_000L + (System.nanoTime() % 1_000_000L + 1_000_000L) % 1_000_000L;
        Entry e = new Entry(s.name, seq, -1, id, d.key(), ts, d.metadata(), d.payload(), s.assignedHash, Hash.ZERO);
        e = e.withHash(EntryHasher.hash(e));
        return frameExact(s, e, d.id() != null);
    }

    /**
     * A random (version 4 layout) UUID for entries appended without an id. Uniqueness, not
     * secrecy, is what matters here, so the thread's fast generator replaces SecureRandom, which
     * would cost a microsecond per entry on the writer thread.
     */
    private static String generatedId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /** Frames an entry whose seq, prev hash and hash are already decided; assigns its position. */
    private Entry frameExact(StreamState s, Entry e) { return frameExact(s, e, true); }

    private Entry frameExact(StreamState s, Entry e, boolean explicitId) {
        byte[] id = e.id().getBytes(StandardCharsets.UTF_8);
        byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
        byte[] meta = FrameLayout.metadataBlock(e.metadata());
        byte[] nameBytes = s.name.getBytes(StandardCharsets.UTF_8);
        int entryBytes = FrameLayout.entryFrameBytes(id, key, meta.length, e.payload().length);
        // A commit inside ensureRoom may define the stream (or a failed one un-define it): recheck.
        boolean reserved = needsDefinition(s);
        ensureRoom(entryBytes + (reserved ? FrameLayout.streamFrameBytes(nameBytes) : 0));
        if (needsDefinition(s) && !reserved) ensureRoom(entryBytes + FrameLayout.streamFrameBytes(nameBytes));
        byte[] name = needsDefinition(s) ? nameBytes : null;
        Entry placed = e.withPosition(nextPosition);
        if (name != null) {
            FrameLayout.putStream(buf, s.id, name);
            definedHere.add(s);
        }
        long offset = committedEnd + buf.position();
        FrameLayout.putEntry(buf, s.id, placed, id, key, meta);
        long fp = IdTable.fingerprint(s.id, placed.id());
        pending.add(new Pending(s, placed, offset, fp));
        // Generated ids are fresh UUIDs no other request can name yet; only explicit ids need the
        // in-batch lookup.
        if (explicitId) batchIds.put(s.id + "\0" + placed.id(), placed);
        if (!s.inBatch) {
            s.inBatch = true;
            touched.add(s);
        }
        s.batchLast = placed;
        s.assignedSeq = placed.seq();
        s.assignedHash = placed.hash();
        nextPosition++;
        return placed;
    }

    private final Set<StreamState> definedHere = new java.util.HashSet<>();

    private boolean needsDefinition(StreamState s) { return !s.defined && !definedHere.contains(s); }

    /** Makes room for {@code need} more bytes: commits and/or rolls the segment first when needed. */
    private void ensureRoom(int need) {
        long segMax = ledger.options.segmentBytes();
        if (committedEnd + buf.position() + need + FrameLayout.COMMIT_FRAME_BYTES > segMax) {
            commitBatch();
            if (committedEnd + need + FrameLayout.COMMIT_FRAME_BYTES > segMax) roll();
        }
        if (buf.position() + need + FrameLayout.COMMIT_FRAME_BYTES > buf.capacity()) {
            commitBatch();
            if (need + FrameLayout.COMMIT_FRAME_BYTES > buf.capacity()) {
                buf = ByteBuffer.allocateDirect(need + FrameLayout.COMMIT_FRAME_BYTES).order(ByteOrder.BIG_ENDIAN);
            }
        }
    }

    private void roll() {
        if (failStop != null) throw failStop;
        ledger.seal(false);
        active = ledger.segments.create(nextPosition);
        committedEnd = FrameLayout.SEGMENT_HEADER_BYTES;
    }

    // ------------------------------------------------------------------------------ commit

    private QuireException lastFailure;
    private long failureCount;

    private QuireException failureCause() { return lastFailure; }

    /** Writes, syncs and publishes the current batch, then acknowledges it. */
    private void commitBatch() {
        if (pending.isEmpty() && buf.position() == 0) {
            runAcks();
            return;
        }
        long firstPosition = pending.isEmpty() ? nextPosition : pending.get(0).e().position();
        FrameLayout.putCommit(buf, 0, committedEnd, pending.size(), firstPosition, System.currentTimeMillis() * 1_000_000L);
        int bytes = buf.position();
        buf.flip();
        try {
            long off = committedEnd;
            while (buf.hasRemaining()) off += active.channel().write(buf, off);
        } catch (IOException e) {
            rollbackBatch(QuireException.io("append failed, nothing of this batch was acknowledged: " + e.getMessage(),
                    Where.file(active.file(), committedEnd), e));
            try {
                active.channel().truncate(committedEnd);
            } catch (IOException t) {
                failStop = QuireException.io("cannot truncate a failed write; reopen the ledger to recover: " + t.getMessage(), Where.file(active.file(), committedEnd), t);
            }
            return;
        }
        try {
            if (mustForce()) forceLog();
        } catch (IOException e) {
            failStop = QuireException.io("fdatasync failed; the ledger stops accepting appends until it is reopened: " + e.getMessage(),
                    Where.file(active.file(), committedEnd), e);
            rollbackBatch(failStop);
            return;
        }
        committedEnd += bytes;
        publish();
        runAcks();
    }

    private boolean mustForce() {
        Durability d = ledger.options.durability();
        if (d instanceof Durability.Sync) return true;
        unforced = true;
        if (d instanceof Durability.Interval i) return System.nanoTime() - lastForceNanos >= i.millis() * 1_000_000L;
        return false;
    }

    private void forceLog() throws IOException {
        active.channel().force(false);
        lastForceNanos = System.nanoTime();
        unforced = false;
    }

    private void maybeForceInterval() {
        if (unforced && ledger.options.durability() instanceof Durability.Interval) {
            try {
                forceLog();
            } catch (IOException e) {
                failStop = QuireException.io("fdatasync failed: " + e.getMessage(), Where.file(active.file(), committedEnd), e);
            }
        }
    }

    /** Forces the active segment (seal calls this before recording the seal point). */
    void forceForSeal() {
        try {
            if (active != null) forceLog();
        } catch (IOException e) {
            failStop = QuireException.io("fdatasync failed: " + e.getMessage(), Where.file(active.file(), committedEnd), e);
            throw failStop;
        }
    }

    private void publish() {
        for (Pending p : pending) {
            Entry e = p.e();
            ledger.positions.set(e.position(), p.offset());
            ledger.idPrints.set(e.position(), p.fingerprint());
            ledger.ids.insert(p.fingerprint(), e.position());
            p.s().seqIndex.set(e.seq() - 1, e.position());
            ledger.tiles.append(e.hash());
        }
        ledger.tiles.flush();
        // Heads are published once per stream per batch; lastSeq last, since readers read it first.
        for (StreamState s : touched) {
            Entry last = s.batchLast;
            s.lastHash = last.hash();
            s.lastPosition = last.position();
            s.defined = true;
            s.lastSeq = last.seq();
        }
        ledger.size = nextPosition;
        for (StreamState s : touched) s.signal();
        clearBatch();
    }

    private void rollbackBatch(QuireException cause) {
        lastFailure = cause;
        failureCount++;
        for (Runnable f : failures) f.run();
        for (StreamState s : touched) s.resetAssigned();
        nextPosition = ledger.size;
        acks.clear();
        clearBatch();
    }

    private void clearBatch() {
        for (StreamState s : touched) {
            s.inBatch = false;
            s.batchLast = null;
        }
        pending.clear();
        failures.clear();
        touched.clear();
        batchIds.clear();
        definedHere.clear();
        buf.clear();
    }

    private void runAcks() {
        for (Runnable a : acks) a.run();
        acks.clear();
        failures.clear();
    }

    private void failAll(QuireException cause) {
        lastFailure = cause;
        failureCount++;
        for (Runnable f : failures) f.run();
        for (StreamState s : touched) s.resetAssigned();
        acks.clear();
        clearBatch();
    }

    @SuppressWarnings("unchecked")
    private static void failRequest(Request r, QuireException e) {
        switch (r) {
            case AppendOne a -> a.f().completeExceptionally(e);
            case AppendMany m -> m.f().completeExceptionally(e);
            case LoadEntries l -> l.f().completeExceptionally(e);
            case Call c -> c.f().completeExceptionally(e);
        }
    }
}
