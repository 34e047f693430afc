package io.quire.server;

import io.grpc.ManagedChannel;
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
 * Invariants checked: a server process killed with SIGKILL during concurrent appends (durability
 * sync) loses no acknowledged entry: after reopening, every acknowledged (context, sequence) holds
 * the acknowledged id and hash, and sequences stay gap-free.
 */
class KillNineTest {
    @TempDir Path tmp;

    /** Appends acknowledged before the SIGKILL (the clients keep appending through it). */
    static final int ACKED_BEFORE_KILL = 200;

    @Test
    void shouldKeepEveryAcknowledgedEntryAfterKillNine() throws Exception {
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
        Queue<Entry> acked = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        for (int c = 0; c < 16; c++) {
            int client = c;
            clients.add(Thread.ofVirtual().start(() -> {
                var stub = ContextServiceGrpc.newBlockingStub(ch);
                for (int i = 0; ; i++) {
                    try {
                        acked.add(stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                                .append(req(client % 2 == 0 ? "shared" : "own-" + client, "k", client + ":" + i)).getEntry());
                    } catch (RuntimeException e) {
                        return; // the server is gone
                    }
                }
            }));
        }
        // Kill mid-stream: once enough appends are acknowledged (not after a fixed time, which on a
        // loaded machine may pass before the fresh server acknowledged anything), then a little more.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (acked.size() < ACKED_BEFORE_KILL && System.nanoTime() < deadline && p.isAlive()) Thread.sleep(20);
        assertThat(acked.size()).as("acknowledged before the kill").isGreaterThanOrEqualTo(ACKED_BEFORE_KILL);
        Thread.sleep(200);
        p.destroyForcibly(); // SIGKILL, with appends in flight
        p.waitFor(10, TimeUnit.SECONDS);
        for (Thread t : clients) t.join(30_000);
        ch.shutdownNow();
        assertThat(acked).isNotEmpty();
        try (Ledger l = Ledger.open(dir)) {
            for (Entry e : acked) {
                int client = Integer.parseInt(e.getPayload().toStringUtf8().split(":")[0]);
                String ctx = client % 2 == 0 ? "shared" : "own-" + client;
                var stored = l.read("ctx/" + ctx, e.getSequence() - 1, 1, null);
                assertThat(stored).as("acknowledged %s seq %d", ctx, e.getSequence()).hasSize(1);
                assertThat(stored.getFirst().id()).isEqualTo(e.getId());
                assertThat(stored.getFirst().hash().toBytes()).isEqualTo(e.getHash().toByteArray());
            }
            long last = l.stream("ctx/shared").orElseThrow().lastSeq();
            assertThat(l.read("ctx/shared", 0, 0, null)).hasSize((int) last);
        }
        System.out.println("KillNineTest: " + acked.size() + " acknowledged entries survived SIGKILL");
    }
}
