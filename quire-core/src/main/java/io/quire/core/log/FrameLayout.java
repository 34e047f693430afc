package io.quire.core.log;

import io.quire.core.Entry;
import io.quire.core.Hash;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Owner of every byte layout in a log segment (docs/FORMAT.md "Log segments"). All integers are
 * big-endian.
 *
 * <pre>
 * Segment header (SEGMENT_HEADER_BYTES = 32):
 *   0       8       12      16              24      28      32
 *   +-------+-------+-------+---------------+-------+-------+
 *   | magic | fmt   | flags | first position| rsvd  | crc32c|   crc over bytes [0,28)
 *   +-------+-------+-------+---------------+-------+-------+
 *   magic = "QUIRELOG", fmt = 1
 *
 * Every frame:
 *   0        4        8     9
 *   +--------+--------+-----+---- body ----+
 *   | length | crc32c | type|               |   length = whole frame in bytes;
 *   +--------+--------+-----+---------------+   crc over [0,4) ++ [8,length)
 *
 * ENTRY frame (type 1), fixed part ENTRY_FIXED_BYTES = 116:
 *   9  u8  reserved (0)      10 u16 metadata count   12 u32 stream id
 *   16 u64 position          24 u64 seq              32 i64 timestamp_ns
 *   40 32B prev_hash         72 32B hash
 *   104 u16 id length        106 u16 key length      108 u32 payload length
 *   112 u32 metadata block length
 *   116 id | key | metadata block ((u32 klen, k, u32 vlen, v) * count) | payload
 *
 * STREAM frame (type 3): defines a stream id before its first entry.
 *   9 u8 reserved  10 u16 name length  12 u32 stream id  16 name (UTF-8)
 *
 * COMMIT frame (type 2), COMMIT_FRAME_BYTES = 48: closes one group commit (a batch).
 *   9  3B reserved           12 u32 entry count      16 u64 first position
 *   24 u64 batch start offset (segment offset of the batch's first frame)
 *   32 u32 batch bytes (from batch start to this frame)   36 u32 crc32c of those bytes
 *   40 i64 commit timestamp_ns (never 0)
 * </pre>
 *
 * The commit frame is what separates a torn tail from corruption: a batch is acknowledged only
 * after its commit frame is durable, so bytes after the last valid commit frame were never
 * acknowledged, while a damaged byte before a valid commit frame is corruption (see
 * {@link SegmentScanner}).
 */
public final class FrameLayout {
    private FrameLayout() {}

    public static final byte[] SEGMENT_MAGIC = "QUIRELOG".getBytes(StandardCharsets.US_ASCII);
    public static final int SEGMENT_FORMAT_VERSION = 1;
    public static final int SEGMENT_HEADER_BYTES = 32;
    static final int SEG_OFF_MAGIC_64 = 0;
    static final int SEG_OFF_FORMAT_32 = 8;
    static final int SEG_OFF_FLAGS_32 = 12;
    static final int SEG_OFF_FIRST_POSITION_64 = 16;
    static final int SEG_OFF_CRC_32 = 28;

    public static final int FRAME_OFF_LENGTH_32 = 0;
    public static final int FRAME_OFF_CRC_32 = 4;
    public static final int FRAME_OFF_TYPE_8 = 8;
    public static final int FRAME_HEADER_BYTES = 9;

    public static final byte TYPE_ENTRY = 1;
    public static final byte TYPE_COMMIT = 2;
    public static final byte TYPE_STREAM = 3;

    static final int E_OFF_META_COUNT_16 = 10;
    static final int E_OFF_STREAM_ID_32 = 12;
    static final int E_OFF_POSITION_64 = 16;
    static final int E_OFF_SEQ_64 = 24;
    static final int E_OFF_TIMESTAMP_64 = 32;
    static final int E_OFF_PREV_HASH_256 = 40;
    static final int E_OFF_HASH_256 = 72;
    static final int E_OFF_ID_LEN_16 = 104;
    static final int E_OFF_KEY_LEN_16 = 106;
    static final int E_OFF_PAYLOAD_LEN_32 = 108;
    static final int E_OFF_META_LEN_32 = 112;
    public static final int ENTRY_FIXED_BYTES = 116;

    static final int S_OFF_NAME_LEN_16 = 10;
    static final int S_OFF_STREAM_ID_32 = 12;
    static final int STREAM_FIXED_BYTES = 16;

    static final int C_OFF_COUNT_32 = 12;
    static final int C_OFF_FIRST_POSITION_64 = 16;
    static final int C_OFF_BATCH_START_64 = 24;
    static final int C_OFF_BATCH_BYTES_32 = 32;
    static final int C_OFF_BATCH_CRC_32 = 36;
    static final int C_OFF_TIMESTAMP_64 = 40;
    public static final int COMMIT_FRAME_BYTES = 48;

    /** Largest frame a reader accepts; anything larger is a damaged length field. */
    public static final int FRAME_BYTES_MAX = ENTRY_FIXED_BYTES + io.quire.core.Limits.ID_BYTES_MAX
            + io.quire.core.Limits.KEY_BYTES_MAX + io.quire.core.Limits.METADATA_BYTES_MAX
            + 8 * io.quire.core.Limits.METADATA_ENTRIES_MAX + io.quire.core.Limits.PAYLOAD_BYTES_MAX;

    static {
        // One maximal entry frame, its stream frame and a commit frame must fit a fresh segment.
        if (FRAME_BYTES_MAX + STREAM_FIXED_BYTES + io.quire.core.Limits.STREAM_NAME_BYTES_MAX
                + SEGMENT_HEADER_BYTES + COMMIT_FRAME_BYTES > io.quire.core.Limits.SEGMENT_BYTES_MIN) {
            throw new ExceptionInInitializerError("bad math in FrameLayout: a maximal frame does not fit a minimal segment");
        }
    }

    // ---------------------------------------------------------------- segment header

    public static ByteBuffer segmentHeader(long firstPosition) {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        b.put(SEG_OFF_MAGIC_64, SEGMENT_MAGIC);
        b.putInt(SEG_OFF_FORMAT_32, SEGMENT_FORMAT_VERSION);
        b.putInt(SEG_OFF_FLAGS_32, 0);
        b.putLong(SEG_OFF_FIRST_POSITION_64, firstPosition);
        b.putInt(SEG_OFF_CRC_32, crc(b, 0, SEG_OFF_CRC_32));
        return b;
    }

    /** Returns the first position stored in a valid header, or throws INTEGRITY naming the check. */
    public static long checkSegmentHeader(ByteBuffer b, String file) {
        if (b.remaining() < SEGMENT_HEADER_BYTES) throw QuireException.integrity("segment header is truncated", Where.file(file, 0));
        for (int i = 0; i < SEGMENT_MAGIC.length; i++) {
            if (b.get(i) != SEGMENT_MAGIC[i]) throw QuireException.integrity("segment header has a bad magic", Where.file(file, 0));
        }
        if (b.getInt(SEG_OFF_CRC_32) != crc(b, 0, SEG_OFF_CRC_32)) {
            throw QuireException.integrity("segment header checksum mismatch", Where.file(file, SEG_OFF_CRC_32));
        }
        int fmt = b.getInt(SEG_OFF_FORMAT_32);
        if (fmt != SEGMENT_FORMAT_VERSION) {
            throw QuireException.integrity("segment format version " + fmt + " is not supported (this Quire reads "
                    + SEGMENT_FORMAT_VERSION + ")", Where.file(file, SEG_OFF_FORMAT_32));
        }
        return b.getLong(SEG_OFF_FIRST_POSITION_64);
    }

    // ---------------------------------------------------------------- encoding

    /** Byte size of the ENTRY frame for these encoded fields. */
    public static int entryFrameBytes(byte[] id, byte[] key, int metaBlockBytes, int payloadBytes) {
        return ENTRY_FIXED_BYTES + id.length + key.length + metaBlockBytes + payloadBytes;
    }

    public static byte[] metadataBlock(SortedMap<String, String> metadata) {
        int n = 0;
        byte[][] kv = new byte[metadata.size() * 2][];
        int i = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            kv[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
            kv[i + 1] = e.getValue().getBytes(StandardCharsets.UTF_8);
            n += 8 + kv[i].length + kv[i + 1].length;
            i += 2;
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.BIG_ENDIAN);
        for (byte[] x : kv) b.putInt(x.length).put(x);
        return b.array();
    }

    /** Writes an ENTRY frame at the buffer's position (which advances past it). */
    public static void putEntry(ByteBuffer b, int streamId, Entry e, byte[] id, byte[] key, byte[] meta) {
        int start = b.position();
        int len = entryFrameBytes(id, key, meta.length, e.payload().length);
        b.putInt(start + FRAME_OFF_LENGTH_32, len);
        b.put(start + FRAME_OFF_TYPE_8, TYPE_ENTRY);
        b.put(start + 9, (byte) 0);
        b.putShort(start + E_OFF_META_COUNT_16, (short) e.metadata().size());
        b.putInt(start + E_OFF_STREAM_ID_32, streamId);
        b.putLong(start + E_OFF_POSITION_64, e.position());
        b.putLong(start + E_OFF_SEQ_64, e.seq());
        b.putLong(start + E_OFF_TIMESTAMP_64, e.timestampNs());
        b.position(start + E_OFF_PREV_HASH_256);
        e.prevHash().putTo(b);
        e.hash().putTo(b);
        b.putShort(start + E_OFF_ID_LEN_16, (short) id.length);
        b.putShort(start + E_OFF_KEY_LEN_16, (short) key.length);
        b.putInt(start + E_OFF_PAYLOAD_LEN_32, e.payload().length);
        b.putInt(start + E_OFF_META_LEN_32, meta.length);
        b.position(start + ENTRY_FIXED_BYTES);
        b.put(id).put(key).put(meta).put(e.payload());
        b.putInt(start + FRAME_OFF_CRC_32, frameCrc(b, start, len));
        assert b.position() == start + len : "bad math in putEntry";
    }

    public static int streamFrameBytes(byte[] name) { return STREAM_FIXED_BYTES + name.length; }

    public static void putStream(ByteBuffer b, int streamId, byte[] name) {
        int start = b.position();
        int len = streamFrameBytes(name);
        b.putInt(start + FRAME_OFF_LENGTH_32, len);
        b.put(start + FRAME_OFF_TYPE_8, TYPE_STREAM);
        b.put(start + 9, (byte) 0);
        b.putShort(start + S_OFF_NAME_LEN_16, (short) name.length);
        b.putInt(start + S_OFF_STREAM_ID_32, streamId);
        b.position(start + STREAM_FIXED_BYTES);
        b.put(name);
        b.putInt(start + FRAME_OFF_CRC_32, frameCrc(b, start, len));
    }

    /**
     * Writes the COMMIT frame closing the batch that starts at buffer index {@code batchStartInBuf}
     * (segment offset {@code batchStartOffset}) and ends at the buffer's current position.
     */
    public static void putCommit(ByteBuffer b, int batchStartInBuf, long batchStartOffset, int count,
                                 long firstPosition, long timestampNs) {
        int start = b.position();
        int batchBytes = start - batchStartInBuf;
        b.putInt(start + FRAME_OFF_LENGTH_32, COMMIT_FRAME_BYTES);
        b.put(start + FRAME_OFF_TYPE_8, TYPE_COMMIT);
        b.put(start + 9, (byte) 0).put(start + 10, (byte) 0).put(start + 11, (byte) 0);
        b.putInt(start + C_OFF_COUNT_32, count);
        b.putLong(start + C_OFF_FIRST_POSITION_64, firstPosition);
        b.putLong(start + C_OFF_BATCH_START_64, batchStartOffset);
        b.putInt(start + C_OFF_BATCH_BYTES_32, batchBytes);
        b.putInt(start + C_OFF_BATCH_CRC_32, crc(b, batchStartInBuf, batchBytes));
        b.putLong(start + C_OFF_TIMESTAMP_64, timestampNs == 0 ? 1 : timestampNs);
        b.putInt(start + FRAME_OFF_CRC_32, frameCrc(b, start, COMMIT_FRAME_BYTES));
        b.position(start + COMMIT_FRAME_BYTES);
    }

    // ---------------------------------------------------------------- decoding

    /** CRC32C over [start, start+4) ++ [start+8, start+len): the length is covered, the crc slot is not. */
    public static int frameCrc(ByteBuffer b, int start, int len) {
        CRC32C c = new CRC32C();
        c.update(b.slice(start, 4));
        c.update(b.slice(start + 8, len - 8));
        return (int) c.getValue();
    }

    public static int crc(ByteBuffer b, int start, int len) {
        CRC32C c = new CRC32C();
        c.update(b.slice(start, len));
        return (int) c.getValue();
    }

    /**
     * The declared length of the frame at {@code off}, or -1 when the header does not fit in
     * {@code limit} or the length is impossible (below the header size or above FRAME_BYTES_MAX).
     */
    public static int declaredLength(ByteBuffer b, int off, int limit) {
        if (limit - off < FRAME_HEADER_BYTES) return -1;
        int len = b.getInt(off + FRAME_OFF_LENGTH_32);
        if (len < FRAME_HEADER_BYTES || len > FRAME_BYTES_MAX) return -1;
        return len;
    }

    /** True when the frame of length {@code len} at {@code off} fits and its CRC matches. */
    public static boolean frameValid(ByteBuffer b, int off, int len, int limit) {
        if (off + (long) len > limit) return false;
        if (b.getInt(off + FRAME_OFF_CRC_32) != frameCrc(b, off, len)) return false;
        byte t = b.get(off + FRAME_OFF_TYPE_8);
        return switch (t) {
            case TYPE_ENTRY -> len >= ENTRY_FIXED_BYTES && entryLengthsConsistent(b, off, len);
            case TYPE_COMMIT -> len == COMMIT_FRAME_BYTES;
            case TYPE_STREAM -> len >= STREAM_FIXED_BYTES && len == STREAM_FIXED_BYTES + Short.toUnsignedInt(b.getShort(off + S_OFF_NAME_LEN_16));
            default -> false;
        };
    }

    private static boolean entryLengthsConsistent(ByteBuffer b, int off, int len) {
        long sum = ENTRY_FIXED_BYTES + (long) Short.toUnsignedInt(b.getShort(off + E_OFF_ID_LEN_16))
                + Short.toUnsignedInt(b.getShort(off + E_OFF_KEY_LEN_16))
                + Integer.toUnsignedLong(b.getInt(off + E_OFF_META_LEN_32))
                + Integer.toUnsignedLong(b.getInt(off + E_OFF_PAYLOAD_LEN_32));
        return sum == len;
    }

    public static byte type(ByteBuffer b, int off) { return b.get(off + FRAME_OFF_TYPE_8); }

    public static int entryStreamId(ByteBuffer b, int off) { return b.getInt(off + E_OFF_STREAM_ID_32); }

    public static long entryPosition(ByteBuffer b, int off) { return b.getLong(off + E_OFF_POSITION_64); }

    public static long entrySeq(ByteBuffer b, int off) { return b.getLong(off + E_OFF_SEQ_64); }

    public static Hash entryHash(ByteBuffer b, int off) {
        byte[] h = new byte[Hash.BYTES];
        b.get(off + E_OFF_HASH_256, h);
        return Hash.of(h);
    }

    public static String entryKey(ByteBuffer b, int off) {
        int idLen = Short.toUnsignedInt(b.getShort(off + E_OFF_ID_LEN_16));
        int keyLen = Short.toUnsignedInt(b.getShort(off + E_OFF_KEY_LEN_16));
        return str(b, off + ENTRY_FIXED_BYTES + idLen, keyLen);
    }

    public static String entryId(ByteBuffer b, int off) {
        int idLen = Short.toUnsignedInt(b.getShort(off + E_OFF_ID_LEN_16));
        return str(b, off + ENTRY_FIXED_BYTES, idLen);
    }

    /** Decodes an ENTRY frame (already CRC-checked) under the given stream name. */
    public static Entry decodeEntry(ByteBuffer b, int off, String streamName, String file) {
        int idLen = Short.toUnsignedInt(b.getShort(off + E_OFF_ID_LEN_16));
        int keyLen = Short.toUnsignedInt(b.getShort(off + E_OFF_KEY_LEN_16));
        int payloadLen = b.getInt(off + E_OFF_PAYLOAD_LEN_32);
        int metaLen = b.getInt(off + E_OFF_META_LEN_32);
        int metaCount = Short.toUnsignedInt(b.getShort(off + E_OFF_META_COUNT_16));
        int p = off + ENTRY_FIXED_BYTES;
        String id = str(b, p, idLen);
        p += idLen;
        String key = str(b, p, keyLen);
        p += keyLen;
        SortedMap<String, String> meta = new TreeMap<>();
        int metaEnd = p + metaLen;
        for (int i = 0; i < metaCount; i++) {
            if (metaEnd - p < 4) throw badMeta(file, off);
            int kl = b.getInt(p);
            p += 4;
            if (kl < 0 || metaEnd - p < kl + 4) throw badMeta(file, off);
            String k = str(b, p, kl);
            p += kl;
            int vl = b.getInt(p);
            p += 4;
            if (vl < 0 || metaEnd - p < vl) throw badMeta(file, off);
            meta.put(k, str(b, p, vl));
            p += vl;
        }
        if (p != metaEnd) throw badMeta(file, off);
        byte[] payload = new byte[payloadLen];
        b.get(p, payload);
        byte[] prev = new byte[Hash.BYTES];
        byte[] hash = new byte[Hash.BYTES];
        b.get(off + E_OFF_PREV_HASH_256, prev);
        b.get(off + E_OFF_HASH_256, hash);
        return new Entry(streamName, b.getLong(off + E_OFF_SEQ_64), b.getLong(off + E_OFF_POSITION_64), id, key,
                b.getLong(off + E_OFF_TIMESTAMP_64), java.util.Collections.unmodifiableSortedMap(meta), payload,
                Hash.of(prev), Hash.of(hash));
    }

    private static QuireException badMeta(String file, int off) {
        return QuireException.integrity("entry frame has a malformed metadata block", Where.file(file, off));
    }

    public static int streamFrameId(ByteBuffer b, int off) { return b.getInt(off + S_OFF_STREAM_ID_32); }

    public static String streamFrameName(ByteBuffer b, int off) {
        return str(b, off + STREAM_FIXED_BYTES, Short.toUnsignedInt(b.getShort(off + S_OFF_NAME_LEN_16)));
    }

    public static int commitCount(ByteBuffer b, int off) { return b.getInt(off + C_OFF_COUNT_32); }

    public static long commitFirstPosition(ByteBuffer b, int off) { return b.getLong(off + C_OFF_FIRST_POSITION_64); }

    public static long commitBatchStart(ByteBuffer b, int off) { return b.getLong(off + C_OFF_BATCH_START_64); }

    public static int commitBatchBytes(ByteBuffer b, int off) { return b.getInt(off + C_OFF_BATCH_BYTES_32); }

    public static int commitBatchCrc(ByteBuffer b, int off) { return b.getInt(off + C_OFF_BATCH_CRC_32); }

    public static long commitTimestamp(ByteBuffer b, int off) { return b.getLong(off + C_OFF_TIMESTAMP_64); }

    private static String str(ByteBuffer b, int off, int len) {
        byte[] x = new byte[len];
        b.get(off, x);
        return new String(x, StandardCharsets.UTF_8);
    }
}
