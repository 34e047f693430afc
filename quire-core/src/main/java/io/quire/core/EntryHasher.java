package io.quire.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;

/**
 * The canonical encoding of an entry and its SHA-256 hash (docs/FORMAT.md, "Entry hash").
 * Every field except position and hash is covered, in this order, big-endian:
 *
 * <pre>
 *   u8  HASH_FORMAT_VERSION (= 1)
 *   u32 len, stream (UTF-8)
 *   u64 seq
 *   u32 len, id (UTF-8)
 *   u32 len, key (UTF-8)
 *   i64 timestamp_ns
 *   u32 metadata count, then per entry sorted by key's UTF-8 bytes (unsigned):
 *       u32 len, key (UTF-8), u32 len, value (UTF-8)
 *   u32 len, payload
 *   32  prev_hash
 * </pre>
 */
public final class EntryHasher {
    public static final int HASH_FORMAT_VERSION = 1;

    private EntryHasher() {}

    public static Hash hash(Entry e) {
        return hash(e.stream(), e.seq(), e.id(), e.key(), e.timestampNs(), e.metadata(), e.payload(), e.prevHash());
    }

    public static Hash hash(String stream, long seq, String id, String key, long timestampNs,
                            Map<String, String> metadata, byte[] payload, Hash prevHash) {
        // One buffer, one digest update: many small updates cost more than the hashing itself
        // (measured on the writer's hot path with JFR).
        byte[] streamB = stream.getBytes(StandardCharsets.UTF_8);
        byte[] idB = id.getBytes(StandardCharsets.UTF_8);
        byte[] keyB = key.getBytes(StandardCharsets.UTF_8);
        int n = metadata.size();
        byte[][] keys = new byte[n][];
        byte[][] vals = new byte[n][];
        int len = 1 + 4 + streamB.length + 8 + 4 + idB.length + 4 + keyB.length + 8 + 4 + 4 + payload.length + Hash.BYTES;
        int i = 0;
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            keys[i] = m.getKey().getBytes(StandardCharsets.UTF_8);
            vals[i] = m.getValue().getBytes(StandardCharsets.UTF_8);
            len += 8 + keys[i].length + vals[i].length;
            i++;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(len).order(java.nio.ByteOrder.BIG_ENDIAN);
        b.put((byte) HASH_FORMAT_VERSION);
        b.putInt(streamB.length).put(streamB);
        b.putLong(seq);
        b.putInt(idB.length).put(idB);
        b.putInt(keyB.length).put(keyB);
        b.putLong(timestampNs);
        b.putInt(n);
        if (n > 1) {
            Integer[] order = new Integer[n];
            for (int k = 0; k < n; k++) order[k] = k;
            Arrays.sort(order, (x, y) -> Arrays.compareUnsigned(keys[x], keys[y]));
            for (int k : order) b.putInt(keys[k].length).put(keys[k]).putInt(vals[k].length).put(vals[k]);
        } else if (n == 1) {
            b.putInt(keys[0].length).put(keys[0]).putInt(vals[0].length).put(vals[0]);
        }
        b.putInt(payload.length).put(payload);
        prevHash.putTo(b);
        assert b.position() == len : "bad math in EntryHasher: " + b.position() + " != " + len;
        MessageDigest md = Hash.sha256();
        md.update(b.array(), 0, len);
        return Hash.finish(md);
    }

    /** The canonical bytes themselves (for docs, golden tests and external verifiers). */
    public static byte[] canonicalBytes(Entry e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageDigest capture = new MessageDigest("capture") {
            @Override protected void engineUpdate(byte input) { out.write(input); }
            @Override protected void engineUpdate(byte[] input, int offset, int len) { out.write(input, offset, len); }
            @Override protected byte[] engineDigest() { return new byte[0]; }
            @Override protected void engineReset() { out.reset(); }
        };
        byte[] scratch = new byte[8];
        capture.update((byte) HASH_FORMAT_VERSION);
        str(capture, scratch, e.stream());
        u64(capture, scratch, e.seq());
        str(capture, scratch, e.id());
        str(capture, scratch, e.key());
        u64(capture, scratch, e.timestampNs());
        var sorted = new java.util.TreeMap<byte[], byte[]>(Arrays::compareUnsigned);
        e.metadata().forEach((k, v) -> sorted.put(k.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8)));
        u32(capture, scratch, sorted.size());
        sorted.forEach((k, v) -> { bytes(capture, scratch, k); bytes(capture, scratch, v); });
        bytes(capture, scratch, e.payload());
        e.prevHash().update(capture);
        return out.toByteArray();
    }

    private static void str(MessageDigest md, byte[] scratch, String s) { bytes(md, scratch, s.getBytes(StandardCharsets.UTF_8)); }

    private static void bytes(MessageDigest md, byte[] scratch, byte[] b) {
        u32(md, scratch, b.length);
        md.update(b);
    }

    private static void u32(MessageDigest md, byte[] s, int v) {
        s[0] = (byte) (v >>> 24); s[1] = (byte) (v >>> 16); s[2] = (byte) (v >>> 8); s[3] = (byte) v;
        md.update(s, 0, 4);
    }

    private static void u64(MessageDigest md, byte[] s, long v) {
        for (int i = 0; i < 8; i++) s[i] = (byte) (v >>> (56 - 8 * i));
        md.update(s, 0, 8);
    }
}
