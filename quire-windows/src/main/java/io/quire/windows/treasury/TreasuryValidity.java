package io.quire.windows.treasury;

import io.quire.core.QuireException;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.regions.MinuteSpans;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The seed's treasury mapping rule, as pure functions over {@link TradingCalendar}s:
 * {@code valid_from = floor_to_minute(effective_ts)}; {@code valid_to} = the next curve's
 * {@code valid_from}; for the newest curve, the close of the session it becomes effective in,
 * or, when the caller says data is known to be current through a later day ({@code coverThrough}:
 * Treasury published nothing newer, e.g. over Columbus Day), the close of the last session on or
 * before that day. Each interval becomes one contiguous {@code minute_idx} range of the year.
 */
public final class TreasuryValidity {
    private TreasuryValidity() {}

    /**
     * @param curves       curves of any order (sorted here by date); dates must be distinct
     * @param year         the calendar whose minutes are addressed
     * @param calendars    year → calendar, for sessions in neighbouring years
     * @param coverThrough null, or the last day the newest curve is known to cover
     */
    public static List<CurveValidity> map(List<TreasuryCurve> curves, TradingCalendar year, IntFunction<TradingCalendar> calendars, LocalDate coverThrough) {
        List<TreasuryCurve> cs = curves.stream().sorted(Comparator.comparing(TreasuryCurve::date)).toList();
        for (int i = 1; i < cs.size(); i++) {
            if (cs.get(i).date().equals(cs.get(i - 1).date())) throw QuireException.invalid("two curves dated " + cs.get(i).date());
        }
        List<CurveValidity> out = new ArrayList<>(cs.size());
        for (int i = 0; i < cs.size(); i++) {
            TreasuryCurve c = cs.get(i);
            Instant from = MinuteSpans.floorToMinute(c.effectiveTs());
            Instant to;
            if (i + 1 < cs.size()) {
                to = MinuteSpans.floorToMinute(cs.get(i + 1).effectiveTs());
                if (to.isBefore(from)) to = from; // An effective rule that is not monotone in date: the newer curve wins.
            } else {
                to = lastClose(from, calendars, coverThrough);
            }
            MinuteSpans.Span span = MinuteSpans.span(year, from, to);
            out.add(new CurveValidity(c, from, to, span, MinuteSpans.bySession(year, span)));
        }
        return out;
    }

    /** The close of the session in which {@code from} falls or that follows it, extended to {@code coverThrough}. */
    static Instant lastClose(Instant from, IntFunction<TradingCalendar> calendars, LocalDate coverThrough) {
        LocalDate d = LocalDate.ofInstant(from, TradingCalendar.NEW_YORK);
        Session first = null;
        for (int i = 0; i <= EffectiveRule.SEARCH_DAYS_MAX && first == null; i++) {
            LocalDate day = d.plusDays(i);
            Optional<Session> s = calendars.apply(day.getYear()).sessionOn(day);
            if (s.isPresent() && s.get().closeUtc().isAfter(from)) first = s.get();
        }
        if (first == null) throw QuireException.invalid("no NYSE session within " + EffectiveRule.SEARCH_DAYS_MAX + " days after " + from);
        Instant to = first.closeUtc();
        if (coverThrough != null && coverThrough.isAfter(first.date())) {
            for (int i = 0; i <= EffectiveRule.SEARCH_DAYS_MAX; i++) {
                LocalDate day = coverThrough.minusDays(i);
                if (!day.isAfter(first.date())) break;
                Optional<Session> s = calendars.apply(day.getYear()).sessionOn(day);
                if (s.isPresent()) {
                    to = s.get().closeUtc();
                    break;
                }
            }
        }
        return to;
    }
}
