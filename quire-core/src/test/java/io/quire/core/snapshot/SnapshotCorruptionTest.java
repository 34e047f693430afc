package io.quire.core.snapshot;

import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.quire.core.snapshot.SnapshotCodecTest.assertCheck;
import static io.quire.core.snapshot.SnapshotFixtures.SEED;
import static io.quire.core.snapshot.SnapshotFixtures.seedNote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class SnapshotCorruptionTest {
    private static final Set<String> CHECK_NAMES =
            Arrays.stream(SnapshotCheck.values()).map(SnapshotCheck::checkName).collect(Collectors.toSet());

    private static Snapshot read(byte[] b) { return SnapshotCodec.read(new ByteArrayInputStream(b)); }

    private static byte[] small() {
        return SnapshotFixtures.write("ctx/small", SnapshotFixtures.randomEntries("ctx/small", 3, new Random(SEED)),
                "cp".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseEverySingleBitFlipWithANamedCheckAndNoOtherException() {
        // Invariants checked: for every bit of a valid snapshot (and the golden one), flipping it
        // makes read throw QuireException INVALID_INPUT whose message names a known check; no
        // other exception type (or error) ever escapes.
        for (byte[] valid : List.of(small(), goldenBytes())) {
            TreeMap<String, Integer> hits = new TreeMap<>();
            for (int i = 0; i < valid.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] b = valid.clone();
                    b[i] ^= (byte) (1 << bit);
                    hits.merge(refusedCheck(b, "bit " + bit + " of byte " + i), 1, Integer::sum);
                }
            }
            // The flips must reach the structural checks and the trailer, not just one of them.
            assertThat(hits).as(seedNote() + " " + hits).containsKeys("magic", "version", "trailer", "limit", "truncated");
        }
    }

    @Test
    void shouldRefuseEveryByteReplacedByEveryOtherValueInTheHeader() {
        byte[] valid = small();
        for (int i = 0; i < SnapshotCodec.OFF_STREAM_NAME + 4; i++) {
            for (int v = 0; v < 256; v++) {
                if ((byte) v == valid[i]) continue;
                byte[] b = valid.clone();
                b[i] = (byte) v;
                refusedCheck(b, "byte " + i + " = " + v);
            }
        }
    }

    @Test
    void shouldReportTruncatedAtEveryShorterLength() {
        for (byte[] valid : List.of(small(), goldenBytes())) {
            for (int n = 0; n < valid.length; n++) {
                byte[] prefix = Arrays.copyOf(valid, n);
                assertCheck(() -> read(prefix), "truncated");
            }
        }
    }

    @Test
    void shouldRefuseBytesAfterTheTrailer() {
        byte[] valid = small();
        assertCheck(() -> read(Arrays.copyOf(valid, valid.length + 1)), "trailer");
    }

    @Test
    void shouldNameTheNewerFormatVersion() {
        List<Entry> entries = SnapshotFixtures.randomEntries("s", 2, new Random(SEED));
        byte[] newer = SnapshotFixtures.encodeUnchecked(2, "s", entries, root(entries));
        assertCheck(() -> read(newer), "version");
        try {
            read(newer);
        } catch (QuireException e) {
            assertThat(e.reason()).contains("snapshot format version 2 is newer than this Quire supports (1)");
        }
        byte[] zero = SnapshotFixtures.encodeUnchecked(0, "s", entries, root(entries));
        assertCheck(() -> read(zero), "version");
    }

    @Test
    void shouldDetectABrokenChainAtTheEntryThatBreaksIt() {
        List<Entry> entries = new ArrayList<>(SnapshotFixtures.randomEntries("s", 4, new Random(SEED)));
        Entry e = entries.get(2);
        Entry relinked = new Entry(e.stream(), e.seq(), e.position(), e.id(), e.key(), e.timestampNs(), e.metadata(),
                e.payload(), Hash.sha256(new byte[] {9}), Hash.ZERO);
        entries.set(2, relinked.withHash(EntryHasher.hash(relinked)));

        assertInner(entries, "chain", 3);
    }

    @Test
    void shouldDetectAGapADuplicateAndAReorderAsASequenceFailure() {
        List<Entry> entries = SnapshotFixtures.randomEntries("s", 4, new Random(SEED));
        // seq 3 re-hashed as seq 4, chain intact: a gap.
        List<Entry> gap = new ArrayList<>(entries);
        gap.set(2, reseq(entries.get(2), 4));
        assertInner(gap, "sequence", 4);
        // seq 2 re-hashed as seq 1: a duplicate.
        List<Entry> dup = new ArrayList<>(entries);
        dup.set(1, reseq(entries.get(1), 1));
        assertInner(dup, "sequence", 1);
        // Two entries swapped.
        List<Entry> swapped = new ArrayList<>(entries);
        swapped.set(1, entries.get(2));
        swapped.set(2, entries.get(1));
        assertInner(swapped, "sequence", 3);
        // Starting at seq 2.
        assertInner(entries.subList(1, 4), "sequence", 2);
    }

    @Test
    void shouldDetectAnEntryWhoseFieldsDoNotMatchItsHash() {
        List<Entry> entries = new ArrayList<>(SnapshotFixtures.randomEntries("s", 3, new Random(SEED)));
        Entry e = entries.get(1);
        byte[] payload = Arrays.copyOf(e.payload(), e.payload().length + 1);
        entries.set(1, new Entry(e.stream(), e.seq(), e.position(), e.id(), e.key(), e.timestampNs(), e.metadata(),
                payload, e.prevHash(), e.hash()));

        assertInner(entries, "entry-hash", 2);
    }

    @Test
    void shouldDetectEntriesHashedUnderAnotherStreamName() {
        List<Entry> entries = SnapshotFixtures.randomEntries("other", 2, new Random(SEED));
        byte[] b = SnapshotFixtures.encodeUnchecked(1, "s", entries, root(entries));
        // The header's name is what the entries are decoded and re-hashed under.
        assertCheck(() -> read(b), "entry-hash");
    }

    @Test
    void shouldDetectAWrongStreamRoot() {
        List<Entry> entries = SnapshotFixtures.randomEntries("s", 5, new Random(SEED));
        byte[] b = SnapshotFixtures.encodeUnchecked(1, "s", entries, Hash.sha256(new byte[] {1}));
        assertCheck(() -> read(b), "merkle-root");
        // The root of the entries in another order is wrong too (order is part of the tree).
        List<Hash> reversed = new ArrayList<>(entries.stream().map(Entry::hash).toList()).reversed();
        byte[] b2 = SnapshotFixtures.encodeUnchecked(1, "s", entries, SnapshotFixtures.rfc6962Root(reversed));
        assertCheck(() -> read(b2), "merkle-root");
    }

    @Test
    void shouldRefuseAnInvalidStreamNameInTheHeader() {
        for (String bad : List.of("", "a\0b")) {
            byte[] b = new SnapshotFixtures.Raw().header(bad, 0).hash(Hash.sha256(new byte[0])).str(new byte[0]).sealed();
            assertCheck(() -> read(b), "stream-name");
        }
    }

    @Test
    void shouldRefuseNonCanonicalMetadataEvenWithARightTrailer() {
        Entry e = SnapshotFixtures.chain(List.of(SnapshotFixtures.entry("s", 1, "id", "", 0,
                Map.of("a", "1", "b", "2"), new byte[0]))).getFirst();
        byte[][] a = {"a".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8)};
        byte[][] b = {"b".getBytes(StandardCharsets.UTF_8), "2".getBytes(StandardCharsets.UTF_8)};
        byte[][] emptyKey = {new byte[0], new byte[0]};
        byte[][] badUtf8 = {new byte[] {'c'}, new byte[] {(byte) 0xC0, (byte) 0xAF}}; // overlong '/'

        assertCheck(() -> read(sealedWithMetadata(e, List.of(b, a))), "encoding");
        assertCheck(() -> read(sealedWithMetadata(e, List.of(a, a))), "encoding");
        assertCheck(() -> read(sealedWithMetadata(e, List.<byte[][]>of(emptyKey))), "encoding");
        assertCheck(() -> read(sealedWithMetadata(e, List.of(a, b, badUtf8))), "encoding");
        // The canonical order itself is accepted: the helper is not what fails.
        assertThat(read(sealedWithMetadata(e, List.of(a, b))).entries()).hasSize(1);
    }

    private static byte[] sealedWithMetadata(Entry e, List<byte[][]> pairs) {
        return new SnapshotFixtures.Raw().header("s", 1).entry(e, pairs).hash(root(List.of(e))).str(new byte[0]).sealed();
    }

    private static Entry reseq(Entry e, long seq) {
        Entry r = new Entry(e.stream(), seq, e.position(), e.id(), e.key(), e.timestampNs(), e.metadata(), e.payload(),
                e.prevHash(), Hash.ZERO);
        return r.withHash(EntryHasher.hash(r));
    }

    private static Hash root(List<Entry> entries) { return SnapshotFixtures.rfc6962Root(entries.stream().map(Entry::hash).toList()); }

    /** Encodes with a right trailer and root so that only the inner check can fail, and expects it at that seq. */
    private static void assertInner(List<Entry> entries, String check, long seq) {
        byte[] b = SnapshotFixtures.encodeUnchecked(1, "s", entries, root(entries));
        assertCheck(() -> read(b), check);
        try {
            read(b);
        } catch (QuireException e) {
            assertThat(e.where().seq()).as(e.getMessage()).isEqualTo(seq);
            assertThat(e.getMessage()).contains("seq=" + seq);
        }
    }

    /** Reads a damaged snapshot, which must be refused with a named check; returns the check's name. */
    private static String refusedCheck(byte[] damaged, String what) {
        try {
            read(damaged);
        } catch (QuireException e) {
            assertThat(e.kind()).as(seedNote() + " " + what + ": " + e.getMessage()).isEqualTo(ErrorKind.INVALID_INPUT);
            String msg = e.getMessage();
            assertThat(msg).as(what).startsWith(SnapshotCheck.PREFIX);
            String name = msg.substring(SnapshotCheck.PREFIX.length(), msg.indexOf(':', SnapshotCheck.PREFIX.length()));
            assertThat(CHECK_NAMES).as(what + ": " + msg).contains(name);
            return name;
        } catch (Throwable t) {
            throw new AssertionError(seedNote() + " " + what + ": expected a QuireException, got " + t, t);
        }
        return fail(seedNote() + " " + what + ": a damaged snapshot was accepted");
    }

    private static byte[] goldenBytes() {
        try {
            return java.nio.file.Files.readAllBytes(SnapshotCodecTest.GOLDEN);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
