package io.quire.windows.slots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static io.quire.windows.slots.SlotTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyTest {
    static final int THREADS = 8;
    static final int HOT = 3;
    static final int ATTEMPTS_PER_THREAD = 20_000;

    @TempDir Path dir;

    /**
     * Invariants checked: 8 threads race expected-version CAS on 3 hot slots; for every slot and
     * every version exactly one thread's set(expected v → v+1) wins; the final version of each
     * slot equals the number of wins on it; every Ok carries the state it published; the final
     * slot is whole (checksum = f(id, version)).
     */
    @Test
    void shouldHaveExactlyOneWinnerPerExpectedVersion() throws Exception {
        long seed = seed();
        try (TradeLedger l = new TradeLedger(open(dir.resolve("t.slots"), LedgerKind.TRADE, 4, 8))) {
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Map<Long, Integer> winners = new ConcurrentHashMap<>(); // (slot << 32 | version won) -> count
            LongAdder[] wins = {new LongAdder(), new LongAdder(), new LongAdder()};
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                SplittableRandom rnd = new SplittableRandom(seed + t);
                ts.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < ATTEMPTS_PER_THREAD; i++) {
                            int hot = rnd.nextInt(HOT);
                            long v = l.read(SlotKind.QUOTE_REF, 1, hot).version();
                            SetResult r = l.setQuoteRef(1, hot, meta(PayloadType.QUOTE, v + 1, v + 1), v);
                            if (r instanceof SetResult.Ok ok) {
                                wins[hot].increment();
                                winners.merge(((long) hot << 32) | (v + 1), 1, Integer::sum);
                                if (ok.slot().version() != v + 1 || ok.slot().payloadId() != v + 1)
                                    throw new AssertionError("Ok carries " + ok.slot() + " for v=" + v);
                            } else if (r instanceof SetResult.Conflict c) {
                                if (c.reason() != ConflictReason.VERSION_MISMATCH || c.slot().version() <= v)
                                    throw new AssertionError("unexpected conflict " + c + " for expected " + v);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : ts) t.join();
            assertThat(failures).as("seed %d", seed).isEmpty();
            for (int hot = 0; hot < HOT; hot++) {
                SlotView s = l.read(SlotKind.QUOTE_REF, 1, hot);
                assertThat(s.version()).as("slot %d final version = wins (seed %d)", hot, seed).isEqualTo(wins[hot].sum());
                assertThat(s.checksum()).isEqualTo(f(s.payloadId(), s.version()));
                for (long v = 1; v <= s.version(); v++)
                    assertThat(winners.get(((long) hot << 32) | v)).as("winners of slot %d version %d", hot, v).isEqualTo(1);
            }
            assertThat(winners.size()).isEqualTo((int) (wins[0].sum() + wins[1].sum() + wins[2].sum()));
        }
    }

    /**
     * Invariants checked: while 3 writers fill, claim and clear 4 slots as fast as they can, a
     * reader (single slots and whole-row iteration) never sees a torn slot: a Filled slot always
     * has checksum f(id, version) and last_updated_ns g(id, version); Pending/Cleared carry no
     * payload; seq and version never go down between two reads of the same slot.
     */
    @Test
    void shouldNeverShowATornSlotToAConcurrentReader() throws Exception {
        long seed = seed();
        try (TradeLedger l = new TradeLedger(open(dir.resolve("r.slots"), LedgerKind.TRADE, 2, 2))) {
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            AtomicLong writes = new AtomicLong();
            int writers = 3;
            CyclicBarrier start = new CyclicBarrier(writers + 1);
            List<Thread> ts = new ArrayList<>();
            SlotKind[] kinds = {SlotKind.TRADE_REF, SlotKind.QUOTE_REF};
            for (int w = 0; w < writers; w++) {
                SplittableRandom rnd = new SplittableRandom(seed + w);
                ts.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        while (!stop.get()) {
                            SlotKind k = kinds[rnd.nextInt(2)];
                            int min = rnd.nextInt(2);
                            int op = rnd.nextInt(20);
                            if (op == 0) l.clearSlot(k, 0, min, "churn", "test");
                            else if (op == 1) l.markPending(k, 0, min);
                            else {
                                long v = l.read(k, 0, min).version() + 1;
                                long id = rnd.nextLong(1, 1L << 32);
                                l.matrix().fill(k, 0, min, meta(k.accepts(), id, v), Transitions.NO_EXPECTED);
                            }
                            writes.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            Thread reader = Thread.ofPlatform().start(() -> {
                long[] lastSeq = new long[8];
                long[] lastVersion = new long[8];
                try {
                    start.await();
                    while (!stop.get()) {
                        for (SlotKind k : kinds)
                            for (int min = 0; min < 2; min++) {
                                SlotView s = l.read(k, 0, min);
                                int i = k.index() * 2 + min;
                                checkWhole(s);
                                if (s.seq() < lastSeq[i] || s.version() < lastVersion[i])
                                    throw new AssertionError("went back: " + s + " after seq " + lastSeq[i] + " version " + lastVersion[i]);
                                lastSeq[i] = s.seq();
                                lastVersion[i] = s.version();
                                reads.incrementAndGet();
                            }
                        l.iterSymbol(0, 0, 2, row -> {
                            for (SlotKind k : kinds) checkWhole(row.view(k));
                            return true;
                        });
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            ts.add(reader);
            Thread.sleep(1_500);
            stop.set(true);
            for (Thread t : ts) t.join();
            assertThat(failures).as("seed %d", seed).isEmpty();
            assertThat(reads.get()).isGreaterThan(1_000);
            assertThat(writes.get()).isGreaterThan(1_000);
        }
    }

    static void checkWhole(SlotView s) {
        switch (s.status()) {
            case FILLED -> {
                if (s.checksum() != f(s.payloadId(), s.version()) || s.lastUpdatedNs() != g(s.payloadId(), s.version()))
                    throw new AssertionError("torn slot: " + s);
            }
            case PENDING, CLEARED, EMPTY -> {
                if (s.payloadId() != 0 || s.checksum() != 0 || s.payloadType() != PayloadType.NONE) throw new AssertionError("payload on " + s);
            }
        }
    }
}
