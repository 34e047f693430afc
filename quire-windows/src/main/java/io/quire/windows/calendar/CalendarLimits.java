package io.quire.windows.calendar;

/**
 * The limits of the calendar, each named with its unit. Tests exercise every one at {@code max}
 * and {@code max + 1} (or {@code min - 1}).
 *
 * <p>The supported years are bounded because the holiday rules are only known to hold for a
 * range: Juneteenth exists from 2022, MLK Day from 1998, and nobody can promise NYSE's rules past
 * this century. Years outside {@link #YEAR_MIN}..{@link #YEAR_MAX} are refused, not guessed.
 */
public final class CalendarLimits {
    private CalendarLimits() {}

    /** The first year a {@link TradingCalendar} can be built for. */
    public static final int YEAR_MIN = 2000;
    /** The last year a {@link TradingCalendar} can be built for. */
    public static final int YEAR_MAX = 2100;
    /** The largest calendar data file read (built-in or the operator's), in bytes. */
    public static final int DATA_FILE_BYTES_MAX = 1 << 20;
    /** The longest line of a calendar data file, in bytes (UTF-8, without the line break). */
    public static final int DATA_LINE_BYTES_MAX = 512;
    /** The longest reason text of an early close or closure, in bytes (UTF-8). */
    public static final int REASON_BYTES_MAX = 200;

    /** Minutes of a regular session, 09:30 to 16:00 New York time. */
    public static final int SESSION_MINUTES_FULL = 390;
    /** Minutes of a 13:00 early close, 09:30 to 13:00 New York time. */
    public static final int SESSION_MINUTES_EARLY_CLOSE = 210;
    /**
     * Sessions in a year can never exceed the weekdays of a year (at most 262), so a
     * {@code minute_idx} always fits an int with room to spare: 262 × 390 = 102,180.
     */
    public static final int SESSIONS_PER_YEAR_MAX = 262;
    /** The largest possible count of market minutes in one year (every weekday a full session). */
    public static final int MINUTES_PER_YEAR_MAX = SESSIONS_PER_YEAR_MAX * SESSION_MINUTES_FULL;

    static {
        // A window id prints session_seq and minute_seq; they must stay far below int overflow,
        // and the year bounds must leave room for the previous/next year lookups (year ± 1).
        if (YEAR_MIN >= YEAR_MAX || YEAR_MIN < 1 || YEAR_MAX > 9998) {
            throw new ExceptionInInitializerError("bad year bounds " + YEAR_MIN + ".." + YEAR_MAX);
        }
        if (SESSION_MINUTES_FULL != (16 * 60) - (9 * 60 + 30) || SESSION_MINUTES_EARLY_CLOSE != (13 * 60) - (9 * 60 + 30)) {
            throw new ExceptionInInitializerError("session minutes do not match 09:30-16:00 / 09:30-13:00");
        }
        if (REASON_BYTES_MAX >= DATA_LINE_BYTES_MAX) {
            throw new ExceptionInInitializerError("a reason must fit a data line");
        }
    }
}
