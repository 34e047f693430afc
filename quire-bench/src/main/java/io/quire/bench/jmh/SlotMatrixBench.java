package io.quire.bench.jmh;

import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SetResult;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.slots.TradeRow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * W8's micro figures under JMH, to cross-check the harness's batch timers: one {@code setTradeRef} with an
 * expected version, and one {@code getTradeRow}, on a trade ledger of 1 symbol × {@value #MINUTES} minutes (one
 * symbol's rows, 12.8 MB, reserved in setup). The setter walks the minutes in layout order; every slot moves from
 * version v to v+1 per pass. Files under {@code java.io.tmpdir} unless {@code -Dquire.bench.dir}.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SlotMatrixBench {
    static final int MINUTES = 100_000;
    private Path dir;
    private TradeLedger trade;
    private PayloadMeta[] metas;
    private int minute;
    private long pass;
    private int readAt;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path base = Path.of(System.getProperty("quire.bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "quire-slotmatrixbench-");
        trade = TradeLedger.open(dir, 2025, 1, MINUTES, SlotMatrix.Options.defaults());
        metas = new PayloadMeta[1 << 16];
        PayloadMeta first = new PayloadMeta(PayloadType.TRADE, 1, 1, 0, 0);
        for (int m = 0; m < MINUTES; m++) check(trade.setTradeRef(0, m, first, 0));
        pass = 1;
        if (trade.matrix().kind() != LedgerKind.TRADE) throw new IllegalStateException("not a trade matrix");
    }

    private PayloadMeta meta(long version) {
        int i = (int) (version & (metas.length - 1));
        PayloadMeta m = metas[i];
        if (m == null || m.version() != version) metas[i] = m = new PayloadMeta(PayloadType.TRADE, 1 + (version & 0xFFFF), version, 0, version);
        return m;
    }

    private static void check(SetResult r) {
        if (!(r instanceof SetResult.Ok)) throw new IllegalStateException("setter refused: " + r);
    }

    /** One setter with an expected version (the walk of the harness's W8-set, one call per invocation). */
    @Benchmark
    public SetResult setTradeRef() {
        SetResult r = trade.setTradeRef(0, minute, meta(pass + 1), pass);
        if (++minute == MINUTES) {
            minute = 0;
            pass++;
        }
        return r;
    }

    /** One row read at a pseudo-random minute (a fixed odd stride through the year). */
    @Benchmark
    public TradeRow getTradeRow() {
        readAt = (readAt + 7_919) % MINUTES;
        return trade.getTradeRow(0, readAt);
    }

    /** The plain slot read, for comparison with the row (four slots). */
    @Benchmark
    public long readOneSlot() {
        readAt = (readAt + 7_919) % MINUTES;
        return trade.read(SlotKind.TRADE_REF, 0, readAt).version();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (trade != null) trade.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
