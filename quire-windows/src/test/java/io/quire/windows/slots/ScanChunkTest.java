package io.quire.windows.slots;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.quire.windows.slots.SlotTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * iterSymbol reads {@link SlotMatrix#SCAN_CHUNK_ROWS} rows per bulk seqlock pass. These tests put
 * chunk edges, partial chunks, moving slots and damaged slots where the bulk pass must hand over
 * to the per-slot read, and hold the scan to what point reads say.
 */
class ScanChunkTest {
    static final int CH = SlotMatrix.SCAN_CHUNK_ROWS;
    static final int MINUTES = 3 * CH + 5;
    static final int SYMBOLS = 3;

    @TempDir Path dir;

    /** A write hook that, once armed, parks the writer in the middle of its write until released. */
    static final class HeldWrite implements Runnable {
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch inWrite = new CountDownLatch(1), release = new CountDownLatch(1);

        @Override
        public void run() {
            if (!armed.get()) return;
            inWrite.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitInWrite() throws InterruptedException {
            assertThat(inWrite.await(10, TimeUnit.SECONDS)).as("writer reached the middle of its write").isTrue();
        }
    }

    /** Every status, both ledgers, ranges starting and ending inside chunks: rows equal point reads, seq included. */
    @Test
    void shouldScanAcrossChunksExactlyAsPointReadsSee() {
        long seed = seed();
        Random rnd = new Random(seed);
        for (LedgerKind kind : LedgerKind.values()) {
            try (SlotMatrix m = open(dir.resolve(kind.fileName() + ".slots"), kind, SYMBOLS, MINUTES)) {
                for (int s = 0; s < SYMBOLS - 1; s++) // the last symbol stays unreserved
                    for (int min = 0; min < MINUTES; min++)
                        for (SlotKind k : SlotKind.of(kind)) {
                            int op = rnd.nextInt(4);
                            long id = rnd.nextLong(1, 1L << 32);
                            if (op >= 1) m.fill(k, s, min, meta(k.accepts(), id, rnd.nextInt(1, 1000)), Transitions.NO_EXPECTED);
                            if (op == 2) m.markPending(k, s, min);
                            if (op == 3) m.clear(k, s, min, "test", "test");
                        }
                int[][] ranges = {{0, MINUTES}, {CH - 1, CH + 1}, {7, MINUTES - 3}, {CH, 2 * CH}, {MINUTES - 1, MINUTES}, {3, 3}};
                for (int s = 0; s < SYMBOLS; s++)
                    for (int[] r : ranges) {
                        List<String> problems = new ArrayList<>();
                        int sym = s;
                        int[] next = {r[0]};
                        long n = m.iterSymbol(s, r[0], r[1], row -> {
                            if (row.symbolId() != sym || row.minuteIdx() != next[0]) problems.add("row " + row.symbolId() + "/" + row.minuteIdx() + " where " + sym + "/" + next[0] + " was due");
                            for (SlotKind k : SlotKind.of(kind)) {
                                SlotView scanned = row.view(k), point = m.read(k, sym, row.minuteIdx());
                                if (!scanned.equals(point)) problems.add("scan " + scanned + " != read " + point);
                            }
                            next[0]++;
                            return true;
                        });
                        assertThat(problems).as("seed %d, %s symbol %d range %d..%d", seed, kind, s, r[0], r[1]).isEmpty();
                        assertThat(n).isEqualTo(r[1] - r[0]);
                    }
            }
        }
    }

    /** A slot caught mid-write by the bulk pass is read again alone: the scan waits for the write and returns its result. */
    @Test
    void shouldWaitOutASlotThatIsBeingWrittenWhenTheChunkIsRead() throws Exception {
        HeldWrite held = new HeldWrite();
        int minute = CH + 3; // in the second chunk
        try (SlotMatrix m = SlotMatrix.open(dir.resolve("t.slots"), LedgerKind.TRADE, YEAR, SYMBOLS, MINUTES, SlotMatrix.Options.defaults(), held)) {
            for (int min = 0; min < MINUTES; min++) m.fill(SlotKind.TRADE_REF, 0, min, meta(PayloadType.TRADE, 100 + min, 1), Transitions.NO_EXPECTED);
            held.armed.set(true);
            Thread writer = Thread.ofPlatform().start(() -> m.fill(SlotKind.TRADE_REF, 0, minute, meta(PayloadType.TRADE, 999, 2), 1));
            held.awaitInWrite();
            Queue<SlotView> seen = new ConcurrentLinkedQueue<>();
            Thread scanner = Thread.ofPlatform().start(() -> m.iterSymbol(0, 0, MINUTES, row -> {
                if (row.minuteIdx() == minute) seen.add(row.view(SlotKind.TRADE_REF));
                return true;
            }));
            Thread.sleep(200); // the scanner is now spinning on the busy slot (or about to)
            assertThat(seen).as("no row handed out while its slot is half-written").isEmpty();
            held.release.countDown();
            writer.join(10_000);
            scanner.join(10_000);
            assertThat(seen).singleElement().satisfies(v -> {
                assertThat(v.payloadId()).isEqualTo(999);
                assertThat(v.version()).isEqualTo(2);
                ConcurrencyTest.checkWhole(v);
            });
        }
    }

    /**
     * A write that starts after the chunk's words were read and is still half done when its fields
     * are copied: the words read after the fields differ, so the slot is read again alone once the
     * write is published. Without that second look the scan would hand out the half-written fields.
     */
    @Test
    void shouldReadAgainASlotWrittenBetweenTheWordsAndTheFields() throws Exception {
        HeldWrite held = new HeldWrite();
        int minute = 2 * CH + 1;
        try (SlotMatrix m = SlotMatrix.open(dir.resolve("t.slots"), LedgerKind.TRADE, YEAR, SYMBOLS, MINUTES, SlotMatrix.Options.defaults(), held)) {
            for (int min = 0; min < MINUTES; min++) m.fill(SlotKind.AGGRESSOR_REF, 0, min, meta(PayloadType.AGGRESSOR, 100 + min, 1), Transitions.NO_EXPECTED);
            AtomicBoolean fired = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            m.midScanHook(() -> {
                if (fired.getAndSet(true)) return;
                held.armed.set(true);
                threads.add(Thread.ofPlatform().start(() -> m.fill(SlotKind.AGGRESSOR_REF, 0, minute, meta(PayloadType.AGGRESSOR, 4242, 2), 1)));
                try {
                    held.awaitInWrite();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ignored) {
                        // released early
                    }
                    held.release.countDown();
                }));
            });
            List<SlotView> seen = new ArrayList<>();
            m.iterSymbol(0, 2 * CH, MINUTES, row -> { // the hook fires on the chunk holding `minute`
                if (row.minuteIdx() == minute) seen.add(row.view(SlotKind.AGGRESSOR_REF));
                return true;
            });
            for (Thread t : threads) t.join(10_000);
            assertThat(fired).isTrue();
            assertThat(seen).singleElement().satisfies(v -> {
                assertThat(v.payloadId()).isEqualTo(4242);
                assertThat(v.version()).isEqualTo(2);
                ConcurrencyTest.checkWhole(v);
            });
        }
    }

    /** Writers churning slots in every chunk while a scanner runs: every slot whole, seq and version never go back. */
    @Test
    void shouldNeverHandOutATornOrOlderSlotWhileWritersChurn() throws Exception {
        long seed = seed();
        try (SlotMatrix m = open(dir.resolve("t.slots"), LedgerKind.TRADE, SYMBOLS, MINUTES)) {
            AtomicBoolean stop = new AtomicBoolean();
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            SlotKind[] kinds = SlotKind.of(LedgerKind.TRADE);
            Thread writer = Thread.ofPlatform().start(() -> {
                Random rnd = new Random(seed);
                try {
                    while (!stop.get()) {
                        SlotKind k = kinds[rnd.nextInt(kinds.length)];
                        int min = rnd.nextInt(MINUTES);
                        long v = m.read(k, 0, min).version() + 1;
                        m.fill(k, 0, min, meta(k.accepts(), rnd.nextLong(1, 1L << 32), v), Transitions.NO_EXPECTED);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            long[][] lastSeq = new long[MINUTES][kinds.length], lastVersion = new long[MINUTES][kinds.length];
            long scans = 0;
            long end = System.nanoTime() + 1_500_000_000L;
            try {
                while (System.nanoTime() < end || scans < 20) {
                    m.iterSymbol(0, 0, MINUTES, row -> {
                        for (SlotKind k : kinds) {
                            SlotView v = row.view(k);
                            ConcurrencyTest.checkWhole(v);
                            int i = k.index(), min = row.minuteIdx();
                            if (v.seq() < lastSeq[min][i] || v.version() < lastVersion[min][i])
                                throw new AssertionError("went back: " + v + " after seq " + lastSeq[min][i] + " version " + lastVersion[min][i]);
                            lastSeq[min][i] = v.seq();
                            lastVersion[min][i] = v.version();
                        }
                        return true;
                    });
                    scans++;
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(failures).as("seed %d", seed).isEmpty();
            long moved = 0;
            for (long[] row : lastSeq) for (long s : row) moved += s > 2 ? 1 : 0;
            assertThat(moved).as("seed %d: the writer changed slots in every chunk under the scanner", seed).isGreaterThan(MINUTES);
        }
    }

    /** A flipped bit in a later chunk stops the scan there with INTEGRITY naming the slot's offset; earlier rows were visited. */
    @Test
    void shouldStopAtADamagedSlotInAnyChunk() throws Exception {
        Path f = dir.resolve("t.slots");
        int minute = 2 * CH + 3;
        try (SlotMatrix m = open(f, LedgerKind.TRADE, SYMBOLS, MINUTES);
             FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int min = 0; min < MINUTES; min++) m.fill(SlotKind.QUOTE_REF, 1, min, meta(PayloadType.QUOTE, 7 + min, 1), Transitions.NO_EXPECTED);
            long off = SlotLayout.HEADER_BYTES + (long) MINUTES * LedgerKind.TRADE.rowBytes() + (long) minute * LedgerKind.TRADE.rowBytes()
                    + (long) SlotKind.QUOTE_REF.index() * SlotLayout.SLOT_BYTES;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, off + 20);
            b.put(0, (byte) (b.get(0) ^ 0x10));
            ch.write(b.clear(), off + 20);
            int[] visited = {0};
            assertThatThrownBy(() -> m.iterSymbol(1, 0, MINUTES, row -> {
                visited[0]++;
                return true;
            })).isInstanceOfSatisfying(QuireException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                assertThat(e.where().offset()).isEqualTo(off);
                assertThat(e.getMessage()).contains("quote_ref").contains("minute " + minute);
            });
            assertThat(visited[0]).as("rows of the chunks before the damaged one").isEqualTo(2 * CH);
        }
    }
}
