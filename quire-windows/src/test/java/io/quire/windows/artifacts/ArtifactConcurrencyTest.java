package io.quire.windows.artifacts;

import io.quire.windows.ingest.TradeRow;
import io.quire.windows.mapping.ArtifactRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Appenders and readers racing on one segment. */
class ArtifactConcurrencyTest {
    @TempDir Path tmp;

    record Written(long seed, String symbol, int minute, ArtifactRef ref) {}

    /**
     * Invariants checked: three threads append batches to one segment while two threads read every
     * ref as soon as it is published (from the appending store and from a second store that never
     * appends); every read returns exactly the rows written; refs never overlap; after a reopen
     * the segment is clean and every ref still reads back. Replay with -Dquire.test.seed.
     */
    @Test
    void shouldReadEveryPublishedRefWhileOthersAppend() throws Exception {
        long seed = Long.getLong("quire.test.seed", System.nanoTime());
        System.out.println("ArtifactConcurrencyTest seed " + seed);
        LocalDate day = LocalDate.of(2025, 11, 12);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Written> published = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        CyclicBarrier start = new CyclicBarrier(5);
        try (ArtifactStore store = ArtifactStore.open(tmp, 2025); ArtifactStore reader = ArtifactStore.open(tmp, 2025)) {
            ArtifactFile seg = store.appender(ArtifactKind.TRADES, day);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int id = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        SplittableRandom rnd = new SplittableRandom(seed + id);
                        start.await();
                        for (int b = 0; b < 40; b++) {
                            int n = 1 + rnd.nextInt(6);
                            List<ArtifactFile.Group> g = new ArrayList<>();
                            long[] seeds = new long[n];
                            for (int i = 0; i < n; i++) {
                                seeds[i] = rnd.nextLong();
                                g.add(new ArtifactFile.Group("W" + id, b * 10 + i, ArtifactSamples.trades(seeds[i], "W" + id, b * 10 + i)));
                            }
                            List<ArtifactRef> refs = seg.append(g);
                            for (int i = 0; i < n; i++) published.add(new Written(seeds[i], "W" + id, b * 10 + i, refs.get(i)));
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (ArtifactStore s : List.of(store, reader)) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        while (!done.get()) {
                            for (Written x : published) {
                                List<TradeRow> rows = s.readTrades(x.ref()).rows();
                                if (!rows.equals(ArtifactSamples.trades(x.seed(), x.symbol(), x.minute()))) throw new AssertionError("seed " + seed + ": wrong rows at " + x.ref());
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (int i = 0; i < 3; i++) threads.get(i).join();
            done.set(true);
            for (Thread t : threads) t.join();
            assertThat(failures).as("seed %d", seed).isEmpty();
            List<ArtifactRef> refs = published.stream().map(Written::ref).sorted((a, b) -> Long.compare(a.offset(), b.offset())).toList();
            for (int i = 1; i < refs.size(); i++) assertThat(refs.get(i).offset()).isEqualTo(refs.get(i - 1).offset() + refs.get(i - 1).length());
            assertThat(seg.frames()).isEqualTo(published.size());
        }
        try (ArtifactStore s = ArtifactStore.open(tmp, 2025)) {
            assertThat(s.appender(ArtifactKind.TRADES, day).recovery()).isEmpty();
            for (Written x : published) assertThat(s.readTrades(x.ref()).rows()).isEqualTo(ArtifactSamples.trades(x.seed(), x.symbol(), x.minute()));
        }
    }
}
