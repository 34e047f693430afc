package io.quire.windows.ingest;

import io.quire.windows.calendar.MinuteLookup;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Nanosecond timestamp → {@code minute_idx} through a {@link TradingCalendar}, fast for the rows
 * of one day: the last answered New York day is cached (its session bounds and midnights), so a
 * row costs two comparisons and a division; any other instant asks the calendar. Not thread-safe
 * (one per reader).
 */
public final class MinuteClock {
    private static final long NS = 1_000_000_000L;
    private final TradingCalendar calendar;
    // Cached day [dayStartNs, dayEndNs): session bounds (openNs = closeNs = dayEndNs when no session).
    private long dayStartNs = Long.MAX_VALUE, dayEndNs = Long.MIN_VALUE, openNs, closeNs;
    private int firstMinuteIdx;
    private MinuteLookup.Reason closedReason;

    public MinuteClock(TradingCalendar calendar) { this.calendar = calendar; }

    public TradingCalendar calendar() { return calendar; }

    /** The minute_idx of {@code tsNs} (≥ 0), or {@code −1 − reason.ordinal()} when the market is closed then. */
    public int minuteOf(long tsNs) {
        if (tsNs < dayStartNs || tsNs >= dayEndNs) load(tsNs);
        if (tsNs >= openNs && tsNs < closeNs) return firstMinuteIdx + (int) ((tsNs - openNs) / (60 * NS));
        if (closedReason != null) return -1 - closedReason.ordinal();
        return -1 - (tsNs < openNs ? MinuteLookup.Reason.BEFORE_OPEN : MinuteLookup.Reason.AFTER_CLOSE).ordinal();
    }

    /** The reason a negative {@link #minuteOf} answer stands for. */
    public static MinuteLookup.Reason reasonOf(int code) { return MinuteLookup.Reason.values()[-1 - code]; }

    private void load(long tsNs) {
        Instant ts = Instant.ofEpochSecond(Math.floorDiv(tsNs, NS), Math.floorMod(tsNs, NS));
        LocalDate date = LocalDate.ofInstant(ts, TradingCalendar.NEW_YORK);
        dayStartNs = date.atStartOfDay(TradingCalendar.NEW_YORK).toEpochSecond() * NS;
        dayEndNs = date.plusDays(1).atStartOfDay(TradingCalendar.NEW_YORK).toEpochSecond() * NS;
        MinuteLookup l = calendar.minuteIdx(ts);
        if (l instanceof MinuteLookup.MarketMinute || l instanceof MinuteLookup.MarketClosed c
                && (c.reason() == MinuteLookup.Reason.BEFORE_OPEN || c.reason() == MinuteLookup.Reason.AFTER_CLOSE)) {
            Session s = calendar.sessionOn(date).orElseThrow(() -> new IllegalStateException("bad math in MinuteClock: no session on " + date));
            openNs = s.openUtc().getEpochSecond() * NS;
            closeNs = s.closeUtc().getEpochSecond() * NS;
            firstMinuteIdx = s.firstMinuteIdx();
            closedReason = null;
        } else {
            openNs = closeNs = dayEndNs;
            closedReason = ((MinuteLookup.MarketClosed) l).reason();
        }
    }
}
