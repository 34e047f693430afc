package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The one owner of the byte layout of a mapping file ({@code rf_rate.map}, {@code trade.map}, …);
 * docs/WINDOWS.md "Mapping files" has the same tables. All integers big-endian.
 *
 * <pre>
 * header (16 bytes, written once, atomically: temp file, fsync, hard link, fsync dir)
 *  0               4               6       7       8               10              12              16
 *  +---------------+---------------+-------+-------+---------------+---------------+---------------+
 *  | magic "QMAP"  | version u16=1 | type  | 0 u8  | year u16      | 0 u16         | crc32c u32    |
 *  +---------------+---------------+-------+-------+---------------+---------------+---------------+
 *                                   type = PayloadType code u8 (1..6); crc32c covers bytes 0..11
 *
 * record (16 + n bytes, appended; record k, counting from 0, holds payload_id k + 1)
 *  0               4               8               12              14              16           16+n
 *  +---------------+---------------+---------------+---------------+---------------+------------+
 *  | n u32         | frame crc32c  | payload_id u32| schema u16    | 0 u16         | body n B   |
 *  +---------------+---------------+---------------+---------------+---------------+------------+
 *   frame crc32c covers bytes 0..3 and 8..16+n-1 (everything but itself);
 *   the slot checksum (PayloadMeta.checksum) is CRC32C of the body alone.
 * </pre>
 */
public final class MappingLayout {
    private MappingLayout() {}

    /** "QMAP" as bytes 0x51 0x4D 0x41 0x50, read big-endian. */
    public static final int MAGIC = 0x514D_4150;
    public static final int FORMAT_VERSION = 1;

    public static final int OFF_MAGIC_32 = 0;
    public static final int OFF_VERSION_16 = 4;
    public static final int OFF_TYPE_8 = 6;
    public static final int OFF_RESERVED_8 = 7;
    public static final int OFF_YEAR_16 = 8;
    public static final int OFF_RESERVED_16 = 10;
    public static final int OFF_HEADER_CRC_32 = 12;
    public static final int HEADER_BYTES = 16;

    public static final int REC_OFF_LEN_32 = 0;
    public static final int REC_OFF_CRC_32 = 4;
    public static final int REC_OFF_ID_32 = 8;
    public static final int REC_OFF_SCHEMA_16 = 12;
    public static final int REC_OFF_RESERVED_16 = 14;
    public static final int REC_OFF_BODY = 16;
    public static final int FRAME_HEADER_BYTES = 16;

    static {
        if (OFF_HEADER_CRC_32 + 4 != HEADER_BYTES || REC_OFF_BODY != FRAME_HEADER_BYTES || REC_OFF_RESERVED_16 + 2 != REC_OFF_BODY) {
            throw new ExceptionInInitializerError("bad math in MappingLayout offsets");
        }
    }

    public static byte[] encodeHeader(PayloadType type, int year) {
        if (type == PayloadType.NONE) throw new IllegalStateException("bad math in encodeHeader: type NONE");
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        b.putInt(OFF_MAGIC_32, MAGIC);
        b.putShort(OFF_VERSION_16, (short) FORMAT_VERSION);
        b.put(OFF_TYPE_8, (byte) type.code());
        b.put(OFF_RESERVED_8, (byte) 0);
        b.putShort(OFF_YEAR_16, (short) year);
        b.putShort(OFF_RESERVED_16, (short) 0);
        b.putInt(OFF_HEADER_CRC_32, crc(b.array(), 0, OFF_HEADER_CRC_32));
        return b.array();
    }

    /** Appends one framed record to {@code b} (big-endian, backed by an array). */
    public static void encodeRecord(ByteBuffer b, long payloadId, int schemaVersion, byte[] body) {
        if (b.order() != ByteOrder.BIG_ENDIAN || payloadId < 1 || payloadId > MappingLimits.PAYLOAD_ID_MAX
                || schemaVersion < 1 || schemaVersion > 0xFFFF || body.length < 1 || body.length > MappingLimits.BODY_BYTES_MAX) {
            throw new IllegalStateException("bad math in encodeRecord: id=" + payloadId + " schema=" + schemaVersion + " len=" + body.length);
        }
        int start = b.position();
        b.putInt(body.length).putInt(0).putInt((int) payloadId).putShort((short) schemaVersion).putShort((short) 0).put(body);
        b.putInt(start + REC_OFF_CRC_32, frameCrc(b.array(), b.arrayOffset() + start, body.length));
    }

    /** The frame CRC of the record starting at {@code off} in {@code a} with a body of {@code n} bytes. */
    public static int frameCrc(byte[] a, int off, int n) {
        CRC32C c = new CRC32C();
        c.update(a, off + REC_OFF_LEN_32, 4);
        c.update(a, off + REC_OFF_ID_32, FRAME_HEADER_BYTES - REC_OFF_ID_32 + n);
        return (int) c.getValue();
    }

    /** The checksum a slot stores for a payload: CRC32C of its body bytes. */
    public static int bodyChecksum(byte[] body) { return crc(body, 0, body.length); }

    static int crc(byte[] a, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(a, off, len);
        return (int) c.getValue();
    }
}
