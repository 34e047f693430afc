package io.quire.windows.regions;

import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.windows.slots.SlotKind;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Owner of the byte layout of {@code <ledger>/windows/<year>/regions} (format version 1). The
 * whole file is rewritten atomically on every change (temp file, fsync, rename, fsync of the
 * directory), so a reader sees the old or the new file, never a mix; the trailing CRC32C
 * catches everything else (bit rot, a foreign writer). All integers little-endian.
 *
 * <pre>
 * header, 40 bytes
 *  0  4  magic "QRGN"
 *  4  2  format version (u16) = 1
 *  6  2  year (u16)
 *  8  8  generation (u64): +1 per write
 * 16  8  next_id (u64): the id the next added region gets
 * 24  8  retired_total (u64): regions retired automatically so far
 * 32  4  count (u32): records that follow
 * 36  4  reserved = 0
 * record, 42 + s + c bytes, in id order
 *  0  8  id (u64)
 *  8  2  symbol_id (u16)
 * 10  2  priority (u16)
 * 12  2  columns mask (u16, bit = SlotKind ordinal)
 * 14  2  done columns mask (u16, a subset of columns, never equal to it)
 * 16  8  start_ts (i64 epoch ns)
 * 24  8  end_ts (i64 epoch ns)
 * 32  8  created_at (i64 epoch ns)
 * 40  1  s = symbol length, then s bytes of ASCII
 * 41+s 1 c = creator length, then c bytes of ASCII
 * trailer, 4 bytes: CRC32C (u32) of every byte before it
 * </pre>
 */
final class RegionFile {
    private RegionFile() {}

    static final byte[] MAGIC = {'Q', 'R', 'G', 'N'};
    static final int VERSION = 1;
    static final int HEADER_BYTES = 40;
    static final int RECORD_FIXED_BYTES = 42;

    /** The decoded file. {@code regions} are in id order. */
    record State(int year, long generation, long nextId, long retiredTotal, List<PriorityRegion> regions) {
        static State empty(int year) { return new State(year, 0, 1, 0, List.of()); }
    }

    static byte[] encode(State s) {
        int size = HEADER_BYTES + 4;
        for (PriorityRegion r : s.regions()) size += RECORD_FIXED_BYTES + ascii(r.symbol()).length + ascii(r.creator()).length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) VERSION).putShort((short) s.year()).putLong(s.generation()).putLong(s.nextId())
                .putLong(s.retiredTotal()).putInt(s.regions().size()).putInt(0);
        for (PriorityRegion r : s.regions()) {
            byte[] sym = ascii(r.symbol()), cr = ascii(r.creator());
            b.putLong(r.id()).putShort((short) r.symbolId()).putShort((short) r.priority())
                    .putShort((short) PriorityRegion.mask(r.columns())).putShort((short) PriorityRegion.mask(r.doneColumns()))
                    .putLong(nanos(r.startTs())).putLong(nanos(r.endTs())).putLong(nanos(r.createdAt()))
                    .put((byte) sym.length).put(sym).put((byte) cr.length).put(cr);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        if (b.hasRemaining()) throw new IllegalStateException("bad math in RegionFile.encode: " + b.remaining() + " bytes left");
        return b.array();
    }

    /** Decodes and checks a whole file; INTEGRITY naming {@code file} and the offset on any damage. */
    static State decode(byte[] bytes, int expectYear, String file) {
        if (bytes.length < HEADER_BYTES + 4) throw bad("regions file is " + bytes.length + " bytes, shorter than header and trailer", file, 0);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) if (bytes[i] != MAGIC[i]) throw bad("not a regions file (bad magic)", file, 0);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = b.getInt(bytes.length - 4);
        if (stored != (int) crc.getValue()) throw bad("regions file checksum mismatch (damaged; restore from backup or remove it to drop all regions)", file, bytes.length - 4);
        int version = Short.toUnsignedInt(b.getShort(4));
        if (version != VERSION) throw bad("unknown regions format version " + version, file, 4);
        int year = Short.toUnsignedInt(b.getShort(6));
        if (year != expectYear) throw bad("regions file is for year " + year + ", not " + expectYear, file, 6);
        long generation = b.getLong(8), nextId = b.getLong(16), retired = b.getLong(24);
        int count = b.getInt(32);
        if (count < 0 || count > RegionLimits.REGIONS_PER_YEAR_MAX) throw bad("region count " + Integer.toUnsignedString(count) + " over the cap", file, 32);
        b.position(HEADER_BYTES);
        List<PriorityRegion> out = new ArrayList<>(count);
        Set<Long> ids = new HashSet<>();
        long prevId = 0;
        for (int i = 0; i < count; i++) {
            int at = b.position();
            if (bytes.length - 4 - at < RECORD_FIXED_BYTES) throw bad("region record " + i + " is cut short", file, at);
            long id = b.getLong();
            int symbolId = Short.toUnsignedInt(b.getShort()), priority = Short.toUnsignedInt(b.getShort());
            int cols = Short.toUnsignedInt(b.getShort()), done = Short.toUnsignedInt(b.getShort());
            long start = b.getLong(), end = b.getLong(), created = b.getLong();
            String symbol = text(b, bytes.length - 4, file, "symbol");
            String creator = text(b, bytes.length - 4, file, "creator");
            int allMask = PriorityRegion.mask(PriorityRegion.ALL_COLUMNS);
            if (id <= prevId || id >= nextId || !ids.add(id) || cols == 0 || (cols & ~allMask) != 0 || (done & ~cols) != 0 || done == cols
                    || priority < RegionLimits.PRIORITY_MIN || priority > RegionLimits.PRIORITY_MAX || start >= end || symbol.isEmpty()) {
                throw bad("region record " + i + " (id " + id + ") holds impossible values", file, at);
            }
            prevId = id;
            out.add(new PriorityRegion(id, symbol, symbolId, instant(start), instant(end), priority, PriorityRegion.unmask(cols),
                    PriorityRegion.unmask(done), instant(created), creator));
        }
        if (b.position() != bytes.length - 4) throw bad((bytes.length - 4 - b.position()) + " stray bytes after the last region", file, b.position());
        return new State(year, generation, nextId, retired, List.copyOf(out));
    }

    private static String text(ByteBuffer b, int limit, String file, String what) {
        int at = b.position();
        if (at >= limit) throw bad(what + " length is cut short", file, at);
        int n = Byte.toUnsignedInt(b.get());
        if (n > 64 || b.position() + n > limit) throw bad(what + " of " + n + " bytes does not fit", file, at);
        byte[] t = new byte[n];
        b.get(t);
        for (byte c : t) if (c < 0x20 || c > 0x7E) throw bad(what + " holds a non-printable byte", file, at);
        return new String(t, StandardCharsets.US_ASCII);
    }

    private static QuireException bad(String msg, String file, long offset) { return QuireException.integrity(msg, Where.file(file, offset)); }

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    static long nanos(Instant t) { return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano()); }

    static Instant instant(long nanos) { return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)); }

    static {
        if (SlotKind.values().length > 16) throw new IllegalStateException("bad math in RegionFile: masks are u16");
    }
}
