package io.quire.context;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quire.api.Errors;
import io.quire.api.context.v1.AppendRequest;
import io.quire.api.context.v1.AppendResponse;
import io.quire.api.context.v1.ContextServiceGrpc;
import io.quire.api.context.v1.GetRequest;
import io.quire.api.context.v1.GetResponse;
import io.quire.api.context.v1.LoadRequest;
import io.quire.api.context.v1.LoadResponse;
import io.quire.api.context.v1.SnapshotMetadata;
import io.quire.api.context.v1.SnapshotRequest;
import io.quire.api.context.v1.SnapshotResponse;
import io.quire.api.context.v1.WatchEvent;
import io.quire.api.context.v1.WatchRequest;
import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.LoadResult;
import io.quire.core.Limits;
import io.quire.core.QuireException;
import io.quire.core.snapshot.Snapshot;
import io.quire.core.snapshot.SnapshotCodec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The Converge {@code ContextService} over a core {@link Ledger} (DESIGN §4, docs/API.md). A
 * context is the stream {@code ctx/<context_id>}. Every failure goes through {@link Errors}.
 */
public final class ContextServiceImpl extends ContextServiceGrpc.ContextServiceImplBase {
    private final Ledger ledger;
    private final Clocks clocks;
    private final Watches watches;
    private final ContextEvents events;

    /**
     * Where an append's answer is built and sent once the ledger has made it durable: a fresh
     * virtual thread per answer. Never the ledger's writer thread, which completes the future:
     * turning the entry into protobuf, writing headers, message and trailers to gRPC and the
     * metrics of the call cost several µs per answer, and on the writer they ran one after the
     * other for every entry of a group commit before the writer could start the next one (W5:
     * with 64 clients, ~1/3 of the writer's time). This executor never refuses a task: a refusal
     * inside the writer's completion would stop the writer.
     */
    private static final Executor ANSWERS = Thread::startVirtualThread;

    public ContextServiceImpl(Ledger ledger, ContextOptions options, ContextEvents events) {
        this.ledger = ledger;
        this.clocks = new Clocks(ledger);
        this.events = events == null ? ContextEvents.NONE : events;
        this.watches = new Watches(ledger, options, this.events);
    }

    public ContextServiceImpl(Ledger ledger) { this(ledger, ContextOptions.defaults(), ContextEvents.NONE); }

    /** Ends every running watch with {@code UNAVAILABLE} (server shutdown); clients resume from their last sequence. */
    public void endWatches(String why) { watches.endAll(why); }

    /** Running watches. */
    public int watchCount() { return watches.count(); }

    // ------------------------------------------------------------------------------ Append

    @Override
    public void append(AppendRequest req, StreamObserver<AppendResponse> out) {
        CompletableFuture<Entry> f;
        try {
            f = append(req);
        } catch (Throwable t) {
            out.onError(Errors.toStatus(t));
            return;
        }
        f.whenComplete((e, t) -> {
            if (t != null) {
                out.onError(Errors.toStatus(t));
            } else {
                out.onNext(AppendResponse.newBuilder().setEntry(Protos.entry(e)).build());
                out.onCompleted();
            }
        });
    }

