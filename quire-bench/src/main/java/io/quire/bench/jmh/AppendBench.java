package io.quire.bench.jmh;

import io.quire.core.Draft;
import io.quire.core.Durability;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Single-thread {@link Ledger#append} of a 256-byte payload with {@link Durability#NONE}: the CPU
 * cost of the append path (validation, hashing, framing, index, Merkle) without fsync. The ledger
 * lives in a temp directory under {@code java.io.tmpdir} (override with {@code -Dquire.bench.dir}).
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AppendBench {
    private Path dir;
    private Ledger ledger;
    private byte[] template;
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path base = Path.of(System.getProperty("quire.bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "quire-appendbench-").resolve("ledger");
        Ledger.init(dir);
        ledger = Ledger.open(dir, LedgerOptions.defaults().withDurability(Durability.NONE));
        template = new byte[256];
        new SplittableRandom(1).nextBytes(template);
    }

    @Benchmark
    public Entry append() {
        byte[] p = template.clone();
        long c = n++;
        for (int i = 0; i < 8; i++) p[i] = (byte) (c >>> (8 * i));
        return ledger.append("bench", Draft.of(p));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (ledger != null) ledger.close();
        try (Stream<Path> s = Files.walk(dir.getParent())) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
