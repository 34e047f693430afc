package io.quire.client;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quire.api.context.v1.Entry;
import io.quire.api.context.v1.WatchEvent;
import io.quire.api.context.v1.WatchRequest;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A resuming watch (see {@link ContextClient#watch}). It reads with flow control, one message at a time after the
 * listener returns, so a slow listener slows the stream instead of filling memory; a server that ends the stream
 * because the listener fell behind (RESOURCE_EXHAUSTED) is simply resumed.
 *
 * <p>No gap: a stream is resumed from the last sequence handed to the listener, never further (the server's
 * {@code quire-resume-from} trailer names the same sequence; when it is lower, the client's own record wins).
 * No duplicate: an entry at or below the last delivered sequence is dropped.
 */
public final class Watch implements AutoCloseable {
    /** The server's trailer naming the last sequence it delivered. */
    public static final Metadata.Key<String> RESUME_FROM_KEY = Metadata.Key.of("quire-resume-from", Metadata.ASCII_STRING_MARSHALLER);

    private final ContextClient client;
    private final String contextId;
    private final String key;
    private final WatchListener listener;
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object lock = new Object();
    private volatile long lastSequence;
    private volatile int failures; // consecutive ends without an entry delivered
    private volatile int reconnects;
    private volatile long serverResumeFrom = -1;
    private volatile ClientCallStreamObserver<WatchRequest> call;

    Watch(ContextClient client, String contextId, String key, long fromSequence, WatchListener listener, Backoff backoff,
          ScheduledExecutorService timer) {
        if (listener == null) throw new IllegalArgumentException("a listener is needed");
        if (fromSequence < 0) throw new IllegalArgumentException("fromSequence must be >= 0, got " + fromSequence);
        this.client = client;
        this.contextId = contextId;
        this.key = key;
        this.lastSequence = fromSequence;
        this.listener = listener;
        this.backoff = backoff;
        this.timer = timer;
    }

    /** The last sequence handed to the listener (the starting point before any). */
    public long lastSequence() { return lastSequence; }

    /** How many times the stream was resumed. */
    public int reconnects() { return reconnects; }

    /**
     * The {@code quire-resume-from} trailer of the last stream end, -1 when none came. Informational: the watch
     * always resumes from {@link #lastSequence()}, what its listener actually received.
     */
    public long serverResumeFrom() { return serverResumeFrom; }

    public boolean isClosed() { return closed.get(); }

    void start() {
        if (closed.get()) return;
        WatchRequest req = WatchRequest.newBuilder().setContextId(contextId).setKey(key).setFromSequence(lastSequence).build();
        client.async().watch(req, new Stream());
    }

    private final class Stream implements ClientResponseObserver<WatchRequest, WatchEvent> {
        private volatile boolean live = true;

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> r) {
            call = r;
            r.disableAutoRequestWithInitial(1);
            if (closed.get()) r.cancel("watch closed", null);
        }

        @Override
        public void onNext(WatchEvent ev) {
            ClientCallStreamObserver<WatchRequest> c = call;
            if (!live || closed.get()) return;
            Entry e = ev.getEntry();
            synchronized (lock) {
                if (e.getSequence() > lastSequence) {
                    try {
                        listener.onEntry(e);
                    } catch (RuntimeException | Error x) {
                        // The listener's failure ends the watch for good; the entry does not count as delivered.
                        live = false;
                        if (closed.compareAndSet(false, true)) {
                            if (c != null) c.cancel("the watch listener failed", x);
                            listener.onEnd(Status.CANCELLED.withDescription("the listener failed on sequence " + e.getSequence() + ": " + x).withCause(x));
                        }
                        return;
                    }
                    lastSequence = e.getSequence();
                    failures = 0;
                }
            }
            if (c != null && !closed.get()) c.request(1);
        }

        @Override
        public void onError(Throwable t) {
            live = false;
            if (closed.get()) return;
            Status s = Status.fromThrowable(t);
            Metadata trailers = t instanceof StatusRuntimeException sre ? sre.getTrailers() : Status.trailersFromThrowable(t);
            if (trailers != null) {
                String r = trailers.get(RESUME_FROM_KEY);
                if (r != null) {
                    try {
                        serverResumeFrom = Long.parseLong(r);
                    } catch (NumberFormatException ignore) {
                        // informational only; a malformed trailer changes nothing
                    }
                }
            }
            ended(s);
        }

        @Override
        public void onCompleted() {
            live = false;
            // A watch never completes by itself; a clean end is treated like a disconnect.
            if (!closed.get()) ended(Status.UNAVAILABLE.withDescription("watch stream completed"));
        }
    }

    /** Statuses a watch resumes from. */
    static boolean resumable(Status.Code c) {
        return c == Status.Code.UNAVAILABLE || c == Status.Code.RESOURCE_EXHAUSTED || c == Status.Code.DEADLINE_EXCEEDED
                || c == Status.Code.ABORTED;
    }

    private void ended(Status s) {
        int f = failures;
        if (!resumable(s.getCode()) || f + 1 >= backoff.maxAttempts()) {
            if (closed.compareAndSet(false, true)) {
                synchronized (lock) {
                    listener.onEnd(s);
                }
            }
            return;
        }
        failures = f + 1;
        long delay = backoff.delayMillis(f);
        synchronized (lock) {
            listener.onReconnect(s, lastSequence, delay);
        }
        reconnects++;
        try {
            timer.schedule(() -> {
                if (closed.get()) return;
                // The channel's own connect backoff could otherwise hold us back after the server returns.
                if (client.channelForReconnect() instanceof ManagedChannel mc) mc.resetConnectBackoff();
                start();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closed.set(true); // the client was closed
        }
    }

    /** Stops the watch; no callback runs after this returns (except one already running). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        ClientCallStreamObserver<WatchRequest> c = call;
        if (c != null) c.cancel("watch closed by the client", null);
    }
}
