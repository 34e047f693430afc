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
        MessageDigest md = Hash.sha256();
        byte[] scratch = new byte[8];
        md.update((byte) HASH_FORMAT_VERSION);
        str(md, scratch, stream);
        u64(md, scratch, seq);
        str(md, scratch, id);
        str(md, scratch, key);
        u64(md, scratch, timestampNs);
        byte[][] keys = new byte[metadata.size()][];
        byte[][] vals = new byte[metadata.size()][];
        int i = 0;
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            keys[i] = m.getKey().getBytes(StandardCharsets.UTF_8);
            vals[i] = m.getValue().getBytes(StandardCharsets.UTF_8);
            i++;
        }
        Integer[] order = new Integer[keys.length];
        for (int k = 0; k < order.length; k++) order[k] = k;
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
        u32(md, scratch, keys.length);
        for (int k : order) {
            bytes(md, scratch, keys[k]);
            bytes(md, scratch, vals[k]);
        }
        bytes(md, scratch, payload);
        prevHash.update(md);
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
