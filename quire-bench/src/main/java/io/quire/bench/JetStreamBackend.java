package io.quire.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * W5's side-by-side system: NATS JetStream on the {@link NatsServer} the harness started. One stream {@value #STREAM}
 * with subjects {@code w5.>}, file storage, one replica, no limits (every other setting the server's default). Every
 * {@link #appender} is one client: its own connection, publishing to subject {@code w5.<stream>} and waiting for the
 * stream's ack ({@code JetStream.publish}); {@link #asyncAppender} publishes with {@code publishAsync} instead.
 *
 * <p>Durability, as configured: nats-server 2.9's file store acks a message once it is written to the OS (page
 * cache) and fsyncs its message blocks on a 2-minute timer; 2.9 has no setting to fsync per message
 * ({@code sync_interval} arrived in 2.10). So a JetStream ack here survives a process crash, not a power loss.
 */
final class JetStreamBackend implements Backend {
    static final String SYSTEM = "jetstream";
    static final String STREAM = "W5";
    static final String DURABILITY = "file storage, 1 replica, server defaults: ack after the write to the page cache, "
            + "fsync every 2 min (2.9 has no sync_interval setting); not fsynced before the ack";

    private final NatsServer server;
    private final Connection admin;

    private JetStreamBackend(NatsServer server, Connection admin) {
        this.server = server;
        this.admin = admin;
    }

    /** Connects to {@code server} and creates the stream. The caller keeps owning (and killing) the server. */
    static JetStreamBackend create(NatsServer server) throws Exception {
        Connection c = connect(server, "w5-admin");
        try {
            c.jetStreamManagement().addStream(StreamConfiguration.builder().name(STREAM).subjects("w5.>")
                    .storageType(StorageType.File).replicas(1).build());
            return new JetStreamBackend(server, c);
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    static String subject(String stream) { return "w5." + stream; }

    private static Connection connect(NatsServer server, String name) throws Exception {
        return Nats.connect(new Options.Builder().server(server.url()).connectionName(name).connectionTimeout(Duration.ofSeconds(5))
                .noReconnect().build());
    }

    @Override public String system() { return SYSTEM; }

    /** Sync publish: one message in flight, waits for the stream's ack. */
    @Override public Appender appender(String stream) throws Exception {
        Connection c = connect(server, stream);
        JetStream js = c.jetStream();
        String subject = subject(stream);
        return new Appender() {
            @Override public void append(byte[] payload) throws Exception { js.publish(subject, payload); }

            @Override public void close() throws InterruptedException { c.close(); }
        };
    }

    /** An appender whose appends complete asynchronously (the ack future of {@code publishAsync}). */
    interface AsyncAppender extends AutoCloseable {
        CompletableFuture<?> append(byte[] payload) throws Exception;

        @Override void close() throws Exception;
    }

    AsyncAppender asyncAppender(String stream) throws Exception {
        Connection c = connect(server, stream);
        JetStream js = c.jetStream();
        String subject = subject(stream);
        return new AsyncAppender() {
            @Override public CompletableFuture<?> append(byte[] payload) { return js.publishAsync(subject, payload); }

            @Override public void close() throws InterruptedException { c.close(); }
        };
    }

    /** An ordered push consumer on {@code w5.<stream>} (its own connection and dispatcher thread). */
    AutoCloseable watch(String stream, Consumer<byte[]> onPayload) throws Exception {
        Connection c = connect(server, stream + "-watch");
        try {
            Dispatcher d = c.createDispatcher();
            JetStreamSubscription sub = c.jetStream().subscribe(subject(stream), d, m -> onPayload.accept(m.getData()), true,
                    PushSubscribeOptions.builder().ordered(true).build());
            if (sub == null) throw new IllegalStateException("no subscription");
            return c::close;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    @Override public void appendBatch(String stream, List<byte[]> payloads) { throw new UnsupportedOperationException("not used by W5"); }

    @Override public int readPage(String stream, long afterSeq, int limit) { throw new UnsupportedOperationException("not used by W5"); }

    @Override public void close() throws InterruptedException { admin.close(); }
}
