package io.quire.windows.slots;

import java.util.concurrent.TimeUnit;

/**
 * Every bound of the slot matrix, with its unit last in the name. Each has a test at its edge
 * ({@code SlotMatrixOpenTest}).
 */
public final class SlotLimits {
    private SlotLimits() {}

    /** Symbols per year (DESIGN §7: dense u16 ids, capped at 10,000). */
    public static final int SYMBOLS_CAPACITY_MAX = 10_000;

    /**
     * Minutes per year: every minute of a leap year. The NYSE calendar gives about 98,280
     * market minutes; the bound only stops nonsense (and keeps a 10,000-symbol enrichment file
     * under 1.2 TiB of sparse address space).
     */
    public static final int MINUTES_MAX = 366 * 24 * 60;

    /** Years a slot file may be created for. */
    public static final int YEAR_MIN = 1900;
    public static final int YEAR_MAX = 9999;

    /**
     * How long a reader or writer waits for a slot whose sequence stays odd (a write in progress)
     * before it checks the writer is alive and, if it is, gives up with a CONFLICT naming the slot.
     * A live write holds a slot for nanoseconds; a second means a stopped process or a bug.
     */
    public static final long SLOT_WAIT_NANOS_MAX = TimeUnit.SECONDS.toNanos(2);

    /** After this long spinning on an odd sequence, the waiter probes whether the writer is alive. */
    public static final long OWNER_PROBE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Repair records kept in a {@link RepairReport} (all repairs are counted regardless). */
    public static final int REPAIRS_LISTED_MAX = 1_000;

    /** Characters in a clear cause or operator name. */
    public static final int CAUSE_CHARS_MAX = 1_000;
    public static final int OPERATOR_CHARS_MAX = 200;

    /** payload_id, version and checksum are u32. */
    public static final long U32_MAX = 0xFFFF_FFFFL;

    static {
        // The reservation bitmap (one bit per symbol) lives in the header page after the fixed
        // fields; a larger symbol cap would need a larger header.
        if (SlotLayout.HDR_BITMAP_OFFSET + (long) Long.BYTES * ((SYMBOLS_CAPACITY_MAX + 63) / 64) > SlotLayout.HEADER_BYTES)
            throw new IllegalStateException("bad math in SlotLimits: the reservation bitmap does not fit the header");
        // Offsets are longs: the largest file must fit with room to spare.
        long maxFile = SlotLayout.HEADER_BYTES + (long) SYMBOLS_CAPACITY_MAX * MINUTES_MAX * 7 * SlotLayout.SLOT_BYTES;
        if (maxFile <= 0 || maxFile >= SlotLayout.LOCK_REGION_BASE)
            throw new IllegalStateException("bad math in SlotLimits: largest file " + maxFile + " overlaps the lock region");
    }
}
