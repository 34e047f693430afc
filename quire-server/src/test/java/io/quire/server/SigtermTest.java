package io.quire.server;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quire.api.context.v1.WatchRequest;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.quire.api.context.v1.ContextServiceGrpc;
import io.quire.api.context.v1.Entry;
import io.quire.core.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.quire.server.Fixture.req;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants checked: SIGTERM to a real server process (QuireServer.main, its shutdown hook) during concurrent
 * appends is a graceful shutdown: the process exits by itself, a running watch ends with UNAVAILABLE saying
 * "shutting down" and its resume sequence, every append either was acknowledged or failed with UNAVAILABLE
 * (refused, never cut half way), every acknowledged entry is in the ledger, and the ledger was closed cleanly.
 */
class SigtermTest {
    @TempDir Path tmp;

    @Test
    void shouldDrainAppendsAndEndWatchesOnSigterm() throws Exception {
        Path dir = tmp.resolve("ledger");
        Ledger.init(dir);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), QuireServer.class.getName(),
                "--dir", dir.toString(), "--grpc-port", "0", "--http-port", "-1", "--durability", "sync")
                .redirectErrorStream(true).start();
        int port;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern ready = Pattern.compile("gRPC on [^:]+:(\\d+)");
            StringBuilder said = new StringBuilder();
            Matcher m = null;
            for (String line; (line = out.readLine()) != null; ) {
                said.append(line).append('\n');
                m = ready.matcher(line);
                if (m.find()) break;
                m = null;
            }
            assertThat(m).as("server said: %s", said).isNotNull();
            port = Integer.parseInt(m.group(1));
            Thread.ofVirtual().start(() -> out.lines().forEach(l -> {})); // keep the pipe drained
        } catch (Throwable t) {
            p.destroyForcibly();
            throw t;
        }
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        WatchTest.Collector watch = new WatchTest.Collector(false);
        ContextServiceGrpc.newStub(ch).watch(WatchRequest.newBuilder().setContextId("shared").build(), watch);
        Queue<Entry> acked = new ConcurrentLinkedQueue<>();
        Queue<Status.Code> failures = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            int client = c;
            clients.add(Thread.ofVirtual().start(() -> {
                var stub = ContextServiceGrpc.newBlockingStub(ch);
                for (int i = 0; ; i++) {
                    try {
                        acked.add(stub.withDeadlineAfter(30, TimeUnit.SECONDS).append(req("shared", "k", client + ":" + i)).getEntry());
                    } catch (StatusRuntimeException e) {
                        failures.add(e.getStatus().getCode());
                        return; // the server is going away
                    }
                }
            }));
        }
        Wait.until(60_000, () -> acked.size() >= 50);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the server exits by itself on SIGTERM").isTrue();
        for (Thread t : clients) t.join(60_000);
        Status end = watch.end.get(30, TimeUnit.SECONDS);
        ch.shutdownNow();
        assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(end.getDescription()).contains("shutting down").contains("from_sequence=");
        assertThat(failures).hasSize(16).containsOnly(Status.Code.UNAVAILABLE);
        try (Ledger l = Ledger.open(dir)) {
            assertThat(l.recovery().cleanShutdown()).as("the ledger was closed, not abandoned").isTrue();
            for (Entry e : acked) {
                var stored = l.read("ctx/shared", e.getSequence() - 1, 1, null);
                assertThat(stored).as("acknowledged seq %d", e.getSequence()).hasSize(1);
                assertThat(stored.getFirst().hash().toBytes()).isEqualTo(e.getHash().toByteArray());
            }
        }
        System.out.println("SigtermTest: " + acked.size() + " acknowledged entries, watch saw " + watch.events.size());
    }
}
