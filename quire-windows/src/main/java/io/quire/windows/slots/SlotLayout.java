package io.quire.windows.slots;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Owner of every byte offset of a {@code .slots} file. All integers little-endian.
 *
 * <h2>File</h2>
 * <pre>
 * 0            4096                                   4096 + S*M*R
 * +------------+--------------------------------------+
 * | header     | rows, symbol-major:                  |
 * | (one page) | row(s, m) at 4096 + (s*M + m) * R    |
 * +------------+--------------------------------------+
 *   S = symbols capacity, M = minutes in the year, R = row bytes (trade 4*32 = 128,
 *   enrichment 7*32 = 224). A symbol's M rows are contiguous (iterSymbol is a forward scan);
 *   a minute's rows are R*M bytes apart (iterMinute walks forward with that stride).
 *   The data area stays a hole until a symbol is reserved (see SlotMatrix "Disk reservation").
 * </pre>
 *
 * <h2>Header (4096 bytes)</h2>
 * <pre>
 * off size  field             (immutable after creation, covered by the CRC)
 *   0   8   magic             "QSLOTS01" as bytes
 *   8   4   format_version    1
 *  12   4   ledger_kind       1 trade, 2 enrichment
 *  16   4   year
 *  20   4   symbols_capacity  S
 *  24   4   minutes           M
 *  28   4   row_bytes         R
 *  32   4   slots_per_row     4 or 7
 *  36   4   slot_bytes        32
 *  40   8   data_offset       4096
 *  48   8   file_bytes        4096 + S*M*R
 *  56   4   zero
 *  60   4   crc32c            of bytes 0..59
 *      (mutable counters, changed only with atomic read-modify-write through the mapping)
 * 256   8   sessions_opened   incremented by every open; a session's id is the new value
 * 264   8   sessions_closed   incremented by every clean close
 * 272   8   repairs_total     slots ever repaired in this file
 * 512  8*⌈S/64⌉ reserved      bit s set once symbol s's rows are allocated on disk
 * </pre>
 *
 * <h2>Slot (32 bytes, 32-aligned, so it never straddles a cache line)</h2>
 * <pre>
 *  0               8       9       10      12              16              20              24              32
 *  +---------------+-------+-------+-------+---------------+---------------+---------------+---------------+
 *  | word (i64)    | ptype | status| check | payload_id    | version       | checksum      | last_updated_ns|
 *  | seqlock + CAS | u8    | u8    | u16   | u32           | u32           | u32           | i64           |
 *  +---------------+-------+-------+-------+---------------+---------------+---------------+---------------+
 *  word:  bits 0..39 seq (even: stable, odd: a write is in progress, +1 to claim, +1 to publish)
 *         bits 40..63 owner: the session that made the last claim (24 bits; 0 = never written)
 *  The fields after the word are read and written as three longs:
 *    A @8  = ptype | status&lt;&lt;8 | check&lt;&lt;16 | payload_id&lt;&lt;32
 *    B @16 = version | checksum&lt;&lt;32
 *    C @24 = last_updated_ns
 *  check = 16-bit interleaved parity of (word, A without check, B, C) xor a constant: every
 *  single-bit flip of the 32 bytes is detected, random damage escapes with odds 1/65536. It guards
 *  against stray writes and bit rot, it is not a seal. A slot that is all zero is a never-touched
 *  Empty slot and needs no check.
 * </pre>
 */
