package io.quire.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.quire.api.context.v1.ContextServiceGrpc;
import io.quire.api.ledger.v1.LedgerServiceGrpc;
import io.quire.context.ContextServiceImpl;
import io.quire.context.LedgerServiceImpl;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.QuireException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code quire serve} (DESIGN §8): the Converge {@code ContextService} and {@code LedgerService}
 * over gRPC, with the gRPC health and reflection services, and HTTP {@code /metrics},
 * {@code /healthz}, {@code /readyz}. Binds 127.0.0.1 unless told otherwise.
 *
 * <p>{@link #close()} is the graceful shutdown (also run on SIGTERM by {@link #main}): readiness
 * and health go NOT_SERVING, no new call is accepted, running watches are ended with UNAVAILABLE
 * and their resume sequence, in-flight appends finish (up to {@link Config#drainMs()}), then the
 * ledger is closed. Idempotent.
 */
public final class QuireServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.quire.server");

    private final Config config;
    private final Ledger ledger;
    private final boolean ownsLedger;
    private final Server grpc;
    private final EventLoops loops;
    private final HttpEndpoints http;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ContextServiceImpl context;
    private final Metrics metrics;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean ready;

    private QuireServer(Config config, Ledger ledger, boolean ownsLedger) throws IOException {
        this.config = config;
        this.ledger = ledger;
        this.ownsLedger = ownsLedger;
        this.metrics = new Metrics(ledger);
        this.context = new ContextServiceImpl(ledger, config.context(), metrics);
        LedgerServiceImpl proofs = new LedgerServiceImpl(ledger, metrics);
        ServerCredentials creds = config.tlsCert() == null ? InsecureServerCredentials.create()
                : TlsServerCredentials.create(config.tlsCert().toFile(), config.tlsKey().toFile());
        this.loops = EventLoops.create(config.eventLoops());
        Server started;
        try {
            started = loops.applyTo(NettyServerBuilder.forAddress(new InetSocketAddress(config.bind(), config.grpcPort()), creds))
                .executor(executor)
                .maxInboundMessageSize(config.messageBytesMax())
                .maxInboundMetadataSize(ServerLimits.METADATA_BYTES_MAX)
                .maxConcurrentCallsPerConnection(ServerLimits.CALLS_PER_CONNECTION_MAX)
                .addService(StrictParsing.wrap(context.bindService()))
                .addService(StrictParsing.wrap(proofs.bindService()))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .intercept(new AuthInterceptor(config.tokens()))
                .intercept(metrics) // added last, so it runs first and also counts refused calls
                .build()
                .start();
        } catch (IOException | RuntimeException e) {
            loops.close();
            throw e;
        }
        this.grpc = started;
        HttpEndpoints h = null;
        try {
            if (config.httpPort() >= 0) h = new HttpEndpoints(config.bind(), config.httpPort(), metrics::scrape, () -> ready);
        } catch (IOException | RuntimeException e) {
            grpc.shutdownNow();
            awaitQuietly(grpc);
            loops.close();
            throw e;
        }
        this.http = h;
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(ContextServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(LedgerServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        ready = true;
    }

    /** Opens the ledger of {@code config.dir()} and starts serving it; {@link #close()} closes both. */
    public static QuireServer start(Config config) { return start(config, LedgerOptions.defaults()); }

    /**
     * Opens the ledger with {@code options} (its durability replaced by the config's) and starts serving it;
     * {@link #close()} closes both. {@code quire serve} passes the ledger settings of its quire.yaml this way.
     */
    public static QuireServer start(Config config, LedgerOptions options) {
        if (!config.tlsFilesReadable()) {
            throw QuireException.invalid("cannot read the TLS files " + config.tlsCert() + " and " + config.tlsKey());
        }
        Ledger ledger = Ledger.open(config.dir(), options.withDurability(config.durability()));
        try {
            return new QuireServer(config, ledger, true);
        } catch (Throwable t) {
            try {
                ledger.close();
            } catch (Throwable s) {
                t.addSuppressed(s);
            }
            throw startFailed(config, t);
        }
    }

    /** Serves an already open ledger (embedding, tests); {@link #close()} leaves it open. */
    public static QuireServer start(Config config, Ledger ledger) {
        try {
            return new QuireServer(config, ledger, false);
        } catch (Throwable t) {
            throw startFailed(config, t);
        }
    }

    private static RuntimeException startFailed(Config config, Throwable t) {
        if (t instanceof QuireException q) return q;
        if (t instanceof IOException || t.getCause() instanceof IOException) {
            return QuireException.io("cannot listen on " + config.bind() + " (gRPC port " + config.grpcPort() + ", HTTP port "
                    + config.httpPort() + "): " + t.getMessage() + "; is another server running? pick other ports with --grpc-port/--http-port",
                    null, t);
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    public int grpcPort() { return grpc.getPort(); }

    /** The HTTP port, or -1 when HTTP is off. */
    public int httpPort() { return http == null ? -1 : http.port(); }

    public Ledger ledger() { return ledger; }

    /** The server's meters (what {@code /metrics} serves), for an embedding process. */
    public io.micrometer.core.instrument.MeterRegistry meters() { return metrics.registry; }

    public Config config() { return config; }

    public boolean isReady() { return ready; }

    /** Blocks until the server has shut down. */
    public void awaitTermination() throws InterruptedException { grpc.awaitTermination(); }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        ready = false;
        health.enterTerminalState();
        grpc.shutdown(); // no new calls; in-flight ones go on
        context.endWatches("the server is shutting down");
        try {
            if (!grpc.awaitTermination(config.drainMs(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "calls still running after " + config.drainMs() + " ms of draining; cutting them");
                grpc.shutdownNow();
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            grpc.shutdownNow();
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = null;
        loops.close(); // after the gRPC server: it does not stop groups it was given
        try {
            if (http != null) http.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        executor.shutdown();
        if (ownsLedger) {
            try {
                ledger.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    private static void awaitQuietly(Server s) {
        try {
            s.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server's Netty event loops (its setting {@link Config#eventLoops()}), for tests. */
    int eventLoopCount() { return loops.size(); }

    /** {@code quire serve}: flags over environment over defaults; SIGTERM/SIGINT shut down gracefully. */
    public static void main(String[] args) throws InterruptedException {
        Config config;
        try {
            config = Config.parse(Arrays.asList(args), System.getenv());
        } catch (QuireException e) {
            System.err.println(e.getMessage());
            System.exit(e.getMessage().startsWith("Usage:") ? 0 : 2);
            return;
        }
        QuireServer server;
        try {
            server = start(config);
        } catch (QuireException e) {
            System.err.println("quire serve: " + e.getMessage());
            System.exit(e.kind().exitCode());
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("quire-shutdown").unstarted(server::close));
        System.out.println("quire serve: gRPC on " + config.bind() + ":" + server.grpcPort()
                + (config.tlsCert() != null ? " (TLS)" : "")
                + (server.httpPort() >= 0 ? ", HTTP on " + config.bind() + ":" + server.httpPort() : "")
                + ", ledger " + config.dir().toAbsolutePath()
                + (config.tokens().isEmpty() ? "" : ", " + config.tokens().size() + " bearer token(s)"));
        System.out.flush();
        server.awaitTermination();
    }
}
