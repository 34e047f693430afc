package io.quire.core.crash;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.RecoveryReport;
import io.quire.core.VerifyReport;
import io.quire.core.crash.LogMap.Batch;
import io.quire.core.crash.LogMap.Frame;
import io.quire.core.log.SegmentScanner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every row of {@link SegmentScanner}'s recovery decision table, crafted on the last segment of a
 * real ledger and opened through {@link Ledger#open}.
 *
 * <p>What open re-scans (Recovery): everything after the seal point recorded in
 * {@code index/catalog.bin}. A clean close seals everything, so the rows are crafted with the
 * catalog {@link Seal#DELETED} (the whole log is re-scanned) and {@link Seal#STALE} (the catalog of
 * an earlier clean close: the last two batches are unsealed). With the {@link Seal#CURRENT}
 * catalog the damaged bytes are trusted by open, so verify must name them instead, and a cut
 * below the seal point is refused.
 *
 * <p>Invariants checked: a torn tail (prefix of the last batch, zeros, garbage) opens, is
 * truncated at the last commit frame and reported, and no entry of an earlier batch is lost or
 * changed; a damaged byte of an acknowledged batch (last entry, commit frame, earlier batch)
 * refuses to open with INTEGRITY naming the segment and the damaged frame's offset.
 */
class RecoveryDecisionTableTest {
    enum Seal { DELETED, STALE, CURRENT }

    @TempDir Path dir;

    private final List<Entry> entries = new ArrayList<>();
    private byte[] segment;
    private byte[] staleCatalog;
    private byte[] currentCatalog;
    private Path seg;
    private LogMap map;
    /** The batch before the last (unsealed under STALE) and the last batch. */
    private Batch earlier;
    private Batch last;
    private long sizeBeforeLast;

    @BeforeEach
    void build() throws IOException {
        Ledger.init(dir);
        try (Ledger l = Ledger.open(dir)) {
            entries.addAll(l.appendBatch("a", List.of(draft("a1", 20), draft("a2", 0), draft("a3", 40))));
            entries.addAll(l.appendBatch("b", List.of(draft("b1", 10), draft("b2", 10))));
            entries.add(l.append("a", draft("a4", 5)));
        }
        staleCatalog = Files.readAllBytes(catalog());
        try (Ledger l = Ledger.open(dir)) {
            entries.addAll(l.appendBatch("b", List.of(draft("b3", 12), draft("b4", 13))));
            entries.addAll(l.appendBatch("a", List.of(draft("a5", 16), draft("a6", 17))));
        }
        currentCatalog = Files.readAllBytes(catalog());
        seg = LogMap.lastSegment(dir);
        segment = Files.readAllBytes(seg);
        map = LogMap.of(seg);
        assertThat(map.batches).hasSize(5);
        last = map.lastBatch();
        earlier = map.batches.get(3);
        sizeBeforeLast = last.entries().get(0).position();
        assertThat(sizeBeforeLast).isEqualTo(entries.size() - 2);
    }

    private static Draft draft(String id, int payloadBytes) {
        byte[] p = new byte[payloadBytes];
        new Random(id.hashCode()).nextBytes(p);
        return Draft.of(p).withId(id);
    }

    private Path catalog() { return dir.resolve("index/catalog.bin"); }

    /** Puts back the segment as {@code bytes} and the catalog as {@code seal} says. */
    private void craft(byte[] bytes, Seal seal) throws IOException {
        Files.write(seg, bytes);
        switch (seal) {
            case DELETED -> Files.deleteIfExists(catalog());
            case STALE -> Files.write(catalog(), staleCatalog);
            case CURRENT -> Files.write(catalog(), currentCatalog);
        }
    }

    private byte[] flipped(int offset, int bit) {
        byte[] b = segment.clone();
        b[offset] ^= (byte) (1 << bit);
        return b;
    }

    // ---------------------------------------------------------------- TORN: truncate, report, keep the rest

    /** The decision table itself, at every cut inside the last batch (pure, no I/O). */
    @Test
    void shouldClassifyEveryCutInsideLastBatchAsTorn() {
        for (int cut = last.start(); cut < last.end(); cut++) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Arrays.copyOf(segment, cut));
            SegmentScanner.Result r = SegmentScanner.scan(b, last.start(), sizeBeforeLast, new SegmentScanner.Visitor() {
                @Override public void stream(java.nio.ByteBuffer bb, int off, int len) { throw new AssertionError("no committed frame"); }
                @Override public void entry(java.nio.ByteBuffer bb, int off, int len) { throw new AssertionError("no committed frame"); }
            });
            if (cut == last.start()) assertThat(r.outcome()).isEqualTo(SegmentScanner.Outcome.CLEAN);
            else assertThat(r.outcome()).as("cut at %s: %s", cut, r).isIn(SegmentScanner.Outcome.TORN, SegmentScanner.Outcome.TORN_ZERO);
            assertThat(r.lastCommitEnd()).isEqualTo(last.start());
        }
    }

    /**
     * Opens the ledger cut at every frame boundary of the last batch, one byte either side of it,
     * at boundary + 8, 9, 48 and 116 (header and commit sized prefixes) and every 13th byte;
     * {@code -Dquire.recovery.sweep=full} opens it at every byte offset.
     */
    @ParameterizedTest
    @EnumSource(value = Seal.class, names = {"DELETED", "STALE"})
    void shouldTruncateTornLastBatchAtEveryByteOffset(Seal seal) throws IOException {
        boolean full = "full".equals(System.getProperty("quire.recovery.sweep"));
        java.util.SortedSet<Integer> cuts = new java.util.TreeSet<>();
        List<Frame> frames = new ArrayList<>(last.frames());
        frames.add(last.commit());
        for (Frame f : frames) {
            for (int d : new int[] {-1, 0, 1, 8, 9, 47, 48, 49, 115, 116, 117}) cuts.add(f.offset() + d);
            cuts.add(f.end() - 1);
        }
        for (int cut = last.start(); cut < last.end(); cut++) if (full || cut % 13 == 0) cuts.add(cut);
        cuts.removeIf(c -> c < last.start() || c >= last.end());
        for (int cut : cuts) {
            craft(Arrays.copyOf(segment, cut), seal);
            try (Ledger l = Ledger.open(dir)) {
                String ctx = seal + " cut at " + cut + " (last batch " + last.start() + ".." + last.end() + ")";
                RecoveryReport r = l.recovery();
                if (cut == last.start()) {
                    assertThat(r.truncated()).as(ctx).isFalse();
                } else {
                    assertTorn(r, last.start(), cut - last.start(), ctx);
                }
                assertThat(l.size()).as(ctx).isEqualTo(sizeBeforeLast);
                assertPrefixIntact(l, sizeBeforeLast, ctx);
                if (cut % 5 == 0) {
                    // Appending continues on the truncated log.
                    Entry e = l.append("a", Draft.of("after " + cut));
                    assertThat(e.position()).isEqualTo(sizeBeforeLast);
                    assertThat(e.prevHash()).isEqualTo(entries.get((int) sizeBeforeLast - 1 - 2).hash()); // a4
                    assertThat(l.verify(ProgressListener.NONE, true).failures()).as(ctx).isEmpty();
                }
            } catch (QuireException e) {
                throw new AssertionError(seal + ": a torn tail cut at " + cut + " (last batch " + last.start() + ".." + last.end()
                        + ", frames " + last.frames() + ") must open, but: " + e.getMessage(), e);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Seal.class, names = {"DELETED", "STALE"})
    void shouldTruncateZeroTailAsTornZero(Seal seal) throws IOException {
        for (int zeros : new int[] {1, 8, 47, 48, 49, 4096}) {
            craft(Arrays.copyOf(segment, segment.length + zeros), seal);
            try (Ledger l = Ledger.open(dir)) {
                assertTorn(l.recovery(), segment.length, zeros, seal + " " + zeros + " zeros");
                assertThat(l.size()).isEqualTo(entries.size());
                assertPrefixIntact(l, entries.size(), seal + " zeros");
            }
            assertThat(Files.size(seg)).isEqualTo(segment.length);
        }
    }

    /**
     * A power loss: a prefix of the last batch written, the rest of its pages zero. Zeros start
     * anywhere in the entry frames, or where they cover at least the commit frame's 8-byte
     * timestamp (sector boundaries are 512-byte aligned; a boundary inside the last 7 bytes of a
     * commit frame is indistinguishable from a damaged commit frame and is refused).
     */
    @ParameterizedTest
    @EnumSource(value = Seal.class, names = {"DELETED", "STALE"})
    void shouldTruncateTornBatchFollowedByZeros(Seal seal) throws IOException {
        for (int cut = last.start() + 1; cut <= last.commit().offset() + 40; cut += 3) {
            byte[] b = segment.clone();
            Arrays.fill(b, cut, b.length, (byte) 0);
            if (Arrays.equals(b, segment)) continue; // zeroed bytes that were zero: nothing torn
            craft(b, seal);
            try (Ledger l = Ledger.open(dir)) {
                assertTorn(l.recovery(), last.start(), last.end() - last.start(), seal + " zeros from " + cut);
                assertThat(l.size()).isEqualTo(sizeBeforeLast);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Seal.class, names = {"DELETED", "STALE"})
    void shouldTruncateGarbageAfterLastCommit(Seal seal) throws IOException {
        Random rnd = new Random(7);
        for (int n : new int[] {1, 9, 48, 100, 300}) {
            byte[] g = new byte[n];
            rnd.nextBytes(g);
            g[0] |= 1; // not a zero tail
            byte[] b = Arrays.copyOf(segment, segment.length + n);
            System.arraycopy(g, 0, b, segment.length, n);
            craft(b, seal);
            try (Ledger l = Ledger.open(dir)) {
                assertTorn(l.recovery(), segment.length, n, seal + " " + n + " garbage bytes");
                assertThat(l.size()).isEqualTo(entries.size());
            }
        }
    }

    // ---------------------------------------------------------------- CORRUPT: refuse, name file and offset

    /** Every byte of the last entry of the last batch: header, length, hashes, id, payload. */
    @ParameterizedTest
    @EnumSource(value = Seal.class, names = {"DELETED", "STALE"})
    void shouldRefuseBitFlipAnywhereInLastEntryOfLastBatch(Seal seal) throws IOException {
        Frame f = last.entries().get(last.entries().size() - 1);
        for (int o = f.offset(); o < f.end(); o++) {
            craft(flipped(o, o % 8), seal);
            assertRefused(f.offset(), seal + " flip at " + o + " in the last entry frame " + f);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Seal.class, names = {"DELETED", "STALE"})
    void shouldRefuseBitFlipAnywhereInLastCommitFrame(Seal seal) throws IOException {
        Frame c = last.commit();
        for (int o = c.offset(); o < c.end(); o++) {
            craft(flipped(o, (o * 3) % 8), seal);
            assertRefused(c.offset(), seal + " flip at " + o + " in the last commit frame");
        }
    }

    /** Damage in an acknowledged batch followed by an intact one is never a torn tail. */
    @ParameterizedTest
    @EnumSource(value = Seal.class, names = {"DELETED", "STALE"})
    void shouldRefuseBitFlipInEarlierBatchOfLastSegment(Seal seal) throws IOException {
        Frame first = earlier.entries().get(0);
        Frame second = earlier.entries().get(1);
        int[][] cases = {
                {first.offset() + 2, first.offset()},                       // length field
                {map.payloadOffset(first) + 3, first.offset()},             // payload
                {second.offset() + LogMap.E_OFF_HASH_256 + 5, second.offset()}, // stored hash of its last entry
                {earlier.commit().offset() + 20, earlier.commit().offset()},    // its commit frame
        };
        for (int[] c : cases) {
            craft(flipped(c[0], 1), seal);
            assertRefused(c[1], seal + " flip at " + c[0] + " in the batch before the last");
        }
    }

    @Test
    void shouldRefuseFlipInFirstBatchWhenCatalogIsDeleted() throws IOException {
        Frame f = map.batches.get(0).entries().get(2); // a3: 40 payload bytes
        craft(flipped(map.payloadOffset(f) + 1, 4), Seal.DELETED);
        assertRefused(f.offset(), "catalog deleted, flip in the first batch");
    }

    // ---------------------------------------------------------------- sealed: open trusts, verify names

    @Test
    void shouldRefuseCutBelowTheSealPoint() throws IOException {
        for (int cut : new int[] {last.start() + 1, last.end() - 1, earlier.start() + 10}) {
            craft(Arrays.copyOf(segment, cut), Seal.CURRENT);
            assertThatThrownBy(() -> Ledger.open(dir).close())
                    .as("cut at %s below the sealed point", cut)
                    .isInstanceOfSatisfying(QuireException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                        assertThat(e.where().file()).endsWith(seg.getFileName().toString());
                        assertThat(e.where().offset()).isEqualTo(cut);
                    });
        }
    }

    @Test
    void shouldLeaveSealedDamageToVerifyWhenCatalogIsCurrentOrStale() throws IOException {
        record Case(Seal seal, Frame frame) {}
        for (Case c : List.of(new Case(Seal.CURRENT, last.entries().get(1)), new Case(Seal.CURRENT, earlier.entries().get(0)),
                new Case(Seal.STALE, map.batches.get(0).entries().get(2)))) {
            craft(flipped(map.payloadOffset(c.frame()) + 1, 2), c.seal());
            try (Ledger l = Ledger.open(dir)) {
                VerifyReport r = l.verify(ProgressListener.NONE, true);
                assertThat(r.failures()).as("%s", c).anySatisfy(f -> {
                    assertThat(f.region()).isEqualTo("frame");
                    assertThat(f.where().file()).endsWith(seg.getFileName().toString());
                    assertThat(f.where().offset()).isEqualTo(c.frame().offset());
                });
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private void assertTorn(RecoveryReport r, long at, long bytes, String ctx) {
        assertThat(r.truncated()).as(ctx + ": " + r).isTrue();
        assertThat(r.tornFile()).as(ctx).endsWith(seg.getFileName().toString());
        assertThat(r.tornOffset()).as(ctx).isEqualTo(at);
        assertThat(r.tornBytes()).as(ctx).isEqualTo(bytes);
    }

    private void assertPrefixIntact(Ledger l, long n, String ctx) {
        for (int p = 0; p < n; p++) {
            Entry e = l.readPosition(p);
            assertThat(e.hash()).as(ctx + ": entry " + p).isEqualTo(entries.get(p).hash());
            assertThat(e.seq()).isEqualTo(entries.get(p).seq());
        }
    }

    private void assertRefused(long offset, String ctx) {
        try (Ledger l = Ledger.open(dir)) {
            throw new AssertionError(ctx + ": open must refuse, but it opened with " + l.recovery() + " size " + l.size());
        } catch (QuireException e) {
            assertThat(e.kind()).as(ctx + ": " + e.getMessage()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.where().file()).as(ctx + ": " + e.getMessage()).endsWith(seg.getFileName().toString());
            assertThat(e.where().offset()).as(ctx + ": " + e.getMessage()).isEqualTo(offset);
        }
    }
}
