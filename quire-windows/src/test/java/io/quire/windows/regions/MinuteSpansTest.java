package io.quire.windows.regions;

import io.quire.windows.calendar.TradingCalendar;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Instants → minute_idx ranges, swept over every minute boundary of a few days. */
class MinuteSpansTest {
    static final TradingCalendar CAL = TradingCalendar.nyse(2025);

    @Test
    void shouldAgreeWithMinuteStartEverywhereInAWeek() {
        // Invariants checked: firstMinuteAtOrAfter(t) is the least i with minuteStart(i) >= t, for t on
        // and between every minute boundary from Thursday before a holiday weekend to the Tuesday after.
        Instant from = Instant.parse("2025-04-16T00:00:00Z"), to = Instant.parse("2025-04-23T00:00:00Z");
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(30)) {
            int i = MinuteSpans.firstMinuteAtOrAfter(CAL, t);
            if (i < CAL.totalMinutes()) assertThat(CAL.minuteStart(i)).as("at %s", t).isAfterOrEqualTo(t);
            if (i > 0) assertThat(CAL.minuteStart(i - 1)).as("before %s", t).isBefore(t);
        }
    }

    @Test
    void shouldHandleTheEdgesOfTheYear() {
        assertThat(MinuteSpans.firstMinuteAtOrAfter(CAL, Instant.parse("2020-01-01T00:00:00Z"))).isZero();
        assertThat(MinuteSpans.firstMinuteAtOrAfter(CAL, Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo(CAL.totalMinutes());
        MinuteSpans.Span all = MinuteSpans.span(CAL, Instant.parse("2024-06-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"));
        assertThat(all.minutes()).isEqualTo(CAL.totalMinutes());
        assertThat(MinuteSpans.bySession(CAL, all)).hasSize(CAL.sessionCount());
        assertThat(MinuteSpans.span(CAL, Instant.parse("2025-03-08T00:00:00Z"), Instant.parse("2025-03-09T00:00:00Z")).isEmpty()).isTrue();
        // The start is floored to its minute: 14:30:59 still includes the 14:30 minute.
        assertThat(MinuteSpans.span(CAL, Instant.parse("2025-01-02T14:30:59Z"), Instant.parse("2025-01-02T14:31:00Z")))
                .isEqualTo(new MinuteSpans.Span(0, 1));
        // The end is exclusive by minute start: ending at 14:31:00.000000001 includes the 14:31 minute.
        assertThat(MinuteSpans.span(CAL, Instant.parse("2025-01-02T14:30:00Z"), Instant.parse("2025-01-02T14:31:00.000000001Z")).minutes()).isEqualTo(2);
    }
}
