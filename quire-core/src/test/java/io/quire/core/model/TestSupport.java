package io.quire.core.model;

import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.QuireException;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Shared by the model, watch, snapshot and limits tests: seeds that replay
 * ({@code -Dquire.test.seed=N}) and a field-by-field entry comparison (Entry is a record whose
 * {@code payload} is an array, so {@code equals} would compare references).
 */
public final class TestSupport {
    private TestSupport() {}

    /** The fixed seed when {@code -Dquire.test.seed} is given, otherwise a fresh one. */
    public static long seed() {
        Long fixed = Long.getLong("quire.test.seed");
        return fixed != null ? fixed : System.nanoTime();
    }

    public static boolean seedFixed() { return Long.getLong("quire.test.seed") != null; }

    /** Runs {@code body}; any failure is rethrown naming the seed that replays it. */
    public static void withSeed(long seed, SeededBody body) {
        try {
            body.run(seed);
        } catch (Throwable t) {
            throw new AssertionError("failed with seed " + seed + " (replay: -Dquire.test.seed=" + seed + "): " + t, t);
        }
    }

    @FunctionalInterface
    public interface SeededBody {
        void run(long seed) throws Exception;
    }

    /** Every field, the payload by content; {@code checkPosition} false for snapshot entries (position -1). */
    public static void assertSameEntry(Entry expected, Entry actual, boolean checkPosition, String context) {
        String c = context + " (expected " + describe(expected) + ", got " + describe(actual) + ")";
        assertThat(actual.stream()).as("stream " + c).isEqualTo(expected.stream());
        assertThat(actual.seq()).as("seq " + c).isEqualTo(expected.seq());
        if (checkPosition) assertThat(actual.position()).as("position " + c).isEqualTo(expected.position());
        assertThat(actual.id()).as("id " + c).isEqualTo(expected.id());
        assertThat(actual.key()).as("key " + c).isEqualTo(expected.key());
        assertThat(actual.timestampNs()).as("timestamp " + c).isEqualTo(expected.timestampNs());
        assertThat(actual.metadata()).as("metadata " + c).isEqualTo(expected.metadata());
        assertThat(Arrays.equals(actual.payload(), expected.payload())).as("payload " + c).isTrue();
        assertThat(actual.prevHash()).as("prevHash " + c).isEqualTo(expected.prevHash());
        assertThat(actual.hash()).as("hash " + c).isEqualTo(expected.hash());
        assertThat(EntryHasher.hash(actual)).as("recomputed hash " + c).isEqualTo(actual.hash());
    }

    public static void assertSameEntries(List<Entry> expected, List<Entry> actual, boolean checkPosition, String context) {
        if (expected.size() != actual.size()) {
            fail(context + ": expected " + expected.size() + " entries " + seqs(expected) + ", got " + actual.size() + " " + seqs(actual));
        }
        for (int i = 0; i < expected.size(); i++) assertSameEntry(expected.get(i), actual.get(i), checkPosition, context + " [" + i + "]");
    }

    /** seq 1..n contiguous, prev_hash links and every hash recomputes. */
    public static void assertChain(List<Entry> entries, String context) {
        Hash prev = Hash.ZERO;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            assertThat(e.seq()).as(context + ": seq at index " + i).isEqualTo(i + 1);
            assertThat(e.prevHash()).as(context + ": prev_hash of seq " + e.seq()).isEqualTo(prev);
            assertThat(e.hashMatches()).as(context + ": hash of seq " + e.seq()).isTrue();
            prev = e.hash();
        }
    }

    public static String describe(Entry e) {
        return e == null ? "null" : e.stream() + "#" + e.seq() + "@" + e.position() + " id=" + e.id();
    }

    public static String seqs(List<Entry> es) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < es.size() && i < 20; i++) b.append(i == 0 ? "" : ",").append(es.get(i).seq());
        if (es.size() > 20) b.append(",…");
        return b.append(']').toString();
    }

    /** Runs {@code body}, expects a QuireException of {@code kind}, returns it. */
    public static QuireException expectQuire(ErrorKind kind, Runnable body) {
        try {
            body.run();
        } catch (QuireException e) {
            assertThat(e.kind()).as("kind of: " + e.getMessage()).isEqualTo(kind);
            return e;
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof QuireException q) {
                assertThat(q.kind()).as("kind of: " + q.getMessage()).isEqualTo(kind);
                return q;
            }
            throw e;
        }
        throw new AssertionError("expected QuireException " + kind + " but nothing was thrown");
    }
}
