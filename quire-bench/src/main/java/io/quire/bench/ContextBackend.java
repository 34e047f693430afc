package io.quire.bench;

import io.grpc.ManagedChannel;
import io.quire.client.ContextClient;
import io.quire.client.QuireChannels;
import io.quire.client.Watch;
import io.quire.core.Durability;
import io.quire.core.Ledger;
import io.quire.server.QuireServer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * W5's Quire side: a real {@link QuireServer} on a free loopback port over a fresh ledger with {@link Durability#SYNC}
 * (fdatasync per group commit before the ack), HTTP off. Every {@link #appender} is one client: its own gRPC channel
 * (its own TCP connection) and {@link ContextClient}, appending to context {@code stream} with key "k" and an id of
 * its own (so the client's idempotency id costs no UUID). Only {@link #appender} and {@link #watch} are used.
 */
final class ContextBackend implements Backend {
    static final String SETTINGS = "QuireServer over loopback gRPC (plaintext), durability sync: fdatasync per group commit before the ack";

    private final QuireServer server;

    private ContextBackend(QuireServer server) { this.server = server; }

    /** Initializes a ledger in {@code dir} (must not hold one) and serves it on a free port. */
    static ContextBackend start(Path dir) {
        Ledger.init(dir);
        io.quire.server.Config c = io.quire.server.Config.defaults(dir).withPorts(0, -1).withDurability(Durability.SYNC);
        return new ContextBackend(QuireServer.start(c));
    }

    int port() { return server.grpcPort(); }

    @Override public String system() { return Harness.QUIRE; }

    @Override public Appender appender(String stream) {
        ManagedChannel ch = QuireChannels.plaintext("127.0.0.1", port());
        ContextClient client = new ContextClient(ch);
        String idPrefix = stream + "/";
        return new Appender() {
            long n;

            @Override public void append(byte[] payload) {
                client.append(stream, "k", payload, Map.of(), idPrefix + (n++));
            }

            @Override public void close() throws InterruptedException {
                client.close();
                ch.shutdownNow();
                ch.awaitTermination(5, TimeUnit.SECONDS);
            }
        };
    }

    /** A watcher on its own channel; close the returned handle to stop it and its channel. */
    AutoCloseable watch(String context, Consumer<byte[]> onPayload) {
        ManagedChannel ch = QuireChannels.plaintext("127.0.0.1", port());
        ContextClient client = new ContextClient(ch);
        Watch w = client.watch(context, "", 0, e -> onPayload.accept(e.getPayload().toByteArray()));
        return () -> {
            w.close();
            client.close();
            ch.shutdownNow();
            ch.awaitTermination(5, TimeUnit.SECONDS);
        };
    }

    /** The server's own timer of successful Append calls (from the call's start to its close), or null before the first. */
    private io.micrometer.core.instrument.Timer serverAppendTimer() {
        return server.meters().find("quire.grpc.server.calls").tag("method", io.quire.api.context.v1.ContextServiceGrpc.getAppendMethod().getFullMethodName()).tag("status", "OK").timer();
    }

    /**
     * The server's successful Append calls so far: {count, how many took at most 1 ms, at most 2 ms}, each bound
     * read at the largest histogram bucket at or under it.
     */
    long[] serverAppendCounts() {
        io.micrometer.core.instrument.Timer t = serverAppendTimer();
        if (t == null) return new long[] {0, 0, 0};
        io.micrometer.core.instrument.distribution.HistogramSnapshot snap = t.takeSnapshot();
        long[] out = {snap.count(), 0, 0};
        for (io.micrometer.core.instrument.distribution.CountAtBucket c : snap.histogramCounts()) {
            double ms = c.bucket(TimeUnit.MILLISECONDS);
            if (ms <= 1.0) out[1] = (long) c.count();
            if (ms <= 2.0) out[2] = (long) c.count();
        }
        return out;
    }

    /**
     * A watcher in the server's process, on the served ledger itself (no gRPC on the watch side): with appends over
     * gRPC it splits W5-watch's latency into the append side and the watch side.
     */
    AutoCloseable coreWatch(String context, Consumer<byte[]> onPayload) {
        return server.ledger().watch(io.quire.context.ContextLimits.STREAM_PREFIX + context, 0, null, e -> onPayload.accept(e.payload()));
    }

    @Override public void appendBatch(String stream, List<byte[]> payloads) { throw new UnsupportedOperationException("not used by W5"); }

    @Override public int readPage(String stream, long afterSeq, int limit) { throw new UnsupportedOperationException("not used by W5"); }

    @Override public void close() { server.close(); }
}
