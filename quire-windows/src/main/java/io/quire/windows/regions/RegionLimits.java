package io.quire.windows.regions;

/**
 * Every bound of the priority-region store, named with its unit. Each has a test at max and
 * max + 1 ({@code PriorityRegionStoreTest}).
 */
public final class RegionLimits {
    private RegionLimits() {}

    /** Active (not retired) regions per year's store. Past it: CONFLICT {@code region_cap}. */
    public static final int REGIONS_PER_YEAR_MAX = 1_024;

    /**
     * Market minutes one region may expand to: 100 full sessions (about five months of one
     * symbol). A larger selection is refused (INVALID_INPUT {@code region_too_large}); split it.
     * It bounds one region's in-memory progress bitmap to 4.9 KB and one scan of it.
     */
    public static final int MINUTES_PER_REGION_MAX = 100 * 390;

    /** The default work queue's priority: a region must be strictly above it to be worth a detour. */
    public static final int PRIORITY_DEFAULT = 0;
    /** Lowest priority a region may have. */
    public static final int PRIORITY_MIN = 1;
    /** Highest priority a region may have (stored as u16). */
    public static final int PRIORITY_MAX = 1_000;

    /** Bytes of the creator (operator identity) text, printable ASCII. */
    public static final int CREATOR_BYTES_MAX = 64;

    /** Items one {@code nextWork} call may return. */
    public static final int WORK_ITEMS_MAX = 65_536;

    /** Largest regions file a reader accepts: every region at its longest texts. */
    public static final int FILE_BYTES_MAX = RegionFile.HEADER_BYTES
            + REGIONS_PER_YEAR_MAX * (RegionFile.RECORD_FIXED_BYTES + 64 + CREATOR_BYTES_MAX) + 4;

    static {
        if (PRIORITY_MIN <= PRIORITY_DEFAULT) throw new IllegalStateException("bad math in RegionLimits: a region must outrank the default queue");
        if (PRIORITY_MAX > 0xFFFF) throw new IllegalStateException("bad math in RegionLimits: priority is stored as u16");
        if (io.quire.windows.slots.SlotKind.values().length > 16) throw new IllegalStateException("bad math in RegionLimits: column masks are u16");
    }
}
