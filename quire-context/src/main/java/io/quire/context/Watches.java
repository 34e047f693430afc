package io.quire.context;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.quire.api.Errors;
import io.quire.api.context.v1.WatchEvent;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.QuireException;
import io.quire.core.watch.Watch;
import io.quire.core.watch.WatchEnd;
import io.quire.core.watch.WatchListener;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bridges core watches to gRPC server streams, with back-pressure end to end: the core's watch
 * thread blocks in {@link WatchListener#onEntry} until gRPC's outbound buffer is ready again, so
 * nothing is buffered for a slow client. A client that does not read for
 * {@link ContextOptions#watchStallMsMax()} ms, or falls more than
 * {@link ContextOptions#watchLagEntriesMax()} entries behind the head, is ended with
 * RESOURCE_EXHAUSTED and the trailer {@link #RESUME_KEY} (its last sequence) to resume from.
 */
final class Watches {
    /** Trailer on a watch's end: the last sequence it delivered; resume with {@code from_sequence} = this. */
    static final Metadata.Key<String> RESUME_KEY = Metadata.Key.of("quire-resume-from", Metadata.ASCII_STRING_MARSHALLER);

    /** How often a watch waiting for its client re-checks its lag. */
    private static final long LAG_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Ledger ledger;
    private final ContextOptions options;
    private final ContextEvents events;
    private final Set<Call> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private volatile String shutdownReason;

    Watches(Ledger ledger, ContextOptions options, ContextEvents events) {
        this.ledger = ledger;
        this.options = options;
        this.events = events;
    }

    int count() { return count.get(); }

    void start(String stream, long from, String key, ServerCallStreamObserver<WatchEvent> out) {
        if (shutdownReason != null) throw new QuireException(io.quire.core.ErrorKind.IO, "the server is shutting down");
        if (count.incrementAndGet() > options.watchersTotalMax()) {
            count.decrementAndGet();
            throw QuireException.conflict("the server runs " + options.watchersTotalMax() + " watches, its limit (watchers total); retry later")
                    .withCode("too_many_watchers");
        }
        Call c = new Call(out, stream);
        // Handlers must be set before this method returns (gRPC's rule for server streams).
        out.setOnReadyHandler(c::wake);
        out.setOnCancelHandler(c::cancelledByClient);
        try {
            running.add(c);
            events.watchers(1);
            c.attach(ledger.watch(stream, from, key, options.watchLagEntriesMax(), c));
        } catch (Throwable t) {
            c.release();
            throw t;
        }
    }

    /** Ends every watch with UNAVAILABLE (shutdown). New watches are refused from now on. */
    void endAll(String why) {
        shutdownReason = why;
        for (Call c : running) c.closeWatch();
    }

    /** A client took too long to read: the watch thread gives up waiting for gRPC's buffer. */
    private static final class Stalled extends RuntimeException {
        Stalled(String m) { super(m, null, false, false); }
    }

    private final class Call implements WatchListener {
        private final ServerCallStreamObserver<WatchEvent> out;
        private final String stream;
        private final Object lock = new Object();
        private volatile boolean cancelled;
        private volatile Watch watch;
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        Call(ServerCallStreamObserver<WatchEvent> out, String stream) {
            this.out = out;
            this.stream = stream;
        }

        void attach(Watch w) {
            watch = w;
            if (cancelled || shutdownReason != null) w.close();
        }

        void closeWatch() {
            Watch w = watch;
            if (w != null) w.close();
        }

        void wake() {
            synchronized (lock) { lock.notifyAll(); }
        }

        void cancelledByClient() {
            cancelled = true;
            wake();
            closeWatch();
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                running.remove(this);
                count.decrementAndGet();
                events.watchers(-1);
            }
        }

        @Override
        public void onEntry(Entry e) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.watchStallMsMax());
            synchronized (lock) {
                while (!out.isReady() && !cancelled) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new Stalled("the client read nothing for " + options.watchStallMsMax() + " ms (watch stall limit)");
                    }
                    // The core checks the lag between deliveries only; while this thread waits for
                    // the client, check it here too, so the lag limit holds for a client that stops reading.
                    Watch w = watch;
                    if (w != null && w.lag() > options.watchLagEntriesMax()) {
                        throw new Stalled("the watcher fell more than " + options.watchLagEntriesMax() + " entries behind the head of '"
                                + stream + "' (watch lag limit)");
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, Math.min(left, LAG_CHECK_NS));
                }
                if (cancelled) throw new Stalled("cancelled by the client");
                out.onNext(WatchEvent.newBuilder().setEntry(Protos.entry(e)).build());
            }
        }

        @Override
        public void onEnd(WatchEnd end) {
            release();
            if (cancelled) return; // the client is gone: nothing to send
            Metadata trailers = new Metadata();
            trailers.put(RESUME_KEY, Long.toString(end.lastSeq()));
            String resume = "; resume with from_sequence=" + end.lastSeq();
            Status status = switch (end.reason()) {
                case CANCELLED, LEDGER_CLOSED -> Status.UNAVAILABLE.withDescription(
                        (shutdownReason != null ? shutdownReason : "the ledger is closing") + resume);
                case LAGGING -> {
                    events.watchLagging();
                    yield Status.RESOURCE_EXHAUSTED.withDescription("the watcher fell more than " + options.watchLagEntriesMax()
                            + " entries behind the head of '" + stream + "' (watch lag limit)" + resume);
                }
                case FAILED -> {
                    if (end.error() instanceof Stalled s) {
                        events.watchLagging();
                        yield Status.RESOURCE_EXHAUSTED.withDescription(s.getMessage() + resume);
                    }
                    var x = Errors.toStatus(end.error());
                    if (x.getTrailers() != null) trailers.merge(x.getTrailers());
                    yield x.getStatus().withDescription(x.getStatus().getDescription() + resume);
                }
            };
            try {
                synchronized (lock) { out.onError(status.asRuntimeException(trailers)); }
            } catch (RuntimeException alreadyClosed) {
                // The call ended meanwhile (cancelled between the check and here): nothing to tell.
            }
        }
    }
}
