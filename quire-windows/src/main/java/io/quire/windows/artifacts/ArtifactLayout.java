package io.quire.windows.artifacts;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.util.zip.CRC32C;

/**
 * Owner of every byte of an artifact segment ({@code docs/FORMAT.md}, "Windows artifacts").
 * Little-endian throughout.
 *
 * <pre>
 * segment = header · frame*
 * header (16 bytes)
 *   0  4  magic "QWAF"
 *   4  2  format version u16 = 1
 *   6  1  kind u8 (1 trades, 2 quotes)
 *   7  1  reserved u8 = 0
 *   8  4  date u32 as yyyymmdd (the New York trading date of the rows)
 *  12  4  CRC32C of bytes 0..11
 * frame (one symbol-minute; 41 + n + body bytes)
 *   0  4  magic "QWAR"
 *   4  4  frame_bytes u32: the whole frame, this header and the CRC included
 *   8  1  kind u8 (as the header)
 *   9  1  encoding u8 = 1
 *  10  2  reserved u16 = 0
 *  12  4  minute_idx i32
 *  16  4  row_count u32 ≥ 1
 *  20  8  first_sip_ts i64
 *  28  8  last_sip_ts i64 ≥ first
 *  36  1  n = symbol length u8 (1..64)
 *  37  n  symbol, printable ASCII
 *  37+n …  body: the columns of {@link ArtifactCodec}
 *  end−4 4 CRC32C of bytes 0..end−5
 * </pre>
 */
final class ArtifactLayout {
    private ArtifactLayout() {}

    static final byte[] FILE_MAGIC = {'Q', 'W', 'A', 'F'};
    static final byte[] FRAME_MAGIC = {'Q', 'W', 'A', 'R'};
    static final int FORMAT_VERSION = 1;
    static final int ENCODING_V1 = 1;

    static final int HEADER_BYTES = 16;
    static final int OFF_HDR_VERSION_16 = 4, OFF_HDR_KIND_8 = 6, OFF_HDR_RESERVED_8 = 7, OFF_HDR_DATE_32 = 8, OFF_HDR_CRC_32 = 12;

    static final int OFF_FRAME_BYTES_32 = 4, OFF_KIND_8 = 8, OFF_ENCODING_8 = 9, OFF_RESERVED_16 = 10, OFF_MINUTE_32 = 12, OFF_ROWS_32 = 16,
            OFF_FIRST_TS_64 = 20, OFF_LAST_TS_64 = 28, OFF_SYMBOL_LEN_8 = 36, OFF_SYMBOL = 37;
    /** Bytes of a frame besides its symbol and body: the fixed header (37) and the CRC (4). */
    static final int FRAME_FIXED_BYTES = OFF_SYMBOL + 4;
    /** The smallest possible frame: a one-byte symbol and a one-row body of at least one byte per column. */
    static final int FRAME_MIN_BYTES = FRAME_FIXED_BYTES + 1 + 1;

    static byte[] header(ArtifactKind kind, LocalDate date) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(FILE_MAGIC).putShort((short) FORMAT_VERSION).put((byte) kind.code()).put((byte) 0).putInt(yyyymmdd(date));
        b.putInt(crc(b.array(), 0, OFF_HDR_CRC_32));
        return b.array();
    }

    /** Checks a header read from {@code file}; INTEGRITY for damage, INVALID_INPUT for another kind or date. */
    static void checkHeader(byte[] h, String file, ArtifactKind kind, LocalDate date) {
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) if (h[i] != FILE_MAGIC[i]) throw QuireException.integrity("artifact segment has a bad magic (not a Quire artifact file)", Where.file(file, 0));
        int version = b.getShort(OFF_HDR_VERSION_16) & 0xFFFF;
        if (b.getInt(OFF_HDR_CRC_32) != crc(h, 0, OFF_HDR_CRC_32)) throw QuireException.integrity("artifact segment header fails its CRC32C", Where.file(file, OFF_HDR_CRC_32));
        if (version != FORMAT_VERSION) {
            throw QuireException.integrity("artifact segment format version " + version + " is not " + FORMAT_VERSION + " (written by another Quire?)", Where.file(file, OFF_HDR_VERSION_16));
        }
        if (h[OFF_HDR_RESERVED_8] != 0) throw QuireException.integrity("artifact segment header reserved byte is not 0", Where.file(file, OFF_HDR_RESERVED_8));
        ArtifactKind k = ArtifactKind.ofCode(h[OFF_HDR_KIND_8] & 0xFF);
        if (k == null) throw QuireException.integrity("artifact segment kind " + (h[OFF_HDR_KIND_8] & 0xFF) + " is unknown", Where.file(file, OFF_HDR_KIND_8));
        if (k != kind) throw QuireException.invalid("artifact segment " + file + " holds " + k.label() + ", not " + kind.label()).withCode("wrong_kind");
        if (b.getInt(OFF_HDR_DATE_32) != yyyymmdd(date)) {
            throw QuireException.invalid("artifact segment " + file + " is for " + b.getInt(OFF_HDR_DATE_32) + ", not " + yyyymmdd(date)).withCode("wrong_date");
        }
    }

    static int yyyymmdd(LocalDate d) { return d.getYear() * 10_000 + d.getMonthValue() * 100 + d.getDayOfMonth(); }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    static boolean isFrameMagic(byte[] b, int off) {
        return b[off] == FRAME_MAGIC[0] && b[off + 1] == FRAME_MAGIC[1] && b[off + 2] == FRAME_MAGIC[2] && b[off + 3] == FRAME_MAGIC[3];
    }

    static int u32le(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    static long i64le(byte[] b, int off) {
        return (u32le(b, off) & 0xFFFF_FFFFL) | (long) u32le(b, off + 4) << 32;
    }

    /**
     * Whether {@code b[off, off + len)} is one intact frame: magic, length equal to {@code len},
     * and CRC. Used by the tail scan and by every read.
     */
    static boolean intact(byte[] b, int off, int len) {
        if (len < FRAME_MIN_BYTES || !isFrameMagic(b, off) || u32le(b, off + OFF_FRAME_BYTES_32) != len) return false;
        return u32le(b, off + len - 4) == crc(b, off, len - 4);
    }
}
