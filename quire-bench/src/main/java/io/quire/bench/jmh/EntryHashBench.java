package io.quire.bench.jmh;

import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.Hash;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** {@link EntryHasher#hash(Entry)} of one entry with a 256-byte payload (the W1/W2 shape). */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EntryHashBench {
    @Param({"256"})
    public int payloadBytes;

    private Entry entry;

    @Setup
    public void setUp() {
        byte[] payload = new byte[payloadBytes];
        new SplittableRandom(1).nextBytes(payload);
        entry = new Entry("bench/stream", 42, 41, "01JZ5Y7W3Q8N6M2K4H0G9F1E3D", "facts", 1_750_000_000_000_000_000L,
                Entry.sortedCopy(Map.of("content-type", "application/octet-stream")), payload, Hash.sha256(new byte[] {1}), Hash.ZERO);
    }

    @Benchmark
    public Hash hash() { return EntryHasher.hash(entry); }
}
