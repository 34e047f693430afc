package io.quire.bench.jmh;

import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SetResult;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.slots.LedgerKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * W8-scan under JMH: one {@code iterSymbol} over a symbol's {@value #MINUTES} minutes (12.8 MB of trade rows, every
 * row's {@code trade_ref} filled) per invocation, cycling through {@code symbols} symbols so the working set
 * ({@code symbols} × 12.8 MB) can be sized past the last-level cache; beside it, a plain sum of longs over an
 * off-heap segment of the same size, read in the same chunks (the memory read bandwidth the W8 target is a ratio
 * of). Both report invocations per second; bytes per second = ops/s × 12.8 MB. Files under
 * {@code java.io.tmpdir} unless {@code -Dquire.bench.dir}.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SlotScanBench {
    static final int MINUTES = 100_000;
    static final long CHUNK_BYTES = (long) MINUTES * LedgerKind.TRADE.rowBytes();

    /** Symbols cycled through: 4 is 51 MB, past a 32 MiB L3. */
    @Param({"4"})
    public int symbols;

    private Path dir;
    private TradeLedger trade;
    private Arena arena;
    private MemorySegment plain;
    private int next;
    private final long[] acc = new long[1];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path base = Path.of(System.getProperty("quire.bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "quire-slotscanbench-");
        trade = TradeLedger.open(dir, 2025, symbols, MINUTES, SlotMatrix.Options.defaults());
        PayloadMeta meta = new PayloadMeta(PayloadType.TRADE, 1, 1, 0, 0);
        for (int s = 0; s < symbols; s++) {
            for (int m = 0; m < MINUTES; m++) {
                SetResult r = trade.setTradeRef(s, m, meta, 0);
                if (!(r instanceof SetResult.Ok)) throw new IllegalStateException("setter refused: " + r);
            }
        }
        arena = Arena.ofShared();
        plain = arena.allocate(symbols * CHUNK_BYTES, 64);
        for (long o = 0; o < plain.byteSize(); o += 8) plain.set(ValueLayout.JAVA_LONG, o, o);
    }

    /** One symbol's year of rows through the public scan, summing trade_ref versions. */
    @Benchmark
    public long iterSymbol() {
        int s = next;
        next = (s + 1) % symbols;
        trade.iterSymbol(s, 0, MINUTES, row -> {
            acc[0] += row.version(SlotKind.TRADE_REF);
            return true;
        });
        return acc[0];
    }

    /** The same number of bytes summed as longs from a plain off-heap segment: the bandwidth bound. */
    @Benchmark
    public long memRead() {
        int s = next;
        next = (s + 1) % symbols;
        long sum = 0;
        long from = s * CHUNK_BYTES, to = from + CHUNK_BYTES;
        for (long o = from; o < to; o += 8) sum += plain.get(ValueLayout.JAVA_LONG, o);
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (trade != null) trade.close();
        if (arena != null) arena.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
