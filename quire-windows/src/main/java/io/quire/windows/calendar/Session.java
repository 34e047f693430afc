package io.quire.windows.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;

/**
 * One regular trading session of a {@link TradingCalendar}.
 *
 * @param sessionSeq     1-based number of the session within its year
 * @param date           the New York trading date
 * @param open           09:30 New York time on {@code date}
 * @param close          16:00, or the announced early close, New York time on {@code date}
 * @param minutes        market minutes of the session: 390, or 210 for a 13:00 early close
 * @param firstMinuteIdx the year's {@code minute_idx} of the session's first minute (09:30)
 * @param earlyClose     the announced early close, or null for a full session
 */
public record Session(int sessionSeq, LocalDate date, ZonedDateTime open, ZonedDateTime close, int minutes,
                      int firstMinuteIdx, Announcement earlyClose) {

    /** The open as an instant (UTC). */
    public Instant openUtc() { return open.toInstant(); }

    /** The close as an instant (UTC): the first instant after the session's last minute. */
    public Instant closeUtc() { return close.toInstant(); }

    /** The {@code minute_idx} of the session's last minute (inclusive). */
    public int lastMinuteIdx() { return firstMinuteIdx + minutes - 1; }

    /** Whether {@code minuteIdx} is one of this session's minutes. */
    public boolean containsMinute(int minuteIdx) { return minuteIdx >= firstMinuteIdx && minuteIdx <= lastMinuteIdx(); }

    public boolean isEarlyClose() { return earlyClose != null; }
}
