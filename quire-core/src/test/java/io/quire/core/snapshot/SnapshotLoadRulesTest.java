package io.quire.core.snapshot;

import io.quire.core.Draft;
import io.quire.core.Durability;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.LoadResult;
import io.quire.core.QuireException;
import io.quire.core.model.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.quire.core.model.TestSupport.assertChain;
import static io.quire.core.model.TestSupport.assertSameEntries;
import static io.quire.core.model.TestSupport.expectQuire;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §3.3, every load rule, through {@link Ledger#snapshot} and {@link Ledger#load} on real
 * ledgers: exact restore, suffix only, idempotent reload, divergent history and fail_if_exists
 * refused, re-chaining under another name, damaged input refused before anything is written,
 * never a renumbered or duplicated seq.
 */
class SnapshotLoadRulesTest {
    @TempDir Path tmp;

    private int ledgers;

    private Ledger newLedger() {
        Path d = tmp.resolve("l" + (ledgers++));
        Ledger.init(d);
        return Ledger.open(d, LedgerOptions.defaults().withDurability(Durability.NONE));
    }

    private static byte[] snapshot(Ledger l, String stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        l.snapshot(stream, out);
        return out.toByteArray();
    }

    private static LoadResult load(Ledger l, String stream, byte[] snap, boolean failIfExists) {
        return l.load(stream, new ByteArrayInputStream(snap), failIfExists);
    }

    /** Appends n varied entries (keys, metadata, ids, payload sizes) to {@code stream}. */
    private static List<Entry> fill(Ledger l, String stream, int from, int n, Random rnd) {
        List<Entry> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            byte[] p = new byte[rnd.nextInt(300)];
            rnd.nextBytes(p);
            Draft d = new Draft(rnd.nextBoolean() ? "id-" + stream + "-" + i : null, i % 3 == 0 ? "facts" : "",
                    new java.util.TreeMap<>(Map.of("i", String.valueOf(i), "ü", "v" + rnd.nextInt(9))), p);
            out.add(l.append(stream, d));
        }
        return out;
    }

    /** Seqs of the stream are 1..n, chained, and its head matches; ledger-wide verify passes. */
    private static void assertContiguous(Ledger l, String stream) {
        List<Entry> es = l.read(stream, 0, 0, null);
        assertChain(es, stream);
        if (!es.isEmpty()) assertThat(l.stream(stream).orElseThrow().lastSeq()).isEqualTo(es.size());
        assertThat(l.verify((d, t, w) -> { }, true).failures()).isEmpty();
    }

    // Invariants checked: a snapshot loaded into an empty stream of an empty ledger restores every
    // seq, id, key, metadata, payload, timestamp, prev_hash and hash exactly; read() of the two
    // ledgers is equal but for positions; the ids are found; LoadResult counts n; the restored
    // stream's own snapshot is byte-identical apart from created_at.
    @Test
    void shouldRestoreExactlyIntoAnEmptyStream() {
        TestSupport.withSeed(TestSupport.seed(), seed -> {
            try (Ledger a = newLedger(); Ledger b = newLedger()) {
                a.append("other", Draft.of("shifts positions"));
                List<Entry> src = fill(a, "ctx/src", 0, 40, new Random(seed));
                byte[] snap = snapshot(a, "ctx/src");
                assertThat(load(b, "ctx/src", snap, true)).isEqualTo(new LoadResult(40, 40));
                List<Entry> got = b.read("ctx/src", 0, 0, null);
                assertSameEntries(src, got, false, "restored");
                for (Entry e : got) assertThat(e.position()).isEqualTo(e.seq() - 1);
                assertThat(b.size()).isEqualTo(40);
                assertThat(b.stream("ctx/src").orElseThrow().lastHash()).isEqualTo(src.getLast().hash());
                for (Entry e : src) assertThat(b.findById("ctx/src", e.id())).isPresent();
                byte[] again = snapshot(b, "ctx/src");
                int createdAt = SnapshotCodec.OFF_CREATED_AT_NS_64;
                assertThat(Arrays.copyOfRange(again, createdAt + 8, again.length - 32))
                        .isEqualTo(Arrays.copyOfRange(snap, createdAt + 8, snap.length - 32));
                // Appending after a restore continues the chain.
                Entry next = b.append("ctx/src", Draft.of("next"));
                assertThat(next.seq()).isEqualTo(41);
                assertThat(next.prevHash()).isEqualTo(src.getLast().hash());
                assertContiguous(b, "ctx/src");
            }
        });
    }

    // Invariants checked: a stream holding the first k entries of a snapshot (made by loading an
    // earlier snapshot) gets only k+1..n appended, with LoadResult (n-k, n); loading the same
    // snapshot again restores 0; an older (shorter) snapshot of the same history is a no-op with
    // latestSeq = the stream's; seqs stay contiguous after every load.
    @Test
    void shouldAppendOnlyTheMissingSuffixAndBeANoOpTheSecondTime() {
        TestSupport.withSeed(TestSupport.seed(), seed -> {
            Random rnd = new Random(seed);
            try (Ledger a = newLedger(); Ledger b = newLedger()) {
                List<Entry> first = fill(a, "s", 0, 7, rnd);
                byte[] s7 = snapshot(a, "s");
                List<Entry> rest = fill(a, "s", 7, 12, rnd);
                byte[] s19 = snapshot(a, "s");
                List<Entry> all = new ArrayList<>(first);
                all.addAll(rest);

                assertThat(load(b, "s", s7, false)).isEqualTo(new LoadResult(7, 7));
                b.append("elsewhere", Draft.of("between loads"));
                long sizeBefore = b.size();
                assertThat(load(b, "s", s19, false)).isEqualTo(new LoadResult(12, 19));
                assertThat(b.size()).isEqualTo(sizeBefore + 12);
                assertSameEntries(all, b.read("s", 0, 0, null), false, "after suffix load");
                assertContiguous(b, "s");

                assertThat(load(b, "s", s19, false)).isEqualTo(new LoadResult(0, 19));
                assertThat(load(b, "s", s7, false)).isEqualTo(new LoadResult(0, 19));
                assertThat(b.size()).isEqualTo(sizeBefore + 12);
                // Into the source itself: already all there.
                assertThat(load(a, "s", s19, false)).isEqualTo(new LoadResult(0, 19));
                assertThat(a.size()).isEqualTo(19);
                assertContiguous(b, "s");
            }
        });
    }

    // Invariants checked: a stream that differs from the snapshot at some seq (a local append after
    // a common prefix, or a different first entry) is refused with CONFLICT "divergent_history"
    // naming the seq; nothing is written (size, head and entries unchanged), and it stays
    // refusable (the refusal changed no state).
    @Test
    void shouldRefuseLoadWhenHistoryDiverges() {
        TestSupport.withSeed(TestSupport.seed(), seed -> {
            Random rnd = new Random(seed);
            try (Ledger a = newLedger(); Ledger b = newLedger()) {
                fill(a, "s", 0, 5, rnd);
                byte[] s5 = snapshot(a, "s");
                fill(a, "s", 5, 5, rnd);
                byte[] s10 = snapshot(a, "s");
                load(b, "s", s5, false);
                b.append("s", Draft.of("local seq 6"));
                fill(b, "t", 0, 3, rnd);
                for (String[] c : new String[][] {{"s", "seq 6"}, {"t", "seq 1"}}) {
                    long size = b.size();
                    List<Entry> before = b.read(c[0], 0, 0, null);
                    for (int attempt = 0; attempt < 2; attempt++) {
                        QuireException q = expectQuire(ErrorKind.CONFLICT, () -> load(b, c[0], s10, false));
                        assertThat(q.code()).isEqualTo("divergent_history");
                        assertThat(q.getMessage()).contains(c[1]);
                    }
                    assertThat(b.size()).isEqualTo(size);
                    assertSameEntries(before, b.read(c[0], 0, 0, null), true, "after a refused load");
                    assertContiguous(b, c[0]);
                }
                // The shorter snapshot diverges at seq 6 only if it reaches seq 6: s5 is a prefix of b's s.
                assertThat(load(b, "s", s5, false)).isEqualTo(new LoadResult(0, 6));
            }
        });
    }

    // Invariants checked: fail_if_exists on a non-empty stream is CONFLICT "already_exists" and
    // writes nothing, even when the stream is a prefix of the snapshot; on an empty stream
    // (including one only watched) it loads.
    @Test
    void shouldRefuseFailIfExistsOnANonEmptyStream() throws Exception {
        try (Ledger a = newLedger(); Ledger b = newLedger()) {
            fill(a, "s", 0, 4, new Random(1));
            byte[] s4 = snapshot(a, "s");
            fill(a, "s", 4, 2, new Random(2));
            byte[] s6 = snapshot(a, "s");
            var w = b.watch("s", 0, null, e -> { });
            assertThat(load(b, "s", s4, true)).isEqualTo(new LoadResult(4, 4));
            w.close();
            long size = b.size();
            for (byte[] snap : List.of(s4, s6)) {
                QuireException q = expectQuire(ErrorKind.CONFLICT, () -> load(b, "s", snap, true));
                assertThat(q.code()).isEqualTo("already_exists");
                assertThat(b.size()).isEqualTo(size);
            }
            QuireException q = expectQuire(ErrorKind.CONFLICT, () -> load(a, "s", s6, true));
            assertThat(q.code()).isEqualTo("already_exists");
            assertThat(a.size()).isEqualTo(6);
            assertContiguous(b, "s");
        }
    }

    // Invariants checked: loading into another stream name keeps seq, id, key, metadata, payload
    // and timestamp of every entry and re-chains: new hashes over the new name whose prev_hash
    // chain verifies from Hash.ZERO; the source is untouched; loading it again is a no-op; a
    // longer snapshot of the same source extends the moved stream (re-chaining is deterministic);
    // and the moved stream survives reopen (recovery re-checks the chain).
    @Test
    void shouldRechainWhenLoadingIntoAnotherStreamName() {
        TestSupport.withSeed(TestSupport.seed(), seed -> {
            Random rnd = new Random(seed);
            Path bdir;
            List<Entry> moved;
            try (Ledger a = newLedger(); Ledger b = newLedger()) {
                bdir = b.dir();
                List<Entry> src = fill(a, "ctx/old", 0, 9, rnd);
                byte[] s9 = snapshot(a, "ctx/old");
                List<Entry> srcMore = new ArrayList<>(src);
                srcMore.addAll(fill(a, "ctx/old", 9, 3, rnd));
                byte[] s12 = snapshot(a, "ctx/old");

                assertThat(load(a, "ctx/new", s9, true)).isEqualTo(new LoadResult(9, 9));
                assertThat(load(b, "ctx/new", s9, true)).isEqualTo(new LoadResult(9, 9));
                for (Ledger l : List.of(a, b)) {
                    List<Entry> got = l.read("ctx/new", 0, 0, null);
                    assertThat(got).hasSize(9);
                    for (int i = 0; i < 9; i++) {
                        Entry o = src.get(i);
                        Entry n = got.get(i);
                        assertThat(n.stream()).isEqualTo("ctx/new");
                        assertThat(n.seq()).isEqualTo(o.seq());
                        assertThat(n.id()).isEqualTo(o.id());
                        assertThat(n.key()).isEqualTo(o.key());
                        assertThat(n.metadata()).isEqualTo(o.metadata());
                        assertThat(n.payload()).isEqualTo(o.payload());
                        assertThat(n.timestampNs()).isEqualTo(o.timestampNs());
                        assertThat(n.hash()).isNotEqualTo(o.hash());
                    }
                    assertChain(got, "moved stream");
                    assertThat(l.findById("ctx/new", src.get(3).id())).map(Entry::seq).contains(4L);
                    assertContiguous(l, "ctx/new");
                }
                assertSameEntries(srcMore, a.read("ctx/old", 0, 0, null), true, "source after the move");
                assertThat(load(b, "ctx/new", s9, false)).isEqualTo(new LoadResult(0, 9));
                assertThat(load(b, "ctx/new", s12, false)).isEqualTo(new LoadResult(3, 12));
                moved = b.read("ctx/new", 0, 0, null);
                assertChain(moved, "moved stream extended");
                assertSameEntries(a.read("ctx/new", 0, 0, null), moved.subList(0, 9), false, "moves in two ledgers agree");
            }
            try (Ledger b = Ledger.open(bdir)) {
                assertSameEntries(moved, b.read("ctx/new", 0, 0, null), true, "moved stream after reopen");
            }
        });
    }

    // Invariants checked: damaged snapshots — a flipped byte anywhere (sampled), a flipped payload
    // byte (trailer), the same with the trailer recomputed (entry-hash), a broken chain with
    // correct hashes (chain), a wrong stream root (merkle-root), a truncation at many points
    // (truncated), a newer format version (version), bad magic — are refused with INVALID_INPUT
    // naming the check, into the same stream name and into another, and nothing is written.
    @Test
    void shouldRefuseDamagedSnapshotsNamingTheCheckAndWriteNothing() {
        TestSupport.withSeed(TestSupport.seed(), seed -> {
            Random rnd = new Random(seed);
            try (Ledger a = newLedger(); Ledger b = newLedger()) {
                List<Entry> src = fill(a, "s", 0, 3, rnd);
                a.append("s", Draft.of("PAYLOAD-MARKER"));
                byte[] good = snapshot(a, "s");
                load(b, "s", Arrays.copyOf(good, good.length), false); // b holds all of it: nothing left to add
                b.append("keep", Draft.of("x"));
                long sizeB = b.size();

                int marker = indexOf(good, "PAYLOAD-MARKER".getBytes(StandardCharsets.UTF_8));
                byte[] payloadFlip = good.clone();
                payloadFlip[marker] ^= 0x01;
                refuse(b, payloadFlip, "trailer", sizeB);
                refuse(b, reseal(payloadFlip), "entry-hash", sizeB);

                byte[] v2 = good.clone();
                v2[SnapshotCodec.OFF_FORMAT_VERSION_16 + 1] = 2;
                refuse(b, v2, "version", sizeB);
                refuse(b, reseal(v2), "version", sizeB);
                byte[] magic = good.clone();
                magic[0] = 'X';
                refuse(b, magic, "magic", sizeB);

                for (int cut : new int[] {0, 5, 9, SnapshotCodec.OFF_STREAM_NAME + 1, good.length / 3, good.length / 2, good.length - 33, good.length - 1}) {
                    refuse(b, Arrays.copyOf(good, cut), "truncated", sizeB);
                }
                byte[] longer = Arrays.copyOf(good, good.length + 1);
                refuse(b, longer, "trailer", sizeB);

                // Correct hashes, broken chain: entry 2 links to nothing.
                List<Entry> chained = SnapshotFixtures.chain(src.stream().map(e -> e.withPosition(-1)).toList());
                Entry e2 = chained.get(1);
                Entry unlinked = new Entry(e2.stream(), e2.seq(), -1, e2.id(), e2.key(), e2.timestampNs(), e2.metadata(), e2.payload(), Hash.sha256(new byte[] {7}), Hash.ZERO);
                unlinked = unlinked.withHash(io.quire.core.EntryHasher.hash(unlinked));
                List<Entry> broken = new ArrayList<>(chained);
                broken.set(1, unlinked);
                byte[] chainBroken = SnapshotFixtures.encodeUnchecked(1, "s", broken, SnapshotFixtures.rfc6962Root(broken.stream().map(Entry::hash).toList()));
                refuse(b, chainBroken, "chain", sizeB);
                byte[] badRoot = SnapshotFixtures.encodeUnchecked(1, "s", chained, Hash.sha256(new byte[] {1}));
                refuse(b, badRoot, "merkle-root", sizeB);

                // A sample of single-byte flips anywhere: always refused, never anything but INVALID_INPUT.
                for (int i = 0; i < 64; i++) {
                    byte[] f = good.clone();
                    int at = rnd.nextInt(f.length);
                    f[at] ^= (byte) (1 << rnd.nextInt(8));
                    refuse(b, f, null, sizeB);
                }
                assertContiguous(b, "s");
            }
        });
    }

    private static void refuse(Ledger l, byte[] snap, String check, long size) {
        for (String target : List.of("s", "fresh/target")) {
            QuireException q = expectQuire(ErrorKind.INVALID_INPUT, () -> load(l, target, snap, false));
            assertThat(q.getMessage()).startsWith("snapshot check failed: ");
            if (check != null) assertThat(q.getMessage()).as(q.getMessage()).startsWith("snapshot check failed: " + check + ": ");
            assertThat(l.size()).as("size after refusing " + check).isEqualTo(size);
            assertThat(l.stream("fresh/target")).isEmpty();
        }
    }

    private static byte[] reseal(byte[] snap) {
        byte[] out = snap.clone();
        MessageDigest md = Hash.sha256();
        md.update(out, 0, out.length - 32);
        System.arraycopy(md.digest(), 0, out, out.length - 32, 32);
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("marker not found");
    }

    // Invariants checked: a snapshot whose entries reuse one id (hashes and chain correct, so only
    // the id rule can catch it) is refused with CONFLICT "id_reused" and writes nothing, so a
    // stream never holds two entries with one id; an empty snapshot loads as (0, 0) and creates
    // nothing.
    @Test
    void shouldRefuseASnapshotThatReusesAnIdAndAcceptAnEmptyOne() {
        try (Ledger b = newLedger()) {
            List<Entry> dup = SnapshotFixtures.chain(List.of(
                    SnapshotFixtures.entry("s", 1, "same", "", 1, Map.of(), new byte[] {1}),
                    SnapshotFixtures.entry("s", 2, "same", "", 2, Map.of(), new byte[] {2})));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SnapshotCodec.write(out, "s", dup, new byte[0]);
            for (String target : List.of("s", "moved")) {
                QuireException q = expectQuire(ErrorKind.CONFLICT, () -> load(b, target, out.toByteArray(), false));
                assertThat(q.code()).isEqualTo("id_reused");
                assertThat(b.size()).isZero();
                assertThat(b.streams()).isEmpty();
            }
            ByteArrayOutputStream empty = new ByteArrayOutputStream();
            SnapshotCodec.write(empty, "s", List.of(), new byte[0]);
            assertThat(load(b, "s", empty.toByteArray(), true)).isEqualTo(new LoadResult(0, 0));
            assertThat(b.size()).isZero();
            assertThat(b.streams()).isEmpty();
        }
    }

    // Invariants checked: snapshot of a stream never written, of one only watched, and of an
    // invalid name are refused (NOT_FOUND / INVALID_INPUT) and write nothing to the output.
    @Test
    void shouldRefuseSnapshotOfAnEmptyOrUnknownStream() {
        try (Ledger a = newLedger()) {
            a.append("real", Draft.of("x"));
            var w = a.watch("watched-only", 0, null, e -> { });
            for (String s : List.of("unknown", "watched-only")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                expectQuire(ErrorKind.NOT_FOUND, () -> a.snapshot(s, out));
                assertThat(out.size()).isZero();
            }
            expectQuire(ErrorKind.INVALID_INPUT, () -> a.snapshot("", new ByteArrayOutputStream()));
            w.close();
        }
    }
}
