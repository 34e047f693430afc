package io.quire.windows.regions;

import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure functions from instants to ranges of {@code minute_idx} over one {@link TradingCalendar}.
 * Because {@code minute_idx} numbers the market minutes of a year in time order with no gaps,
 * the market minutes whose start lies in any time interval form one contiguous, half-open
 * range {@code [from, to)} — possibly empty, possibly crossing sessions, nights and weekends.
 */
public final class MinuteSpans {
    private MinuteSpans() {}

    /** A half-open range {@code [fromMinuteIdx, toMinuteIdx)} of a year's market minutes. */
    public record Span(int fromMinuteIdx, int toMinuteIdx) {
        public Span {
            if (fromMinuteIdx < 0 || toMinuteIdx < fromMinuteIdx) throw new IllegalStateException("bad math in Span: [" + fromMinuteIdx + ", " + toMinuteIdx + ")");
        }

        public int minutes() { return toMinuteIdx - fromMinuteIdx; }

        public boolean isEmpty() { return toMinuteIdx == fromMinuteIdx; }

        public boolean contains(int minuteIdx) { return minuteIdx >= fromMinuteIdx && minuteIdx < toMinuteIdx; }
    }

    /** The part of a {@link Span} that lies in one session. */
    public record SessionSpan(int sessionSeq, java.time.LocalDate date, int fromMinuteIdx, int toMinuteIdx) {
        public int minutes() { return toMinuteIdx - fromMinuteIdx; }
    }

    /** {@code ts} truncated to its minute ({@code floor_to_minute}); instants before 1970 round down too. */
    public static Instant floorToMinute(Instant ts) { return ts.truncatedTo(ChronoUnit.MINUTES); }

    /**
     * The smallest {@code minute_idx} whose minute starts at or after {@code ts}, or
     * {@code totalMinutes()} when no minute of the year does.
     */
    public static int firstMinuteAtOrAfter(TradingCalendar cal, Instant ts) {
        List<Session> sessions = cal.sessions();
        int lo = 0, hi = sessions.size(); // First session whose last minute starts at or after ts.
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Instant lastStart = sessions.get(mid).closeUtc().minusSeconds(60);
            if (lastStart.isBefore(ts)) lo = mid + 1;
            else hi = mid;
        }
        if (lo == sessions.size()) return cal.totalMinutes();
        Session s = sessions.get(lo);
        if (!ts.isAfter(s.openUtc())) return s.firstMinuteIdx();
        long nanos = java.time.Duration.between(s.openUtc(), ts).toNanos();
        long minutes = (nanos + 59_999_999_999L) / 60_000_000_000L; // ceil: the next minute start at or after ts
        if (minutes >= s.minutes()) throw new IllegalStateException("bad math in firstMinuteAtOrAfter: " + ts + " in " + s);
        return s.firstMinuteIdx() + (int) minutes;
    }

    /**
     * The market minutes of {@code cal} whose start lies in {@code [floor_to_minute(from), to)}:
     * a minute belongs to an interval when it begins inside it. Empty when {@code to <= from},
     * or when the interval holds no market minute of the year (a weekend, a night, another year).
     */
    public static Span span(TradingCalendar cal, Instant from, Instant to) {
        int a = firstMinuteAtOrAfter(cal, floorToMinute(from));
        int b = firstMinuteAtOrAfter(cal, to);
        return new Span(a, Math.max(a, b));
    }

    /** A span cut at session boundaries, in order; empty sessions are left out. */
    public static List<SessionSpan> bySession(TradingCalendar cal, Span span) {
        List<SessionSpan> out = new ArrayList<>();
        int m = span.fromMinuteIdx();
        while (m < span.toMinuteIdx()) {
            Session s = cal.sessionOfMinute(m);
            int end = Math.min(span.toMinuteIdx(), s.firstMinuteIdx() + s.minutes());
            out.add(new SessionSpan(s.sessionSeq(), s.date(), m, end));
            m = end;
        }
        return out;
    }
}
