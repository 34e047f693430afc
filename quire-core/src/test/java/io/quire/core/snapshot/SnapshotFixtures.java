package io.quire.core.snapshot;

import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.Hash;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Entries, snapshots and an independent encoder of the documented layout, for the snapshot tests. */
final class SnapshotFixtures {
    static final long SEED = Long.getLong("quire.test.seed", System.nanoTime());
    static final long CREATED_AT_NS = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

    private SnapshotFixtures() {}

    static String seedNote() { return "seed=" + SEED + " (replay with -Dquire.test.seed=" + SEED + ")"; }

    /** One unchained entry; {@link #chain} fills in prev_hash and hash. Position is deliberately not -1. */
    static Entry entry(String stream, long seq, String id, String key, long timestampNs, Map<String, String> metadata, byte[] payload) {
        return new Entry(stream, seq, 1000 + seq, id, key, timestampNs, Entry.sortedCopy(metadata), payload, Hash.ZERO, Hash.ZERO);
    }

    /** Links the entries in order (seq 1 gets Hash.ZERO) and gives each its correct hash. */
    static List<Entry> chain(List<Entry> unchained) {
        List<Entry> out = new ArrayList<>();
        Hash prev = Hash.ZERO;
        for (Entry e : unchained) {
            Entry linked = new Entry(e.stream(), e.seq(), e.position(), e.id(), e.key(), e.timestampNs(), e.metadata(),
                    e.payload(), prev, Hash.ZERO);
            linked = linked.withHash(EntryHasher.hash(linked));
            out.add(linked);
            prev = linked.hash();
        }
        return out;
    }

    /** The fixed two entries of the golden file; never change them (the file would no longer match). */
    static List<Entry> goldenEntries() {
        String stream = "ctx/golden-é";
        return chain(List.of(
                entry(stream, 1, "id-1", "facts", 1_767_225_600_123_456_789L,
                        // U+FFFD and U+1F600 sort one way in UTF-16 (String order) and the
                        // other in UTF-8 (canonical order), so the file pins the canonical one.
                        Map.of("b", "2", "a", "1", "\uD83D\uDE00", "above the BMP: last in UTF-8", "\uFFFD", "in the BMP: first in UTF-8"),
                        "first payload".getBytes(StandardCharsets.UTF_8)),
                entry(stream, 2, "id-2", "", 1_767_225_601_000_000_000L, Map.of(), new byte[] {0, 1, 2, (byte) 0xFF})));
    }

    static final byte[] GOLDEN_CHECKPOINT = "quire.test/golden\n2\nAAAA\n".getBytes(StandardCharsets.UTF_8);

    /** {@code n} random chained entries of a stream (seeded). */
    static List<Entry> randomEntries(String stream, int n, Random rnd) {
        List<Entry> raw = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Map<String, String> md = new TreeMap<>();
            int mdCount = rnd.nextInt(4);
            for (int m = 0; m < mdCount; m++) md.put("k" + rnd.nextInt(100), "v" + rnd.nextLong());
            byte[] payload = new byte[rnd.nextInt(40)];
            rnd.nextBytes(payload);
            raw.add(entry(stream, i, "id-" + i + "-" + rnd.nextInt(1000), rnd.nextBoolean() ? "facts" : "", rnd.nextLong(), md, payload));
        }
        return chain(raw);
    }

    static byte[] write(String stream, List<Entry> entries, byte[] checkpoint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.write(out, stream, entries, checkpoint, CREATED_AT_NS);
        return out.toByteArray();
    }

    /** The codec's unchecked encoder: right trailer, possibly wrong content. */
    static byte[] encodeUnchecked(int version, String stream, List<Entry> entries, Hash root) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.encode(out, version, stream, entries, root, new byte[0], CREATED_AT_NS);
        return out.toByteArray();
    }

    /**
     * An encoder written from the layout in the docs, independent of SnapshotCodec, so a test can
     * build any byte sequence (duplicate metadata keys, bad UTF-8) and still end it with a
     * correct trailer.
     */
    static final class Raw {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Raw bytes(byte[] b) { out.writeBytes(b); return this; }

        Raw u16(int v) { return bytes(ByteBuffer.allocate(2).order(ByteOrder.BIG_ENDIAN).putShort((short) v).array()); }

        Raw u32(long v) { return bytes(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt((int) v).array()); }

        Raw u64(long v) { return bytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(v).array()); }

        Raw str(byte[] b) { return u32(b.length).bytes(b); }

        Raw str(String s) { return str(s.getBytes(StandardCharsets.UTF_8)); }

        Raw hash(Hash h) { return bytes(h.toBytes()); }

        Raw header(String stream, long count) {
            return bytes(new byte[] {'Q', 'S', 'N', 'A', 'P', 0, 0, 1}).u16(1).u16(0).u64(CREATED_AT_NS).str(stream).u64(count);
        }

        /** An entry with the metadata pairs exactly as given (raw order, raw bytes). */
        Raw entry(Entry e, List<byte[][]> metadataPairs) {
            u64(e.seq()).str(e.id()).str(e.key()).u64(e.timestampNs()).u32(metadataPairs.size());
            for (byte[][] kv : metadataPairs) str(kv[0]).str(kv[1]);
            return str(e.payload()).hash(e.prevHash()).hash(e.hash());
        }

        Raw entry(Entry e) {
            List<byte[][]> pairs = new ArrayList<>();
            TreeMap<byte[], byte[]> sorted = new TreeMap<>(java.util.Arrays::compareUnsigned);
            e.metadata().forEach((k, v) -> sorted.put(k.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8)));
            sorted.forEach((k, v) -> pairs.add(new byte[][] {k, v}));
            return entry(e, pairs);
        }

        byte[] withoutTrailer() { return out.toByteArray(); }

        /** Appends SHA-256 of everything so far. */
        byte[] sealed() {
            byte[] body = out.toByteArray();
            MessageDigest md = Hash.sha256();
            md.update(body);
            out.writeBytes(md.digest());
            return out.toByteArray();
        }
    }

    /** RFC 6962 root computed iteratively (tlog-style stack of full subtrees), independent of the codec's recursion. */
    static Hash rfc6962Root(List<Hash> leaves) {
        if (leaves.isEmpty()) return Hash.sha256(new byte[0]);
        List<Hash> stack = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            stack.add(nodeHash((byte) 0, leaves.get(i), null));
            // Merge while the number of leaves so far has trailing 1 bits: those subtrees are complete.
            for (int n = i + 1; (n & 1) == 0; n >>= 1) {
                Hash r = stack.removeLast();
                Hash l = stack.removeLast();
                stack.add(nodeHash((byte) 1, l, r));
            }
        }
        Hash acc = stack.removeLast();
        while (!stack.isEmpty()) acc = nodeHash((byte) 1, stack.removeLast(), acc);
        return acc;
    }

    private static Hash nodeHash(byte prefix, Hash a, Hash b) {
        MessageDigest md = Hash.sha256();
        md.update(prefix);
        a.update(md);
        if (b != null) b.update(md);
        return Hash.finish(md);
    }
}
