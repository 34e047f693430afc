package io.quire.windows.treasury;

import io.quire.core.QuireException;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * When a curve dated D becomes usable. The default, {@link #nextSessionOpen}: <b>the open of the
 * first NYSE session strictly after D</b>. Treasury publishes the curve for D after the close of
 * D (roughly 16:00–18:00 New York time), so using it during D would be look-ahead; the next
 * session is the first one that could have known it. A curve dated on a day NYSE is closed (Good
 * Friday, when the bond market trades a short day) becomes effective at the next session too, and
 * a day NYSE trades but Treasury does not publish (Columbus Day) simply carries the previous
 * curve forward.
 */
@FunctionalInterface
public interface EffectiveRule {
    /** Days searched for the next session: covers weekends plus the longest closure (4 sessions in 2001). */
    int SEARCH_DAYS_MAX = 14;

    Instant effectiveTs(LocalDate curveDate);

    /** The default rule over NYSE calendars built with {@link TradingCalendar#nyse}. */
    static EffectiveRule nextSessionOpen() { return nextSessionOpen(TradingCalendar::nyse); }

    /** The default rule over the given calendars (year → calendar; cached). */
    static EffectiveRule nextSessionOpen(IntFunction<TradingCalendar> calendars) {
        ConcurrentHashMap<Integer, TradingCalendar> cache = new ConcurrentHashMap<>();
        IntFunction<TradingCalendar> cal = y -> cache.computeIfAbsent(y, calendars::apply);
        return d -> sessionAfter(cal, d).openUtc();
    }

    /** The first session strictly after {@code date}; INVALID_INPUT if none within {@link #SEARCH_DAYS_MAX}. */
    static Session sessionAfter(IntFunction<TradingCalendar> calendars, LocalDate date) {
        for (int i = 1; i <= SEARCH_DAYS_MAX; i++) {
            LocalDate d = date.plusDays(i);
            Optional<Session> s = calendars.apply(d.getYear()).sessionOn(d);
            if (s.isPresent()) return s.get();
        }
        throw QuireException.invalid("no NYSE session within " + SEARCH_DAYS_MAX + " days after " + date);
    }
}
