package io.quire.core.crash;

import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.StreamInfo;
import io.quire.core.VerifyReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Seeds, acknowledged-entry bookkeeping and the whole-ledger invariant check shared by crash tests. */
public final class CrashSupport {
    private CrashSupport() {}

    /** {@code -Dquire.test.seed=N} replays a run; otherwise a fresh seed (printed on failure). */
    public static long seed() {
        Long fixed = Long.getLong("quire.test.seed");
        return fixed != null ? fixed : System.nanoTime();
    }

    @FunctionalInterface
    public interface SeededBody {
        void run(long seed) throws Exception;
    }

    /** Runs {@code body}; any failure is rethrown naming the seed that replays it. */
    public static void withSeed(SeededBody body) {
        long seed = seed();
        try {
            body.run(seed);
        } catch (Throwable t) {
            throw new AssertionError("failed with seed " + seed + " (replay: -Dquire.test.seed=" + seed + "): " + t, t);
        }
    }

    /** One acknowledged append, as the writer process reported it. */
    public record Ack(String stream, long seq, long position, Hash hash) {
        /** Parses {@code <stream> <seq> <position> <hashhex>}; null for anything else (a torn line). */
        static Ack parse(String line) {
            String[] p = line.split(" ");
            if (p.length != 4 || p[3].length() != 64) return null;
            try {
                return new Ack(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]), Hash.parse(p[3]));
            } catch (RuntimeException e) {
                return null;
            }
        }

        public static Ack of(Entry e) { return new Ack(e.stream(), e.seq(), e.position(), e.hash()); }

        String line() { return stream + " " + seq + " " + position + " " + hash.hex(); }
    }

    /**
     * Invariants checked: every acknowledged entry is at its position with its stream, seq and
     * hash; every stream's chain is intact (seq 1.. contiguous, prev hash links, hashes recompute);
     * the streams together hold exactly size() entries, each at a distinct position below size();
     * readPosition(size) is NOT_FOUND; verify(all) finds nothing.
     */
    public static void checkLedger(Ledger l, Map<Long, Ack> acked) {
        long size = l.size();
        for (Ack a : acked.values()) {
            assertThat(a.position()).as("acknowledged position %s within size %s", a.position(), size).isLessThan(size);
            Entry e = l.readPosition(a.position());
            assertThat(Ack.of(e)).as("entry at acknowledged position %s", a.position()).isEqualTo(a);
        }
        long total = 0;
        boolean[] seen = new boolean[(int) size];
        for (StreamInfo s : l.streams()) {
            Hash prev = Hash.ZERO;
            long seq = 0;
            while (true) {
                List<Entry> page = l.read(s.name(), seq, 1000, null);
                if (page.isEmpty()) break;
                for (Entry e : page) {
                    assertThat(e.seq()).as("seq in %s", s.name()).isEqualTo(seq + 1);
                    assertThat(e.prevHash()).as("prev hash of %s/%s", s.name(), e.seq()).isEqualTo(prev);
                    assertThat(e.hashMatches()).as("hash of %s/%s recomputes", s.name(), e.seq()).isTrue();
                    assertThat(e.position()).isBetween(0L, size - 1);
                    assertThat(seen[(int) e.position()]).as("position %s held once", e.position()).isFalse();
                    seen[(int) e.position()] = true;
                    prev = e.hash();
                    seq = e.seq();
                }
            }
            total += seq;
        }
        assertThat(total).as("entries readable through the streams == size").isEqualTo(size);
        assertThatThrownBy(() -> l.readPosition(size))
                .isInstanceOfSatisfying(QuireException.class, q -> assertThat(q.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        VerifyReport r = l.verify(ProgressListener.NONE, true);
        assertThat(r.failures()).as("verify failures").isEmpty();
        assertThat(r.entries()).isEqualTo(size);
    }

    public static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
