package io.quire.server;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.quire.core.Durability;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Health, reflection, HTTP endpoints, metrics, configuration precedence. */
class ServerTest {
    @TempDir Path tmp;

    @Test
    void shouldServeHealthReflectionAndHttpEndpoints() throws Exception {
        try (Fixture f = new Fixture(tmp)) {
            f.append("c", "k", "hello");
            assertThat(HealthGrpc.newBlockingStub(f.channel).check(HealthCheckRequest.newBuilder()
                    .setService("converge.context.v1.ContextService").build()).getStatus().name()).isEqualTo("SERVING");
            CompletableFuture<ServerReflectionResponse> r = new CompletableFuture<>();
            StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(f.channel).serverReflectionInfo(new StreamObserver<>() {
                @Override public void onNext(ServerReflectionResponse v) { r.complete(v); }
                @Override public void onError(Throwable t) { r.completeExceptionally(t); }
                @Override public void onCompleted() {}
            });
            req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            List<String> services = r.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream().map(s -> s.getName()).toList();
            req.onCompleted();
            assertThat(services).contains("converge.context.v1.ContextService", "quire.ledger.v1.LedgerService", "grpc.health.v1.Health");
            int http = f.server.httpPort();
            assertThat(Http.get(http, "/healthz").statusCode()).isEqualTo(200);
            assertThat(Http.get(http, "/readyz").statusCode()).isEqualTo(200);
            String metrics = Http.get(http, "/metrics").body();
            assertThat(metrics).contains("quire_grpc_server_calls_seconds_count{method=\"converge.context.v1.ContextService/Append\",status=\"OK\"} 1")
                    .contains("quire_context_appends_total 1.0").contains("quire_context_append_bytes_total 5.0")
                    .contains("quire_context_watchers").contains("quire_ledger_size_entries 1.0");
            assertThat(Http.get(http, "/nope").statusCode()).isEqualTo(404);
        }
    }

    /**
     * quire.ledger.checkpoint.size follows the checkpoints served, and starts from the ledger's last
     * stored checkpoint when a server opens it again; QuireServer.meters() is the same registry.
     */
    @Test
    void shouldReportTheLastCheckpointSizeAcrossARestart() throws Exception {
        Path dir;
        try (Fixture f = new Fixture(tmp)) {
            dir = f.dir;
            assertThat(Http.get(f.server.httpPort(), "/metrics").body()).contains("quire_ledger_checkpoint_size_entries 0.0");
            for (int i = 0; i < 3; i++) f.append("c", "k", "v" + i);
            assertThat(f.proofs().checkpoint(io.quire.api.ledger.v1.CheckpointRequest.getDefaultInstance()).getSize()).isEqualTo(3);
            assertThat(Http.get(f.server.httpPort(), "/metrics").body()).contains("quire_ledger_checkpoint_size_entries 3.0");
            assertThat(f.server.meters().get("quire.ledger.checkpoint.size").gauge().value()).isEqualTo(3.0);
            assertThat(f.server.meters().get("quire.grpc.server.calls").tag("method", "converge.context.v1.ContextService/Append")
                    .tag("status", "OK").timer().count()).isEqualTo(3);
            f.append("c", "k", "after the checkpoint");
        }
        try (Fixture again = new Fixture(dir, false, c -> c)) {
            assertThat(Http.get(again.server.httpPort(), "/metrics").body())
                    .as("the last stored checkpoint covers 3 entries; the 4th came after it").contains("quire_ledger_checkpoint_size_entries 3.0");
        }
    }

