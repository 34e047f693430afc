package io.quire.core.watch;

import io.quire.core.Draft;
import io.quire.core.Durability;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.QuireException;
import io.quire.core.model.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.quire.core.model.TestSupport.assertSameEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Watches through the public API: gapless delivery under concurrent appends, every way a watch
 * ends, the per-stream watcher limit, and isolation of a slow listener. Waits are bounded
 * liveness guards ({@link #LIVENESS_MS}); nothing asserts how long anything takes.
 */
class WatchTest {
    static final long LIVENESS_MS = 30_000;
    static final String[] KEYS = {"", "a", "b"};

    @TempDir Path dir;

    private Ledger open(LedgerOptions o) {
        Ledger.init(dir);
        return Ledger.open(dir, o);
    }

    private static LedgerOptions fast() { return LedgerOptions.defaults().withDurability(Durability.NONE); }

    /** Records deliveries and the end. */
    static class Recorder implements WatchListener {
        final String stream;
        final long after;
        final String filter;
        final List<Entry> got = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<WatchEnd> end = new CompletableFuture<>();
        volatile int ends;
        Watch watch;

        Recorder(String stream, long after, String filter) {
            this.stream = stream;
            this.after = after;
            this.filter = filter;
        }

        @Override public void onEntry(Entry e) throws Exception { got.add(e); }

        @Override public void onEnd(WatchEnd e) {
            ends++;
            end.complete(e);
        }

        List<Entry> received() {
            synchronized (got) { return new ArrayList<>(got); }
        }

        Recorder start(Ledger l) {
            watch = l.watch(stream, after, filter, this);
            return this;
        }

        void awaitCount(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIVENESS_MS);
            while (got.size() < n && !end.isDone() && System.nanoTime() < deadline) Thread.sleep(2);
        }

        WatchEnd awaitEnd() throws Exception {
            try {
                return end.get(LIVENESS_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("watch of " + stream + " after " + after + " did not end");
            }
        }

        long lastSeqOr(long dflt) {
            List<Entry> r = received();
            return r.isEmpty() ? dflt : r.getLast().seq();
        }
    }

    private static List<Entry> matching(List<Entry> all, long after, String filter) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : all) {
            if (e.seq() <= after) continue;
            if (filter != null && !filter.isEmpty() && !filter.equals(e.key())) continue;
            out.add(e);
        }
        return out;
    }

    // Invariants checked: with 8 threads appending to two streams and 32 watchers started before
    // and during the appends (from 0, from the middle, beyond the head, with and without a key
    // filter, on a stream not yet written), every watcher receives exactly the stream's entries
    // with seq > its start whose key matches, each once, in seq order, and close() ends it with
    // CANCELLED and lastSeq = the last seq it received (its start when none). Seeded: which
    // watcher starts where and which keys appends use.
    @Test
    void shouldDeliverEveryMatchingEntryExactlyOnceInOrderUnderConcurrentAppends() {
        TestSupport.withSeed(TestSupport.seed(), seed -> {
            Random rnd = new Random(seed);
            try (Ledger l = open(fast())) {
                String s = "ctx/watched";
                String fresh = "ctx/fresh";
                for (int i = 0; i < 100; i++) l.append(s, Draft.of("pre " + i).withKey(KEYS[rnd.nextInt(3)]));
                List<Recorder> ws = new ArrayList<>();
                for (int i = 0; i < 20; i++) ws.add(randomWatcher(rnd, i, s, fresh, 100).start(l));

                int threads = 8;
                int perThread = 120;
                CyclicBarrier barrier = new CyclicBarrier(threads + 1);
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                List<Thread> ts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long tseed = seed * 31 + t;
                    ts.add(Thread.ofPlatform().start(() -> {
                        Random r = new Random(tseed);
                        try {
                            barrier.await();
                            for (int i = 0; i < perThread; i++) {
                                String target = r.nextInt(4) == 0 ? fresh : s;
                                if (r.nextInt(5) == 0) {
                                    l.appendBatch(target, List.of(Draft.of("b1").withKey(KEYS[r.nextInt(3)]), Draft.of("b2").withKey(KEYS[r.nextInt(3)])));
                                } else {
                                    l.append(target, Draft.of("t" + i).withKey(KEYS[r.nextInt(3)]));
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                barrier.await();
                // 12 more watchers start while the appends run, from wherever the head is then.
                for (int i = 20; i < 32; i++) {
                    long head = l.stream(s).map(x -> x.lastSeq()).orElse(0L);
                    ws.add(randomWatcher(rnd, i, s, fresh, head).start(l));
                    Thread.sleep(1);
                }
                for (Thread t : ts) t.join();
                assertThat(failures).isEmpty();

                List<Entry> all = l.read(s, 0, 0, null);
                List<Entry> allFresh = l.read(fresh, 0, 0, null);
                assertThat(all.size() + allFresh.size()).isEqualTo(l.size());
                for (Recorder w : ws) {
                    List<Entry> expected = matching(w.stream.equals(s) ? all : allFresh, w.after, w.filter);
                    w.awaitCount(expected.size());
                    assertSameEntries(expected, w.received(), true, "watcher of " + w.stream + " after " + w.after + " key " + w.filter);
                }
                for (Recorder w : ws) {
                    w.watch.close();
                    w.watch.close(); // idempotent
                    WatchEnd end = w.awaitEnd();
                    assertThat(end.reason()).isEqualTo(WatchEnd.Reason.CANCELLED);
                    assertThat(end.lastSeq()).isEqualTo(w.lastSeqOr(w.after));
                    assertThat(w.watch.lastDeliveredSeq()).isEqualTo(end.lastSeq());
                    assertThat(w.ends).isEqualTo(1);
                }
                // Closed watchers get nothing more.
                int before = ws.stream().mapToInt(w -> w.got.size()).sum();
                l.append(s, Draft.of("after close"));
                assertThat(ws.stream().mapToInt(w -> w.got.size()).sum()).isEqualTo(before);
            }
        });
    }

    private static Recorder randomWatcher(Random rnd, int i, String s, String fresh, long head) {
        String filter = i % 4 == 0 ? KEYS[1 + rnd.nextInt(2)] : (i % 4 == 1 ? "" : null);
        if (i % 8 == 7) return new Recorder(fresh, 0, filter); // a stream not yet written (at first)
        long after = switch (i % 3) {
            case 0 -> 0;
            case 1 -> head == 0 ? 0 : rnd.nextLong(head + 1); // the middle
            default -> head + 1 + rnd.nextInt(200);            // beyond the head
        };
        return new Recorder(s, after, filter);
    }

    // Invariants checked: a listener that throws ends its watch with FAILED carrying the thrown
    // exception and lastSeq = the last entry it accepted; other watchers are unaffected; the slot
    // is freed.
    @Test
    void shouldEndWithFailedWhenTheListenerThrows() throws Exception {
        try (Ledger l = open(fast().withWatchersPerStream(2))) {
            for (int i = 0; i < 10; i++) l.append("s", Draft.of("e" + i));
            IllegalStateException boom = new IllegalStateException("listener broke");
            Recorder bad = new Recorder("s", 2, null) {
                @Override public void onEntry(Entry e) throws Exception {
                    if (e.seq() == 6) throw boom;
                    super.onEntry(e);
                }
            }.start(l);
            Recorder good = new Recorder("s", 0, null).start(l);
            WatchEnd end = bad.awaitEnd();
            assertThat(end.reason()).isEqualTo(WatchEnd.Reason.FAILED);
            assertThat(end.error()).isSameAs(boom);
            assertThat(end.lastSeq()).isEqualTo(5);
            assertThat(bad.received()).extracting(Entry::seq).containsExactly(3L, 4L, 5L);
            // The slot of the failed watch is free again: a second watcher fits under the limit of 2.
            Recorder again = new Recorder("s", 5, null).start(l);
            l.append("s", Draft.of("e10"));
            good.awaitCount(11);
            again.awaitCount(6);
            assertThat(good.received()).extracting(Entry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            assertThat(again.received()).extracting(Entry::seq).containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
        }
    }

    // Invariants checked: closing the ledger ends every watch (caught up, still in backlog, or
    // idle on a stream never written) with LEDGER_CLOSED and lastSeq = the last entry delivered;
    // onEnd is called once.
    @Test
    void shouldEndWithLedgerClosedWhenTheLedgerCloses() throws Exception {
        Ledger l = open(fast());
        Recorder caughtUp;
        Recorder idle;
        Recorder blocked;
        CountDownLatch inside = new CountDownLatch(1);
        try {
            for (int i = 0; i < 5; i++) l.append("s", Draft.of("e" + i).withKey(i % 2 == 0 ? "a" : "b"));
            caughtUp = new Recorder("s", 1, "a").start(l);
            idle = new Recorder("never/written", 0, null).start(l);
            blocked = new Recorder("s", 0, null) {
                @Override public void onEntry(Entry e) throws Exception {
                    super.onEntry(e);
                    if (e.seq() == 2) { inside.countDown(); Thread.sleep(200); }
                }
            }.start(l);
            caughtUp.awaitCount(2);
            assertThat(inside.await(LIVENESS_MS, TimeUnit.MILLISECONDS)).isTrue();
        } finally {
            l.close();
        }
        WatchEnd e1 = caughtUp.awaitEnd();
        assertThat(e1.reason()).isEqualTo(WatchEnd.Reason.LEDGER_CLOSED);
        assertThat(e1.lastSeq()).isEqualTo(5);
        assertThat(caughtUp.received()).extracting(Entry::seq).containsExactly(3L, 5L);
        WatchEnd e2 = idle.awaitEnd();
        assertThat(e2).isEqualTo(new WatchEnd(WatchEnd.Reason.LEDGER_CLOSED, 0, null));
        WatchEnd e3 = blocked.awaitEnd();
        assertThat(e3.reason()).isEqualTo(WatchEnd.Reason.LEDGER_CLOSED);
        assertThat(e3.lastSeq()).isEqualTo(blocked.lastSeqOr(0)).isGreaterThanOrEqualTo(2);
        for (Recorder r : List.of(caughtUp, idle, blocked)) assertThat(r.ends).isEqualTo(1);
        // A closed ledger refuses new watches.
        try {
            l.watch("s", 0, null, new Recorder("s", 0, null));
            fail("watch on a closed ledger");
        } catch (QuireException q) {
            assertThat(q.kind()).isEqualTo(ErrorKind.IO);
        }
    }

    // Invariants checked: with watchersPerStream = n, n watches of one stream start and the
    // (n+1)th is refused with CONFLICT "too_many_watchers" naming the limit; the limit is per
    // stream; closing one frees exactly one slot; limit 0 is refused as an option.
    @Test
    void shouldRefuseWatchersOverThePerStreamLimitAndFreeASlotOnClose() throws Exception {
        int n = 5;
        try (Ledger l = open(fast().withWatchersPerStream(n))) {
            l.append("s", Draft.of("x"));
            List<Recorder> ws = new ArrayList<>();
            for (int i = 0; i < n; i++) ws.add(new Recorder("s", 0, null).start(l));
            QuireException q = TestSupport.expectQuire(ErrorKind.CONFLICT, () -> l.watch("s", 0, null, new Recorder("s", 0, null)));
            assertThat(q.code()).isEqualTo("too_many_watchers");
            assertThat(q.getMessage()).contains("WATCHERS_PER_STREAM").contains(String.valueOf(n));
            // Refusals do not leak slots.
            TestSupport.expectQuire(ErrorKind.CONFLICT, () -> l.watch("s", 0, null, new Recorder("s", 0, null)));
            // Another stream, even one never written, has its own n slots.
            List<Recorder> others = new ArrayList<>();
            for (int i = 0; i < n; i++) others.add(new Recorder("other", 0, null).start(l));
            TestSupport.expectQuire(ErrorKind.CONFLICT, () -> l.watch("other", 0, null, new Recorder("other", 0, null)));

            ws.getFirst().watch.close();
            assertThat(ws.getFirst().awaitEnd().reason()).isEqualTo(WatchEnd.Reason.CANCELLED);
            Recorder replacement = new Recorder("s", 0, null).start(l);
            TestSupport.expectQuire(ErrorKind.CONFLICT, () -> l.watch("s", 0, null, new Recorder("s", 0, null)));
            replacement.awaitCount(1);
            assertThat(replacement.received()).extracting(Entry::seq).containsExactly(1L);
            for (Recorder r : ws.subList(1, n)) assertThat(r.received()).hasSize(1);
        }
        TestSupport.expectQuire(ErrorKind.INVALID_INPUT, () -> LedgerOptions.defaults().withWatchersPerStream(0));
    }

    // Invariants checked: a listener blocked inside onEntry does not stall appends or other
    // watchers — every append returns and every other watcher receives everything while it is
    // still blocked (a happens-before fact, not a timing one) — and once released (and then
    // sleeping a little per entry) it receives every entry exactly once, in order.
    @Test
    void shouldNotLetASlowListenerStallAppendsOrOtherWatchers() throws Exception {
        try (Ledger l = open(fast())) {
            CountDownLatch gate = new CountDownLatch(1);
            Recorder slow = new Recorder("s", 0, null) {
                @Override public void onEntry(Entry e) throws Exception {
                    if (e.seq() == 1) gate.await();
                    else if (e.seq() % 50 == 0) Thread.sleep(5);
                    super.onEntry(e);
                }
            }.start(l);
            Recorder fast = new Recorder("s", 0, null).start(l);
            int total = 2000;
            List<Draft> batch = new ArrayList<>();
            for (int i = 0; i < total / 2; i++) batch.add(Draft.of("b" + i));
            l.appendBatch("s", batch);
            for (int i = total / 2; i < total; i++) l.append("s", Draft.of("a" + i));
            fast.awaitCount(total);
            assertThat(fast.received()).hasSize(total);
            assertThat(gate.getCount()).as("the slow listener is still blocked").isEqualTo(1);
            assertThat(slow.received()).isEmpty();
            gate.countDown();
            slow.awaitCount(total);
            List<Entry> all = l.read("s", 0, 0, null);
            assertSameEntries(all, slow.received(), true, "slow watcher");
            assertSameEntries(all, fast.received(), true, "fast watcher");
        }
    }

    // Invariants checked: a watch of a stream that does not exist yet receives its first entries
    // (from an append, a batch and a snapshot load), and the stream still reads as absent until then.
    @Test
    void shouldDeliverTheFirstEntriesOfAStreamNotYetWritten() throws Exception {
        try (Ledger l = open(fast())) {
            Recorder w = new Recorder("ctx/new", 0, null).start(l);
            Recorder loaded = new Recorder("ctx/loaded", 0, null).start(l);
            assertThat(l.stream("ctx/new")).isEmpty();
            assertThat(l.streams()).isEmpty();
            Entry first = l.append("ctx/new", Draft.of("first"));
            List<Entry> more = l.appendBatch("ctx/new", List.of(Draft.of("second"), Draft.of("third")));
            w.awaitCount(3);
            assertSameEntries(List.of(first, more.get(0), more.get(1)), w.received(), true, "first entries");
            java.io.ByteArrayOutputStream snap = new java.io.ByteArrayOutputStream();
            l.snapshot("ctx/new", snap);
            l.load("ctx/loaded", new java.io.ByteArrayInputStream(snap.toByteArray()), true);
            loaded.awaitCount(3);
            assertSameEntries(l.read("ctx/loaded", 0, 0, null), loaded.received(), true, "loaded entries");
        }
    }
}
