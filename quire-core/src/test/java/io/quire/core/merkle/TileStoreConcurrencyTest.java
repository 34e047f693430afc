package io.quire.core.merkle;

import io.quire.core.Hash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** One writer and two readers behind a barrier; readers must only ever see consistent flushed trees. */
class TileStoreConcurrencyTest {
    static final int LEAVES = 140_000; // crosses two mapping chunks and several spills
    static final int READERS = 2;

    @TempDir Path tmp;

    @Test
    void shouldGiveReadersValidProofsWhileTheWriterAppends() {
        TestSeeds.withSeed(TestSeeds.seed(), seed -> {
            // Invariants checked: size() never goes backwards; every inclusion proof at a published
            // size verifies against root(size) of the same or a later read; consistency from an
            // earlier observed (size, root) to a later one always verifies.
            List<Hash> entries = TestSeeds.entries(LEAVES);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean done = new AtomicBoolean();
            CyclicBarrier start = new CyclicBarrier(READERS + 1);
            try (TileStore store = TileStore.open(tmp.resolve("merkle"))) {
                Thread[] readers = new Thread[READERS];
                for (int r = 0; r < READERS; r++) {
                    long readerSeed = seed + 1 + r;
                    readers[r] = Thread.ofPlatform().start(() -> {
                        try {
                            start.await();
                            read(store, entries, new Random(readerSeed), done);
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    });
                }
                Random rnd = new Random(seed);
                start.await();
                for (int i = 0; i < LEAVES; i++) {
                    store.append(entries.get(i));
                    if (rnd.nextInt(64) == 0) store.flush();
                }
                store.flush();
                done.set(true);
                for (Thread t : readers) t.join();
            }
            assertThat(failures).isEmpty();
        });
    }

    private static void read(TileStore store, List<Hash> entries, Random rnd, AtomicBoolean done) {
        long lastSize = 0;
        Hash lastRoot = MerkleMath.EMPTY_ROOT;
        int rounds = 0;
        while (!done.get() || rounds < 10) {
            rounds++;
            long n = store.size();
            if (n < lastSize) throw new AssertionError("size went back from " + lastSize + " to " + n);
            if (n == 0) continue;
            Hash root = store.root(n);
            long i = (long) (rnd.nextDouble() * n);
            InclusionProof p = store.proveInclusion(i, n, entries.get((int) i));
            if (!MerkleMath.verifyInclusion(p, root)) throw new AssertionError("inclusion of " + i + " in " + n + " failed");
            if (!MerkleMath.verifyConsistency(store.proveConsistency(lastSize, n), lastRoot, root)) {
                throw new AssertionError("consistency " + lastSize + " -> " + n + " failed");
            }
            lastSize = n;
            lastRoot = root;
        }
    }
}
