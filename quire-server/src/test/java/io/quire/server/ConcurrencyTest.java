package io.quire.server;

import io.grpc.ManagedChannel;
import io.quire.api.context.v1.ContextServiceGrpc;
import io.quire.api.context.v1.Entry;
import io.quire.api.context.v1.WatchRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static io.quire.server.Fixture.req;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants checked: with 100 concurrent clients (each on its own channel) on one shared context
 * and on 100 separate contexts, sequences are 1..N without gap or duplicate, each client's appends
 * keep their order, Lamport values grow with sequence; watchers started before the appends see
 * every entry exactly once, in order.
 */
class ConcurrencyTest {
    static final int CLIENTS = 100; // issue 5: "100 concurrent clients"
    static final int PER_CLIENT = 16; // 1,600 shared appends, as many as 64 x 25 were

    @TempDir Path tmp;
    Fixture f;

    @BeforeEach void start() { f = new Fixture(tmp); }

    @AfterEach void stop() throws Exception { f.close(); }

    @Test
    void shouldKeepSequencesGapFreeUnderConcurrentClientsWithWatchersExactlyOnce() throws Exception {
        int total = CLIENTS * PER_CLIENT;
        List<WatchTest.Collector> watchers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            WatchTest.Collector c = new WatchTest.Collector(false);
            f.ctxAsync().watch(WatchRequest.newBuilder().setContextId("shared").build(), c);
            watchers.add(c);
        }
        CyclicBarrier barrier = new CyclicBarrier(CLIENTS);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Queue<Entry> shared = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            threads.add(Thread.ofVirtual().start(() -> {
                ManagedChannel ch = f.channel();
                try {
                    var stub = ContextServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS);
                    barrier.await();
                    long last = 0;
                    for (int i = 0; i < PER_CLIENT; i++) {
                        Entry e = stub.append(req("shared", "c" + client, client + ":" + i)).getEntry();
                        if (e.getSequence() <= last) throw new AssertionError("client " + client + " went back: " + e.getSequence() + " after " + last);
                        last = e.getSequence();
                        shared.add(e);
                        Entry own = stub.append(req("own-" + client, "k", "x" + i)).getEntry();
                        if (own.getSequence() != i + 1) throw new AssertionError("own context seq " + own.getSequence() + " expected " + (i + 1));
                    }
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    ch.shutdownNow();
                }
            }));
        }
        for (Thread t : threads) t.join(120_000);
        assertThat(failures).isEmpty();
        Set<Long> seqs = new HashSet<>();
        for (Entry e : shared) seqs.add(e.getSequence());
        assertThat(seqs).hasSize(total);
        assertThat(seqs.stream().mapToLong(Long::longValue).max().getAsLong()).isEqualTo(total);
        List<Entry> stored = f.get("shared", "", 0, 0).getEntriesList();
        assertThat(stored).hasSize(total);
        for (int i = 0; i < total; i++) {
            assertThat(stored.get(i).getSequence()).isEqualTo(i + 1);
            if (i > 0) assertThat(stored.get(i).getLamport()).isGreaterThan(stored.get(i - 1).getLamport());
        }
        for (WatchTest.Collector w : watchers) {
            Wait.until(30_000, () -> w.events.size() >= total);
            Wait.holds(200, () -> w.events.size() == total);
            List<Long> got = w.seqs();
            for (int i = 0; i < total; i++) assertThat(got.get(i)).isEqualTo(i + 1);
        }
    }

    @Test
    void shouldReturnOneEntryForConcurrentRetriesOfOneId() throws Exception {
        Queue<Entry> got = new ConcurrentLinkedQueue<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CyclicBarrier barrier = new CyclicBarrier(32);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 32; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    barrier.await();
                    got.add(f.ctx().append(req("c", "k", "same").toBuilder().setId("retry-1").build()).getEntry());
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) t.join(60_000);
        assertThat(failures).isEmpty();
        assertThat(got).hasSize(32).allSatisfy(e -> assertThat(e.getSequence()).isEqualTo(1));
        assertThat(f.get("c", "", 0, 0).getLatestSequence()).isEqualTo(1);
    }
}
