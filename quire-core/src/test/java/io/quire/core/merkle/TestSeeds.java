package io.quire.core.merkle;

import io.quire.core.Hash;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Seeds for randomized tests ({@code -Dquire.test.seed=N} replays one) and deterministic entry hashes. */
final class TestSeeds {
    private TestSeeds() {}

    static long seed() {
        Long fixed = Long.getLong("quire.test.seed");
        return fixed != null ? fixed : System.nanoTime();
    }

    /** Runs {@code body}; any failure is rethrown with the seed that replays it. */
    static void withSeed(long seed, ThrowingConsumer body) {
        try {
            body.accept(seed);
        } catch (Throwable t) {
            AssertionError e = new AssertionError("failed with seed " + seed + " (replay: -Dquire.test.seed=" + seed + ")", t);
            throw e;
        }
    }

    @FunctionalInterface
    interface ThrowingConsumer {
        void accept(long seed) throws Exception;
    }

    /** The entry hash used for leaf i in tests: SHA-256("quire test entry " + i). */
    static Hash entry(long i) { return Hash.sha256(("quire test entry " + i).getBytes(StandardCharsets.UTF_8)); }

    static List<Hash> entries(long n) {
        List<Hash> out = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) out.add(entry(i));
        return out;
    }
}
