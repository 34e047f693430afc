package io.quire.windows.treasury;

/** Every bound of treasury ingest, named with its unit; each is tested at max and max + 1. */
public final class TreasuryLimits {
    private TreasuryLimits() {}

    /** Characters of one CSV line (a real line is under 120). */
    public static final int LINE_CHARS_MAX = 1_024;
    /** Data rows of one file: the whole history since 1990 is about 9,000. */
    public static final int ROWS_MAX = 20_000;
    /** Columns of the header (today 15). */
    public static final int COLUMNS_MAX = 64;
    /** Row problems kept with text; more are only counted. */
    public static final int PROBLEMS_KEPT_MAX = 1_000;
    /** A yield's absolute value, in percent: anything larger is a typo, not a yield. */
    public static final int YIELD_PERCENT_ABS_MAX = 100;
}
