package io.quire.windows.symbols;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The one owner of the byte layout of a symbol map file ({@code symbols.map}); docs/WINDOWS.md
 * has the same tables. All integers little-endian.
 *
 * <pre>
 * header (16 bytes, written once, atomically: temp file, fsync, hard link, fsync dir)
 *  0               4               6               8                              12              16
 *  +---------------+---------------+---------------+------------------------------+---------------+
 *  | magic "QSYM"  | version u16=1 | year u16      | reserved u32 = 0             | crc32c u32    |
 *  +---------------+---------------+---------------+------------------------------+---------------+
 *                                                   crc32c covers bytes 0..11
 *
 * record (7 + n bytes, appended; record k holds symbol_id k)
 *  0               2       3                       3+n             7+n
 *  +---------------+-------+-----------------------+---------------+
 *  | symbol_id u16 | n u8  | symbol: n bytes ASCII | crc32c u32    |
 *  +---------------+-------+-----------------------+---------------+
 *                           crc32c covers bytes 0..3+n-1 (id, length and symbol)
 * </pre>
 */
public final class SymbolMapLayout {
    private SymbolMapLayout() {}

    /** "QSYM" as bytes 0x51 0x53 0x59 0x4D; read little-endian as this int. */
    public static final int MAGIC = 0x4D595351;
    public static final int FORMAT_VERSION = 1;

    public static final int OFF_MAGIC_32 = 0;
    public static final int OFF_VERSION_16 = 4;
    public static final int OFF_YEAR_16 = 6;
    public static final int OFF_RESERVED_32 = 8;
    public static final int OFF_HEADER_CRC_32 = 12;
    public static final int HEADER_BYTES = 16;

    public static final int REC_OFF_ID_16 = 0;
    public static final int REC_OFF_LEN_8 = 2;
    public static final int REC_OFF_SYMBOL = 3;
    /** Bytes of a record besides the symbol: id, length, crc. */
    public static final int RECORD_OVERHEAD_BYTES = 7;
    public static final int RECORD_BYTES_MAX = RECORD_OVERHEAD_BYTES + SymbolLimits.SYMBOL_BYTES_MAX;
    /** The largest single append: a torn write can damage at most this many bytes at the tail. */
    public static final int WRITE_BYTES_MAX = RECORD_BYTES_MAX * SymbolLimits.SYMBOLS_PER_BATCH_MAX;

    static {
        if (OFF_HEADER_CRC_32 + 4 != HEADER_BYTES || REC_OFF_SYMBOL != REC_OFF_LEN_8 + 1) {
            throw new ExceptionInInitializerError("bad math in SymbolMapLayout offsets");
        }
    }

    public static byte[] encodeHeader(int year) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(OFF_MAGIC_32, MAGIC);
        b.putShort(OFF_VERSION_16, (short) FORMAT_VERSION);
        b.putShort(OFF_YEAR_16, (short) year);
        b.putInt(OFF_RESERVED_32, 0);
        b.putInt(OFF_HEADER_CRC_32, crc(b.array(), 0, OFF_HEADER_CRC_32));
        return b.array();
    }

    /** Appends one record for {@code id} and an already validated ASCII {@code symbol} to {@code b}. */
    public static void encodeRecord(ByteBuffer b, int id, String symbol) {
        byte[] s = symbol.getBytes(StandardCharsets.US_ASCII);
        if (id < 0 || id > 0xFFFF || s.length < 1 || s.length > SymbolLimits.SYMBOL_BYTES_MAX) {
            throw new IllegalStateException("bad math in encodeRecord: id=" + id + " len=" + s.length);
        }
        if (b.order() != ByteOrder.LITTLE_ENDIAN) throw new IllegalStateException("bad math in encodeRecord: byte order");
        int start = b.position();
        b.putShort((short) id).put((byte) s.length).put(s);
        int crc = crc(b.array(), b.arrayOffset() + start, REC_OFF_SYMBOL + s.length);
        b.putInt(crc);
    }

    public static int recordBytes(String symbol) { return RECORD_OVERHEAD_BYTES + symbol.length(); }

    static int crc(byte[] a, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(a, off, len);
        return (int) c.getValue();
    }
}
