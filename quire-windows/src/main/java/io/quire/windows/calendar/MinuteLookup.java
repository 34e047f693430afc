package io.quire.windows.calendar;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The answer of {@link TradingCalendar#minuteIdx(Instant)}: the market minute an instant falls
 * in, or why the market is closed then. A value, not an exception: asking about a closed minute
 * is routine for an ingest engine (a trade print at 16:00:00.001 belongs to no window).
 */
public sealed interface MinuteLookup permits MinuteLookup.MarketMinute, MinuteLookup.MarketClosed {

    /**
     * The instant lies in {@code [start, start + 60 s)} of the market minute {@code minuteIdx}.
     *
     * @param minuteIdx the minute's index within the year (0-based)
     * @param session   the session the minute belongs to
     * @param minuteSeq the minute's number within its session (1-based: 09:30 is 1)
     */
    record MarketMinute(int minuteIdx, Session session, int minuteSeq) implements MinuteLookup {
        /** The minute's first instant. */
        public Instant start() { return session.openUtc().plusSeconds(60L * (minuteSeq - 1)); }

        /** The minute's {@code window_id}. */
        public WindowId windowId() { return new WindowId(session.date().getYear(), session.sessionSeq(), minuteSeq); }
    }

    /**
     * The market is closed at the instant.
     *
     * @param reason why
     * @param date   the New York date of the instant
     * @param detail for a holiday or closure its name ("Good Friday"), else a short phrase
     */
    record MarketClosed(Reason reason, LocalDate date, String detail) implements MinuteLookup {}

    /** Why the market is closed. */
    enum Reason {
        /** A Saturday or Sunday. */
        WEEKEND,
        /** One of the ten NYSE holidays (as observed). */
        HOLIDAY,
        /** An announced closure of a whole day (from the calendar data). */
        CLOSURE,
        /** A session day, before 09:30 New York time. */
        BEFORE_OPEN,
        /** A session day, at or after its close (16:00 or the early close). */
        AFTER_CLOSE,
        /** The instant's New York date is in another year than the calendar's. */
        OTHER_YEAR
    }

    /** Whether this is a market minute. */
    default boolean isOpen() { return this instanceof MarketMinute; }
}
