package io.quire.server;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quire.context.ContextEvents;
import io.quire.core.Ledger;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's Prometheus metrics (docs/API.md "Metrics"): calls and their latency per RPC and
 * status, appends and their payload bytes, entries loaded, running watches, watches ended for
 * lagging, ledger size and the last checkpoint's size.
 */
final class Metrics implements ContextEvents, ServerInterceptor {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter appends = Counter.builder("quire.context.appends").description("entries appended over gRPC").register(registry);
    private final Counter appendBytes = Counter.builder("quire.context.append.bytes").baseUnit("bytes")
            .description("payload bytes appended over gRPC").register(registry);
    private final Counter loaded = Counter.builder("quire.context.loaded.entries").description("entries appended by Load").register(registry);
    private final Counter lagging = Counter.builder("quire.context.watch.ended.lagging").description("watches ended because the client fell behind").register(registry);
    private final AtomicInteger watchers = new AtomicInteger();
    private final AtomicLong checkpointSize = new AtomicLong();
    /** Call timers by method, then by status code ordinal (see {@link #callTimer}). */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicReferenceArray<Timer>> callTimers = new java.util.concurrent.ConcurrentHashMap<>();

    Metrics(Ledger ledger) {
        Gauge.builder("quire.context.watchers", watchers, AtomicInteger::get).description("running watches").register(registry);
        Gauge.builder("quire.ledger.checkpoint.size", checkpointSize, AtomicLong::get).baseUnit("entries")
                .description("entries covered by the last checkpoint served").register(registry);
        Gauge.builder("quire.ledger.size", ledger, l -> l.size()).baseUnit("entries").description("entries in the ledger").register(registry);
        ledger.latestCheckpoint().ifPresent(c -> checkpointSize.set(c.size()));
    }

    @Override public void appended(String contextId, long payloadBytes) {
        appends.increment();
        appendBytes.increment(payloadBytes);
    }

    @Override public void loaded(String contextId, long entries) { loaded.increment(entries); }

    @Override public void watchers(int delta) { watchers.addAndGet(delta); }

    @Override public void watchLagging() { lagging.increment(); }

    @Override public void checkpoint(long size) { checkpointSize.set(size); }

    String scrape() { return registry.scrape(); }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        long start = System.nanoTime();
        String method = call.getMethodDescriptor().getFullMethodName();
        ServerCall<Q, R> timed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                callTimer(method, status.getCode()).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                super.close(status, trailers);
            }
        };
        return next.startCall(timed, headers);
    }

    /**
     * The timer of (method, status), registered once: building and registering it on every call
     * (tags, id, the registry's lookup) cost more than recording, once per call.
     */
    private Timer callTimer(String method, Status.Code code) {
        var byCode = callTimers.computeIfAbsent(method, m -> new java.util.concurrent.atomic.AtomicReferenceArray<>(Status.Code.values().length));
        Timer t = byCode.get(code.ordinal());
        if (t == null) {
            t = Timer.builder("quire.grpc.server.calls")
                    .description("gRPC calls by method and status, with their latency")
                    .tag("method", method).tag("status", code.name())
                    .publishPercentileHistogram()
                    .register(registry); // idempotent: a racing thread gets the same timer
            byCode.set(code.ordinal(), t);
        }
        return t;
    }
}