    private CompletableFuture<Entry> append(AppendRequest req) {
        String stream = Contexts.stream(req.getContextId());
        SortedMap<String, String> meta = Contexts.clientMetadata(req.getMetadataMap());
        String id = req.getId().isEmpty() ? null : req.getId();
        long received = req.getLamport();
        if (received < 0 || received > ContextLimits.LAMPORT_MAX) {
            throw QuireException.invalid("lamport is " + Long.toUnsignedString(received) + "; the limit is "
                    + ContextLimits.LAMPORT_MAX + " (LAMPORT_MAX)");
        }
        byte[] payload = req.getPayload().toByteArray();
        // Validate everything the core checks before ticking the clock, so a refused request
        // leaves no trace at all.
        Draft probe = new Draft(id, req.getKey(), meta, payload).validate();
        if (id != null) {
            Optional<Entry> existing = ledger.findById(stream, id);
            if (existing.isPresent()) return CompletableFuture.completedFuture(sameOrRefuse(existing.get(), probe));
        }
        Clocks.Clock clock = clocks.of(stream);
        CompletableFuture<Entry> f;
        clock.lock.lock();
        try {
            long lamport = clock.tick(received, ledger, stream);
            SortedMap<String, String> stored = new TreeMap<>(meta);
            stored.put(ContextLimits.LAMPORT_METADATA_KEY, Long.toString(lamport));
            f = ledger.appendAsync(stream, new Draft(id, probe.key(), stored, payload));
        } finally {
            clock.lock.unlock();
        }
        // Async: this runs when the writer completes f, and must not run on the writer (see ANSWERS).
        return f.handleAsync((e, t) -> {
            Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
            if (c == null) {
                events.appended(req.getContextId(), payload.length);
                return CompletableFuture.completedFuture(e);
            }
            // Two retries of one id raced: the loser's Lamport value differs, so the core calls it
            // a reuse. The same client content means it is the same entry.
            if (id != null && c instanceof QuireException q && "id_reused".equals(q.code())) {
                Optional<Entry> existing = ledger.findById(stream, id);
                if (existing.isPresent()) {
                    try {
                        return CompletableFuture.completedFuture(sameOrRefuse(existing.get(), probe));
                    } catch (QuireException refused) {
                        return CompletableFuture.<Entry>failedFuture(refused);
                    }
                }
            }
            return CompletableFuture.<Entry>failedFuture(c);
        }, ANSWERS).thenCompose(x -> x);
    }

    /** An idempotent retry returns the stored entry; the same id with other content is refused. */
    private static Entry sameOrRefuse(Entry e, Draft d) {
        boolean same = Arrays.equals(e.payload(), d.payload()) && e.key().equals(d.key())
                && Contexts.visibleMetadata(e.metadata()).equals(d.metadata());
        if (same) return e;
        throw QuireException.conflict("id '" + d.id() + "' is already used in context '" + e.stream().substring(ContextLimits.STREAM_PREFIX.length())
                + "' by sequence " + e.seq() + " with different content (an id names one entry; use a new id)").withCode("id_reused");
    }

    // ------------------------------------------------------------------------------ Get

    @Override
    public void get(GetRequest req, StreamObserver<GetResponse> out) {
        try {
            out.onNext(get(req));
            out.onCompleted();
        } catch (Throwable t) {
            out.onError(Errors.toStatus(t));
        }
    }

    private GetResponse get(GetRequest req) {
        String stream = Contexts.stream(req.getContextId());
        Draft.validateKey(req.getKey());
        long after = req.getAfterSequence();
        if (after < 0) throw QuireException.invalid("after_sequence " + Long.toUnsignedString(after) + " is out of range");
        // Integer.toUnsignedLong: uint32 limits above 2^31 arrive negative.
        long limit = Integer.toUnsignedLong(req.getLimit());
        // The head first, then only entries up to it: the answer is one consistent cut, and a
        // client that continues from latest_sequence misses nothing.
        long latest = ledger.stream(stream).map(s -> s.lastSeq()).orElse(0L);
        GetResponse.Builder b = GetResponse.newBuilder().setLatestSequence(latest);
        long bytes = 0;
        long cursor = after;
        long wanted = limit == 0 ? Long.MAX_VALUE : limit;
        long got = 0;
        while (cursor < latest && got < wanted) {
            int page = (int) Math.min(Limits.READ_LIMIT_MAX, wanted - got);
            List<Entry> es = ledger.read(stream, cursor, page, req.getKey());
            for (Entry e : es) {
                if (e.seq() > latest || got == wanted) { cursor = latest; break; }
                io.quire.api.context.v1.Entry pe = Protos.entry(e);
                bytes += pe.getSerializedSize() + 8;
                if (bytes > ContextLimits.GET_RESPONSE_BYTES_MAX) {
                    throw new QuireException(ErrorKind.CONFLICT, "the answer is over " + ContextLimits.GET_RESPONSE_BYTES_MAX
                            + " bytes (GET_RESPONSE_BYTES_MAX) after " + got + " entries; page with limit and after_sequence")
                            .withCode("too_large");
                }
                b.addEntries(pe);
                got++;
                cursor = e.seq();
            }
            if (es.size() < page) break; // the stream (or the filter) has nothing more
        }
        return b.build();
    }

    // ------------------------------------------------------------------------------ Snapshot / Load

