package io.quire.windows.symbols;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dense ids, the cap, persistence, torn tails, corruption, validation and concurrent first sight. */
class SymbolMapTest {

    @TempDir Path tmp;

    Path file() { return SymbolMap.fileIn(tmp, 2025); }

    static List<String> names(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "S" + i).toList();
    }

    /** Fills {@code map} with symbols S{from}..S{to-1} in batches of the batch limit. */
    static void fill(SymbolMap map, int from, int to) {
        for (int i = from; i < to; i += SymbolLimits.SYMBOLS_PER_BATCH_MAX) {
            map.resolveAll(names(i, Math.min(to, i + SymbolLimits.SYMBOLS_PER_BATCH_MAX)));
        }
    }

    @Test
    void shouldHandOutDenseIdsFromZeroOnFirstSightAndLookUpBothWays() {
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            assertThat(m.resolve("AAPL")).isZero();
            assertThat(m.resolve("O:SPY251112C00675000")).isEqualTo(1);
            assertThat(m.resolve("AAPL")).isZero();
            assertThat(m.resolve("BRK.B")).isEqualTo(2);
            assertThat(m.size()).isEqualTo(3);
            assertThat(m.idOf("BRK.B")).isEqualTo(OptionalInt.of(2));
            assertThat(m.idOf("MSFT")).isEmpty();
            assertThat(m.size()).isEqualTo(3); // idOf never allocates
            assertThat(m.symbolOf(1)).contains("O:SPY251112C00675000");
            assertThat(m.symbolOf(3)).isEmpty();
            assertThat(m.symbolOf(-1)).isEmpty();
            assertThat(m.symbol(0)).isEqualTo("AAPL");
            assertThatThrownBy(() -> m.symbol(3)).isInstanceOfSatisfying(QuireException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
            assertThat(m.symbols()).containsExactly("AAPL", "O:SPY251112C00675000", "BRK.B");
            assertThat(m.recovery()).isEmpty();
            assertThat(m.year()).isEqualTo(2025);
        }
        // Creation leaves no temp file behind.
        assertThat(file().getParent().toFile().list()).containsExactly("symbols.map");
    }

    @Test
    void shouldKeepEveryIdAcrossReopen() {
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            fill(m, 0, 3000);
        }
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            assertThat(m.size()).isEqualTo(3000);
            assertThat(m.recovery()).isEmpty();
            for (int i = 0; i < 3000; i++) assertThat(m.idOf("S" + i)).hasValue(i);
            assertThat(m.resolve("NEW")).isEqualTo(3000);
        }
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            assertThat(m.symbol(3000)).isEqualTo("NEW");
        }
    }

    @Test
    void shouldGiveOneIdToASymbolRepeatedInABatchAndKnownOnesTheirIds() {
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            m.resolve("A");
            assertThat(m.resolveAll(List.of("B", "A", "B", "C"))).containsExactly(1, 0, 1, 2);
            assertThat(m.resolveAll(List.of())).isEmpty();
        }
    }

    @Test
    void shouldAllocateUpToTheCapAndRefuseOnePastItWritingNothing() throws IOException {
        int max = SymbolLimits.SYMBOLS_PER_YEAR_MAX;
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            fill(m, 0, max - 1);
            assertThat(m.resolve("LAST")).isEqualTo(max - 1); // the max-th symbol
            assertThat(m.size()).isEqualTo(max);
            long bytes = Files.size(file());
            assertThatThrownBy(() -> m.resolve("ONE.MORE")).isInstanceOfSatisfying(QuireException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                assertThat(e.code()).isEqualTo("symbol_cap");
                assertThat(e.getMessage()).contains("10000 per year (SYMBOLS_PER_YEAR_MAX); nothing was written");
            });
            assertThat(Files.size(file())).isEqualTo(bytes);
            assertThat(m.idOf("ONE.MORE")).isEmpty();
            // Known symbols still resolve at the cap.
            assertThat(m.resolve("S7")).isEqualTo(7);
            assertThat(m.resolve("LAST")).isEqualTo(max - 1);
        }
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            assertThat(m.size()).isEqualTo(max);
            assertThatThrownBy(() -> m.resolve("ONE.MORE")).isInstanceOf(QuireException.class);
        }
    }

    @Test
    void shouldRefuseAWholeBatchThatWouldPassTheCap() throws IOException {
        int max = SymbolLimits.SYMBOLS_PER_YEAR_MAX;
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            fill(m, 0, max - 2);
            long bytes = Files.size(file());
            assertThatThrownBy(() -> m.resolveAll(List.of("X1", "S0", "X2", "X3")))
                    .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.code()).isEqualTo("symbol_cap"));
            assertThat(Files.size(file())).isEqualTo(bytes);
            assertThat(m.idOf("X1")).isEmpty();
            assertThat(m.resolveAll(List.of("X1", "S0", "X2"))).containsExactly(max - 2, 0, max - 1);
        }
    }

    @Test
    void shouldEnforceTheBatchLimitAtMaxAndMaxPlusOne() {
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            assertThat(m.resolveAll(names(0, SymbolLimits.SYMBOLS_PER_BATCH_MAX))).hasSize(1024);
            assertThatThrownBy(() -> m.resolveAll(names(0, SymbolLimits.SYMBOLS_PER_BATCH_MAX + 1)))
                    .isInstanceOfSatisfying(QuireException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                        assertThat(e.getMessage()).contains("SYMBOLS_PER_BATCH_MAX");
                    });
        }
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " ", "SP Y", " AAPL", "AAPL\n", "A\tB", "É", "SPY\u007F", "SPY\u0000",
            "12345678901234567890123456789012345678901234567890123456789012345"})
    void shouldRefuseInvalidSymbolsWritingNothing(String bad) throws IOException {
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            long bytes = Files.size(file());
            assertThatThrownBy(() -> m.resolve(bad)).isInstanceOfSatisfying(QuireException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                assertThat(e.code()).isEqualTo("symbol_invalid");
            });
            assertThatThrownBy(() -> m.resolveAll(List.of("GOOD", bad))).isInstanceOf(QuireException.class);
            assertThat(m.idOf("GOOD")).isEmpty();
            assertThat(Files.size(file())).isEqualTo(bytes);
        }
        assertThatThrownBy(() -> SymbolMap.validate(null)).isInstanceOf(QuireException.class);
    }

    @Test
    void shouldAcceptSymbolsAtTheByteLimit() {
        String max = "O:" + "X".repeat(SymbolLimits.SYMBOL_BYTES_MAX - 2);
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            assertThat(m.resolve(max)).isZero();
            assertThat(m.resolve("!~")).isEqualTo(1); // the printable ASCII range is inclusive
        }
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            assertThat(m.symbol(0)).isEqualTo(max).hasSize(64);
        }
    }

    /**
     * Invariants checked: cutting the file at every byte inside its last record (an append torn
     * by a crash) reopens with every earlier symbol, reports and truncates the torn bytes, and the
     * next symbol gets the torn one's id.
     */
    @Test
    void shouldTruncateATornTailAtEveryCutPoint() throws IOException {
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            m.resolveAll(List.of("AAPL", "MSFT", "O:SPY251112C00675000"));
        }
        byte[] full = Files.readAllBytes(file());
        int lastStart = full.length - SymbolMapLayout.recordBytes("O:SPY251112C00675000");
        for (int cut = lastStart + 1; cut < full.length; cut++) {
            Files.write(file(), java.util.Arrays.copyOf(full, cut));
            try (SymbolMap m = SymbolMap.open(file(), 2025)) {
                assertThat(m.symbols()).as("cut at %d", cut).containsExactly("AAPL", "MSFT");
                assertThat(m.recovery()).hasValue(new SymbolMap.Recovery(lastStart, cut - lastStart));
                assertThat(Files.size(file())).isEqualTo(lastStart);
                assertThat(m.resolve("NVDA")).isEqualTo(2);
            }
            try (SymbolMap m = SymbolMap.open(file(), 2025)) {
                assertThat(m.symbols()).containsExactly("AAPL", "MSFT", "NVDA");
                assertThat(m.recovery()).isEmpty();
            }
        }
    }

    @Test
    void shouldTreatZerosOrGarbageAfterTheLastRecordAsATornTail() throws IOException {
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            m.resolve("AAPL");
        }
        long good = Files.size(file());
        // A crash that extended the file but never wrote the data: the largest write, zero-filled.
        appendBytes(new byte[SymbolMapLayout.WRITE_BYTES_MAX]);
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            assertThat(m.symbols()).containsExactly("AAPL");
            assertThat(m.recovery()).hasValue(new SymbolMap.Recovery(good, SymbolMapLayout.WRITE_BYTES_MAX));
        }
        // A complete last record whose CRC does not match.
        appendRecord(1, "MSFT", true);
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            assertThat(m.symbols()).containsExactly("AAPL");
            assertThat(m.recovery()).isPresent();
        }
    }

    @Test
    void shouldRefuseToOpenWhenMoreThanOneWriteFollowsABadRecord() throws IOException {
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            m.resolve("AAPL");
        }
        long good = Files.size(file());
        appendBytes(new byte[SymbolMapLayout.WRITE_BYTES_MAX + 1]);
        byte[] before = Files.readAllBytes(file());
        assertThatThrownBy(() -> SymbolMap.open(file(), 2025)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.where().offset()).isEqualTo(good);
            assertThat(e.where().file()).isEqualTo(file().toString());
            assertThat(e.getMessage()).contains("corrupt record for symbol_id 1").contains("not a torn tail");
        });
        assertThat(Files.readAllBytes(file())).isEqualTo(before); // nothing changed
    }

    /**
     * Invariants checked: flipping any single bit of the header, or of the first record of a map
     * with more than one write of records after it, refuses to open with INTEGRITY naming the
     * offset, and changes nothing on disk.
     */
    @Test
    void shouldRefuseEveryBitFlipInTheHeaderAndInAnEarlyRecord() throws IOException {
        String longName = "X".repeat(SymbolLimits.SYMBOL_BYTES_MAX - 5);
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            m.resolve("AAPL");
            int batch = SymbolLimits.SYMBOLS_PER_BATCH_MAX;
            for (int i = 0; i < 2; i++) m.resolveAll(names(i * batch, (i + 1) * batch).stream().map(s -> longName + s).toList());
        }
        byte[] good = Files.readAllBytes(file());
        int recordEnd = SymbolMapLayout.HEADER_BYTES + SymbolMapLayout.recordBytes("AAPL");
        assertThat(good.length - SymbolMapLayout.HEADER_BYTES).isGreaterThan(SymbolMapLayout.WRITE_BYTES_MAX);
        for (int bit = 0; bit < recordEnd * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(file(), bad);
            int b = bit;
            assertThatThrownBy(() -> SymbolMap.open(file(), 2025)).as("bit %d", bit).isInstanceOfSatisfying(QuireException.class, e -> {
                assertThat(e.kind()).as("bit %d: %s", b, e.getMessage()).isEqualTo(ErrorKind.INTEGRITY);
                assertThat(e.where().offset()).isBetween(0L, (long) recordEnd);
            });
            assertThat(Files.readAllBytes(file())).isEqualTo(bad);
        }
    }

    @Test
    void shouldRefuseRecordsQuireNeverWrites() throws IOException {
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            m.resolve("AAPL");
        }
        byte[] good = Files.readAllBytes(file());
        appendRecord(5, "MSFT", false);
        assertIntegrity("record holds symbol_id 5 where 1 was expected");
        Files.write(file(), good);
        appendRecord(1, "AAPL", false);
        assertIntegrity("symbol 'AAPL' appears as symbol_id 0 and 1");
        Files.write(file(), good);
        appendRecord(1, "MS FT", false);
        assertIntegrity("symbol_id 1 holds an invalid symbol");
        Files.write(file(), java.util.Arrays.copyOf(good, 10));
        assertIntegrity("shorter than its 16-byte header");
    }

    @Test
    void shouldRefuseAMapOfAnotherYearAndASecondOpener() {
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            m.resolve("AAPL");
            assertThatThrownBy(() -> SymbolMap.open(file(), 2025)).isInstanceOfSatisfying(QuireException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                assertThat(e.getMessage()).contains("is open elsewhere");
            });
        }
        assertThatThrownBy(() -> SymbolMap.open(file(), 2026)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).contains("is for year 2025, not 2026");
        });
        assertThatThrownBy(() -> SymbolMap.fileIn(tmp, 1999)).isInstanceOf(QuireException.class);
        assertThatThrownBy(() -> SymbolMap.open(tmp.resolve("x.map"), 2101)).isInstanceOf(QuireException.class);
        assertThat(Files.exists(tmp.resolve("x.map"))).isFalse();
        // Closing twice is fine; lookups keep working after close, allocation does not.
        SymbolMap m = SymbolMap.open(file(), 2025);
        m.close();
        m.close();
        assertThat(m.idOf("AAPL")).hasValue(0);
        assertThatThrownBy(() -> m.resolve("NEW")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldDecodeAndReencodeTheGoldenFileByteForByte() throws IOException {
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/symbols-v1-2025.map")) {
            golden = in.readAllBytes();
        }
        Files.createDirectories(file().getParent());
        Files.write(file(), golden);
        List<String> expected = List.of("AAPL", "BRK.B", "O:SPY251112C00675000");
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            assertThat(m.symbols()).isEqualTo(expected);
            assertThat(m.recovery()).isEmpty();
        }
        ByteBuffer b = ByteBuffer.allocate(golden.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SymbolMapLayout.encodeHeader(2025));
        for (int i = 0; i < expected.size(); i++) SymbolMapLayout.encodeRecord(b, i, expected.get(i));
        assertThat(b.array()).isEqualTo(golden);
        // A fresh map written by Quire is the same bytes.
        Path fresh = tmp.resolve("fresh/symbols.map");
        try (SymbolMap m = SymbolMap.open(fresh, 2025)) {
            m.resolveAll(expected);
        }
        assertThat(Files.readAllBytes(fresh)).isEqualTo(golden);
    }

    /**
     * Invariants checked: 8 threads racing to resolve overlapping symbols (behind a barrier)
     * all get the same id for the same symbol, ids are dense 0..n-1 with no gaps, and the file
     * reopens to the same map. Seed: -Dquire.test.seed (printed on failure).
     */
    @Test
    void shouldAgreeOnOneIdPerSymbolUnderConcurrentFirstSight() throws Exception {
        long seed = Long.getLong("quire.test.seed", System.nanoTime());
        int threads = 8;
        int distinct = 120;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random r = new Random(seed + t);
                ts.add(Thread.ofPlatform().start(() -> {
                    try {
                        List<String> mine = new ArrayList<>(names(0, distinct));
                        Collections.shuffle(mine, r);
                        barrier.await();
                        for (String s : mine) {
                            int id = r.nextBoolean() ? m.resolve(s) : m.resolveAll(List.of(s, "S0"))[0];
                            Integer prev = seen.putIfAbsent(s, id);
                            if (prev != null && prev != id) throw new AssertionError(s + " got " + prev + " and " + id);
                            if (!m.symbol(id).equals(s)) throw new AssertionError("inverse of " + id + " is not " + s);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : ts) t.join();
            assertThat(failures).as("seed %d", seed).isEmpty();
            assertThat(m.size()).isEqualTo(distinct);
            assertThat(new java.util.TreeSet<>(seen.values())).containsExactlyElementsOf(IntStream.range(0, distinct).boxed().toList());
        }
        try (SymbolMap m = SymbolMap.open(file(), 2025)) {
            seen.forEach((s, id) -> assertThat(m.idOf(s)).as("seed %d", seed).hasValue(id));
        }
    }

    private void assertIntegrity(String message) {
        assertThatThrownBy(() -> SymbolMap.open(file(), 2025)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private void appendBytes(byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(bytes));
        }
    }

    private void appendRecord(int id, String symbol, boolean badCrc) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SymbolMapLayout.recordBytes(symbol)).order(ByteOrder.LITTLE_ENDIAN);
        SymbolMapLayout.encodeRecord(b, id, symbol);
        byte[] a = b.array();
        if (badCrc) a[a.length - 1] ^= 1;
        appendBytes(a);
    }
}