public final class SlotLayout {
    private SlotLayout() {}

    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Aligned 8-byte little-endian long: the only access used on the mapping. */
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ORDER);
    /** VarHandle over (MemorySegment, long offset) for atomic access to words and counters. */
    static final VarHandle LONG_VH = LONG.varHandle();

    public static final int HEADER_BYTES = 4096;
    public static final int SLOT_BYTES = 32;
    public static final long MAGIC_64 = 0x3130_5354_4F4C_5351L; // "QSLOTS01" little-endian
    public static final int FORMAT_VERSION = 1;

    public static final int HDR_MAGIC_64 = 0;
    public static final int HDR_FORMAT_VERSION_32 = 8;
    public static final int HDR_KIND_32 = 12;
    public static final int HDR_YEAR_32 = 16;
    public static final int HDR_SYMBOLS_32 = 20;
    public static final int HDR_MINUTES_32 = 24;
    public static final int HDR_ROW_BYTES_32 = 28;
    public static final int HDR_SLOTS_PER_ROW_32 = 32;
    public static final int HDR_SLOT_BYTES_32 = 36;
    public static final int HDR_DATA_OFFSET_64 = 40;
    public static final int HDR_FILE_BYTES_64 = 48;
    public static final int HDR_CRC_32 = 60;
    public static final int HDR_CRC_COVERS = 60;
    public static final int HDR_SESSIONS_OPENED_64 = 256;
    public static final int HDR_SESSIONS_CLOSED_64 = 264;
    public static final int HDR_REPAIRS_TOTAL_64 = 272;
    public static final int HDR_BITMAP_OFFSET = 512;

    public static final int SLOT_WORD_64 = 0;
    public static final int SLOT_A_64 = 8;
    public static final int SLOT_B_64 = 16;
    public static final int SLOT_C_64 = 24;

    public static final int SEQ_BITS = 40;
    public static final long SEQ_MASK = (1L << SEQ_BITS) - 1;
    public static final int OWNER_BITS = 24;
    public static final long OWNER_MASK = (1L << OWNER_BITS) - 1;

    /**
     * Byte-range locks live far past the end of any slot file (POSIX locks may cover bytes that
     * do not exist): one byte serialising reservations, one byte shared by every open session
     * (exclusive only for a sole opener), and one byte per session id held for the session's life
     * so that others can tell a live writer from a dead one.
     */
    public static final long LOCK_REGION_BASE = 1L << 60;
    public static final long LOCK_RESERVE = LOCK_REGION_BASE;
    public static final long LOCK_OPEN = LOCK_REGION_BASE + 1;
    public static final long LOCK_SESSION_BASE = LOCK_REGION_BASE + 4096;

    private static final long CHECK_MASK_IN_A = 0xFFFFL << 16;
    private static final int FILLED_CODE = SlotStatus.FILLED.code();
    /** ptype (bits 0..7) and payload_id (bits 32..63) of A. */
    private static final long PAYLOAD_BITS_IN_A = 0xFFFF_FFFF_0000_00FFL;
    /** Status codes are dense from 0 (SlotStatus checks it), so any code up to this one exists. */
    private static final int MAX_STATUS_CODE = SlotStatus.values().length - 1;
    private static final long CHECK_SALT = 0x5A17_C0DE_9E37_79B9L;

    static long fileBytes(int symbols, int minutes, LedgerKind kind) {
        return HEADER_BYTES + (long) symbols * minutes * kind.rowBytes();
    }

    static long seq(long word) { return word & SEQ_MASK; }

    static int owner(long word) { return (int) (word >>> SEQ_BITS); }

    static boolean busy(long word) { return (word & 1L) != 0; }

    /** The word that claims a slot whose stable word is {@code w}: seq + 1 (odd), owner = session. */
    static long claimed(long w, int session) { return ((long) session << SEQ_BITS) | ((seq(w) + 1) & SEQ_MASK); }

    /** The word that publishes after claim {@code c}: seq + 1 (even), same owner. */
    static long published(long c) { return (c & ~SEQ_MASK) | ((seq(c) + 1) & SEQ_MASK); }

    static long packA(int ptype, int status, long payloadId) {
        return (ptype & 0xFFL) | (long) (status & 0xFF) << 8 | (payloadId & 0xFFFF_FFFFL) << 32;
    }

    static long packB(long version, int checksum) { return (version & 0xFFFF_FFFFL) | ((long) checksum << 32); }

    static int ptype(long a) { return (int) (a & 0xFF); }

    static int status(long a) { return (int) ((a >>> 8) & 0xFF); }

    static int storedCheck(long a) { return (int) ((a >>> 16) & 0xFFFF); }

    static long payloadId(long a) { return a >>> 32; }

    static long version(long b) { return b & 0xFFFF_FFFFL; }

    static int checksum(long b) { return (int) (b >>> 32); }

    /** The 16-bit check of a stable slot; A's check bits are ignored. */
    static int check(long word, long a, long b, long c) {
        return fold16(word ^ (a & ~CHECK_MASK_IN_A) ^ b ^ c ^ CHECK_SALT);
    }

    // Under MaxInlineSize too (see valid).
    private static int fold16(long x) {
        int y = (int) (x ^ (x >>> 32));
        return (y ^ (y >>> 16)) & 0xFFFF;
    }

    /** A with its check filled in for the given word, B and C. */
    static long seal(long word, long a, long b, long c) {
        return (a & ~CHECK_MASK_IN_A) | (long) check(word, a, b, c) << 16;
    }

    /**
     * Whether a stable slot (even word) is valid for a column accepting payload type code
     * {@code acceptsCode}. Rules: all zero is a fresh Empty; otherwise the check must match, the
     * status must exist, Filled carries the slot's type and a non-zero id, every other status
     * carries no payload. {@link #invalid} applies the same rules and names the one broken.
     */
    static boolean valid(long word, long a, long b, long c, int acceptsCode) {
        return word == 0 ? zero(a | b | c) : sealed(word, a, b, c) && carries(a, b, acceptsCode);
    }

    // valid and its parts each stay under C2's MaxInlineSize (35 bytecodes), so the scan loop
    // inlines them whatever its profile says: not inlined, they halve iterSymbol's throughput
    // (SlotScanBench).
    private static boolean zero(long x) { return x == 0; }

    private static boolean sealed(long word, long a, long b, long c) { return storedCheck(a) == check(word, a, b, c); }

    /** Filled carries the column's type and a non-zero id; every other status carries nothing. */
    private static boolean carries(long a, long b, int acceptsCode) {
        int st = status(a);
        return st == FILLED_CODE ? filledWith(a, acceptsCode) : st <= MAX_STATUS_CODE && blank(a, b);
    }

    private static boolean filledWith(long a, int acceptsCode) { return ptype(a) == acceptsCode && payloadId(a) != 0; }

    /** ptype and payload_id (A) and checksum (B) are zero. */
    private static boolean blank(long a, long b) { return (a & PAYLOAD_BITS_IN_A) == 0 && checksum(b) == 0; }

    /** Why a stable slot is invalid for {@code kind} by {@link #valid}'s rules, or null when it is valid (for messages). */
    static String invalid(long word, long a, long b, long c, SlotKind kind) {
        if (word == 0) return (a | b | c) == 0 ? null : "never-written slot has non-zero fields";
        if (storedCheck(a) != check(word, a, b, c)) return "check mismatch (stored " + storedCheck(a) + ", computed " + check(word, a, b, c) + ")";
        SlotStatus st = SlotStatus.ofCode(status(a));
        if (st == null) return "unknown status code " + status(a);
        int pt = ptype(a);
        if (st == SlotStatus.FILLED) {
            if (pt != kind.accepts().code()) return "filled slot has payload type " + pt + ", column accepts " + kind.accepts();
            if (payloadId(a) == 0) return "filled slot has payload_id 0";
        } else if (pt != 0 || payloadId(a) != 0 || checksum(b) != 0) {
            return st + " slot carries a payload (type " + pt + ", id " + payloadId(a) + ")";
        }
        return null;
    }
}