    @Override
    public void snapshot(SnapshotRequest req, StreamObserver<SnapshotResponse> out) {
        try {
            out.onNext(snapshot(req));
            out.onCompleted();
        } catch (Throwable t) {
            out.onError(Errors.toStatus(t));
        }
    }

    private SnapshotResponse snapshot(SnapshotRequest req) {
        String stream = Contexts.stream(req.getContextId());
        BoundedBytes buf = new BoundedBytes(ContextLimits.SNAPSHOT_BYTES_MAX, stream);
        try {
            ledger.snapshot(stream, buf);
        } catch (QuireException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) throw e;
            // A context never written is empty, as Converge clients expect: an empty snapshot.
            buf.reset();
            byte[] cp = ledger.latestCheckpoint().map(c -> c.encode().getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
            SnapshotCodec.write(buf, stream, List.of(), cp);
        }
        byte[] bytes = buf.toByteArray();
        // Read back what was written (a pair assertion): it also yields the fields of the response.
        Snapshot s = SnapshotCodec.read(new ByteArrayInputStream(bytes));
        return SnapshotResponse.newBuilder()
                .setSnapshot(com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes))
                .setSequence(s.latestSeq())
                .setMetadata(SnapshotMetadata.newBuilder()
                        .setCreatedAtNs(s.createdAtNs())
                        .setEntryCount(s.entries().size())
                        .setVersion(s.formatVersion()))
                .setMerkleRoot(ByteString.copyFrom(s.streamRoot().toBytes()))
                .setCheckpoint(new String(s.checkpointText(), StandardCharsets.UTF_8))
                .build();
    }

    /** A snapshot buffer that refuses to grow past the limit (server capacity: RESOURCE_EXHAUSTED). */
    private static final class BoundedBytes extends ByteArrayOutputStream {
        private final int max;
        private final String stream;

        BoundedBytes(int max, String stream) {
            super(8192);
            this.max = max;
            this.stream = stream;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            check(len);
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            check(1);
            super.write(b);
        }

        private void check(int more) {
            if ((long) count + more > max) {
                throw new QuireException(ErrorKind.CONFLICT, "the snapshot of '" + stream + "' is over " + max
                        + " bytes (SNAPSHOT_BYTES_MAX); use quire snapshot on the server").withCode("too_large");
            }
        }
    }

    @Override
    public void load(LoadRequest req, StreamObserver<LoadResponse> out) {
        try {
            out.onNext(load(req));
            out.onCompleted();
        } catch (Throwable t) {
            out.onError(Errors.toStatus(t));
        }
    }

    private LoadResponse load(LoadRequest req) {
        String stream = Contexts.stream(req.getContextId());
        if (req.getSnapshot().size() > ContextLimits.SNAPSHOT_BYTES_MAX) {
            throw new QuireException(ErrorKind.CONFLICT, "the snapshot is " + req.getSnapshot().size() + " bytes; the limit is "
                    + ContextLimits.SNAPSHOT_BYTES_MAX + " (SNAPSHOT_BYTES_MAX)").withCode("too_large");
        }
        LoadResult r = ledger.load(stream, req.getSnapshot().newInput(), req.getFailIfExists());
        Clocks.Clock clock = clocks.of(stream);
        clock.lock.lock();
        try {
            clock.observe(ledger, stream);
        } finally {
            clock.lock.unlock();
        }
        if (r.entriesRestored() > 0) events.loaded(req.getContextId(), r.entriesRestored());
        return LoadResponse.newBuilder().setEntriesRestored(r.entriesRestored()).setLatestSequence(r.latestSeq()).build();
    }

    // ------------------------------------------------------------------------------ Watch

    @Override
    public void watch(WatchRequest req, StreamObserver<WatchEvent> out) {
        try {
            String stream = Contexts.stream(req.getContextId());
            Draft.validateKey(req.getKey());
            if (req.getFromSequence() < 0) throw QuireException.invalid("from_sequence " + Long.toUnsignedString(req.getFromSequence()) + " is out of range");
            watches.start(stream, req.getFromSequence(), req.getKey(), (ServerCallStreamObserver<WatchEvent>) out);
        } catch (Throwable t) {
            out.onError(Errors.toStatus(t));
        }
    }
}
