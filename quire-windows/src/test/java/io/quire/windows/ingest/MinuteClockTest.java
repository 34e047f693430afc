package io.quire.windows.ingest;

import io.quire.windows.calendar.MinuteLookup;
import io.quire.windows.calendar.TradingCalendar;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The cached clock agrees with {@link TradingCalendar#minuteIdx(Instant)} everywhere. */
class MinuteClockTest {

    static void same(TradingCalendar cal, MinuteClock clock, long ns, String ctx) {
        MinuteLookup want = cal.minuteIdx(Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)));
        int got = clock.minuteOf(ns);
        if (want instanceof MinuteLookup.MarketMinute mm) assertThat(got).as(ctx + " " + ns).isEqualTo(mm.minuteIdx());
        else assertThat(MinuteClock.reasonOf(got)).as(ctx + " " + ns).isEqualTo(((MinuteLookup.MarketClosed) want).reason());
    }

    /**
     * Invariants checked: for every 37 s step through 2025 (DST changes, holidays, the 13:00 early
     * closes, the year's edges) and at the open, close and ±1 ns of every session, in order and in a
     * seeded random order, the clock gives the calendar's answer.
     */
    @Test
    void shouldAgreeWithTheCalendarEverywhere() {
        TradingCalendar cal = TradingCalendar.nyse(2025);
        MinuteClock clock = new MinuteClock(cal);
        long from = Instant.parse("2024-12-31T00:00:00Z").getEpochSecond() * 1_000_000_000L;
        long to = Instant.parse("2026-01-02T12:00:00Z").getEpochSecond() * 1_000_000_000L;
        for (long ns = from; ns < to; ns += 37_000_000_123L) same(cal, clock, ns, "sweep");
        for (var s : cal.sessions()) {
            long open = s.openUtc().getEpochSecond() * 1_000_000_000L, close = s.closeUtc().getEpochSecond() * 1_000_000_000L;
            for (long ns : new long[] {open - 1, open, open + 1, close - 1, close, close + 1}) same(cal, clock, ns, s.date().toString());
        }
        long seed = Long.getLong("quire.test.seed", System.nanoTime());
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) same(cal, clock, from + rnd.nextLong(to - from), "seed " + seed);
    }
}
