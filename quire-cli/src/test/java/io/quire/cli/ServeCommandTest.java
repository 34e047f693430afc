package io.quire.cli;

import io.quire.windows.slots.SlotKind;

import io.quire.windows.slots.LedgerKind;

import io.quire.windows.audit.AuditLimits;

import io.quire.windows.audit.AuditSpool;

import io.quire.windows.audit.WindowsAudit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code quire serve}: help, a bad server flag, and a real server answering gRPC health on loopback. */
class ServeCommandTest {
    @TempDir Path tmp;

    @Test
    void shouldTeachItsOptionsInHelp() {
        Run r = Run.in(tmp, "serve", "--help");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("--grpc-port", "--http-port", "--bind", "--token", "--tls-cert", "GRPC_PORT");
    }

    @Test
    void shouldRefuseAnUnknownServerFlagNamingIt() {
        assertThat(Run.in(tmp, "init").code()).isZero();
        Run r = Run.in(tmp, "serve", "--no-such-flag");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("--no-such-flag");
    }

    @Test
    void shouldServeHealthOverRealGrpcUntilStopped() throws Exception {
        assertThat(Run.in(tmp, "init").code()).isZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
        AtomicInteger code = new AtomicInteger(-1);
        Thread t = Thread.ofPlatform().start(() -> code.set(QuireCli.run(io,
                "--dir", tmp.toString(), "serve", "--grpc-port", "0", "--http-port", "-1")));
        Pattern p = Pattern.compile("gRPC on 127\\.0\\.0\\.1:(\\d+)");
        Matcher m = p.matcher("");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !(m = p.matcher(out.toString(StandardCharsets.UTF_8))).find()) Thread.sleep(20);
        assertThat(m.find(0)).as("stdout: %s stderr: %s", out, err).isTrue();
        int port = Integer.parseInt(m.group(1));
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            HealthCheckResponse h = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().build());
            assertThat(h.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            ch.shutdownNow();
        }
        // A windows audit record spooled by another writer (as 'quire clear' does while the server
        // holds the ledger) reaches windows/audit through the server's drain.
        try (var audit = new WindowsAudit(AuditSpool.create(tmp), "carol", id -> java.util.Optional.empty(), () -> 1L)) {
            audit.clearRequested("carol", LedgerKind.TRADE, SlotKind.TRADE_REF, "AAPL", 1, 2, "served");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ServeCommand.started.ledger().read(AuditLimits.STREAM, 0, 0, null).isEmpty()) {
                assertThat(System.nanoTime()).as("drained by the server").isLessThan(end);
                Thread.sleep(50);
            }
            var e = ServeCommand.started.ledger().read(AuditLimits.STREAM, 0, 0, null);
            assertThat(e).hasSize(1);
            assertThat(e.getFirst().key()).isEqualTo("clear_request");
            assertThat(e.getFirst().metadata()).containsEntry("operator", "carol");
        }
        ServeCommand.started.close();
        t.join(30_000);
        assertThat(code.get()).isZero();
    }
}