    @Test
    void shouldTakeFlagsOverEnvironmentOverDefaults() {
        Config c = Config.parse(List.of("--dir", "/x", "--grpc-port", "7000"), Map.of("GRPC_PORT", "6000", "QUIRE_HTTP_PORT", "9000"));
        assertThat(c.grpcPort()).isEqualTo(7000);
        assertThat(c.httpPort()).isEqualTo(9000);
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        Config e = Config.parse(List.of("--dir=/x"), Map.of("GRPC_PORT", "6000", "QUIRE_TOKENS", "reader:abcdefghijklmnopq"));
        assertThat(e.grpcPort()).isEqualTo(6000);
        assertThat(e.tokens()).containsEntry("abcdefghijklmnopq", Role.READER);
        Config d = Config.parse(List.of("--dir", "/x"), Map.of());
        assertThat(d.grpcPort()).isEqualTo(50051);
        assertThat(d.httpPort()).isEqualTo(9464);
        assertThat(d.durability()).isEqualTo(Durability.SYNC);
        assertThatThrownBy(() -> Config.parse(List.of("--dir", "/x", "--token", "reader:short"), Map.of())).isInstanceOf(QuireException.class)
                .hasMessageContaining("TOKEN_CHARS_MIN");
        assertThatThrownBy(() -> Config.parse(List.of("--bogus", "1"), Map.of())).hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> Config.parse(List.of("--dir", "/x", "--tls-cert", "/c"), Map.of())).hasMessageContaining("both");
    }

    @Test
    void shouldBeNotReadyAfterCloseAndCloseIdempotently() throws Exception {
        Fixture f = new Fixture(tmp);
        f.server.close();
        assertThat(f.server.isReady()).isFalse();
        f.close();
    }

    @Test
    void shouldTakeTheEventLoopCountFromFlagOrFileAndRefuseItOutsideItsRange() {
        assertThat(Config.parse(List.of("--dir", "/x"), Map.of()).eventLoops()).isEqualTo(ServerLimits.EVENT_LOOPS_DEFAULT)
                .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
        assertThat(Config.parse(List.of("--dir", "/x", "--event-loops", "1"), Map.of()).eventLoops()).isEqualTo(1);
        assertThat(Config.parse(List.of("--dir", "/x", "--event-loops", String.valueOf(ServerLimits.EVENT_LOOPS_MAX)), Map.of()).eventLoops())
                .isEqualTo(ServerLimits.EVENT_LOOPS_MAX);
        assertThat(Config.parse(List.of("--dir", "/x"), Map.of(), Map.of("event-loops", new Config.FileValue("3", "config file q.yaml, line 4, key 'event_loops'")))
                .eventLoops()).isEqualTo(3);
        assertThatThrownBy(() -> Config.parse(List.of("--dir", "/x", "--event-loops", "0"), Map.of())).isInstanceOf(QuireException.class)
                .hasMessageContaining("--event-loops: event loops must be 1.." + ServerLimits.EVENT_LOOPS_MAX + " (EVENT_LOOPS_MAX), got 0");
        assertThatThrownBy(() -> Config.parse(List.of("--dir", "/x", "--event-loops", String.valueOf(ServerLimits.EVENT_LOOPS_MAX + 1)), Map.of()))
                .hasMessageContaining("got " + (ServerLimits.EVENT_LOOPS_MAX + 1));
        assertThatThrownBy(() -> Config.parse(List.of("--dir", "/x", "--event-loops", "many"), Map.of())).hasMessageContaining("must be a number, got 'many'");
        assertThatThrownBy(() -> Config.parse(List.of("--dir", "/x"), Map.of(), Map.of("event-loops", new Config.FileValue("0", "config file q.yaml, line 4, key 'event_loops'"))))
                .hasMessageContaining("config file q.yaml, line 4, key 'event_loops': event loops must be 1..");
        assertThatThrownBy(() -> Config.defaults(Path.of("/x")).withEventLoops(0)).hasMessageContaining("event loops must be 1..");
        assertThat(Config.FILE_KEYS).containsEntry("event_loops", "event-loops");
    }

    @Test
    void shouldServeOnTheConfiguredEventLoopsAndStopThemOnClose() throws Exception {
        try (Fixture f = new Fixture(tmp, c -> c.withEventLoops(1))) {
            assertThat(f.server.eventLoopCount()).isEqualTo(1);
            for (int i = 0; i < 20; i++) assertThat(f.append("c", "k", "p" + i).getSequence()).isEqualTo(i + 1);
            assertThat(loopThreads()).as("the server's loops run").isNotEmpty();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!loopThreads().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(loopThreads()).as("no event-loop thread outlives close").isEmpty();
    }

    @Test
    void shouldStopItsEventLoopsWhenThePortIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            io.quire.core.Ledger.init(tmp.resolve("l2"));
            Config c = Config.defaults(tmp.resolve("l2")).withPorts(taken.getLocalPort(), -1);
            assertThatThrownBy(() -> QuireServer.start(c)).isInstanceOf(RuntimeException.class);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!loopThreads().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(loopThreads()).as("a failed start leaves no event-loop thread").isEmpty();
    }

    private static List<String> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("quire-grpc-loop") || n.startsWith("quire-grpc-accept")).toList();
    }
}
