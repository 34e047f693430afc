package io.quire.windows.calendar;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.calendar.MinuteLookup.MarketClosed;
import io.quire.windows.calendar.MinuteLookup.MarketMinute;
import io.quire.windows.calendar.MinuteLookup.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The NYSE calendar against the exchange's published dates, and the window space arithmetic. */
class TradingCalendarTest {

    /**
     * Every weekday without a session, as NYSE published them (holiday calendars of 2021-12-27,
     * 2024-11-08 and 2025-12-23, and the closure of 2025-01-09).
     */
    static final Map<Integer, List<String>> CLOSED_WEEKDAYS = Map.of(
            2024, List.of("2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19",
                    "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25"),
            2025, List.of("2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26",
                    "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"),
            2026, List.of("2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19",
                    "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"),
            2027, List.of("2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18",
                    "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24"));

    /** The published 13:00 early closes. */
    static final Map<Integer, List<String>> EARLY_CLOSES = Map.of(
            2024, List.of("2024-07-03", "2024-11-29", "2024-12-24"),
            2025, List.of("2025-07-03", "2025-11-28", "2025-12-24"),
            2026, List.of("2026-11-27", "2026-12-24"),
            2027, List.of("2027-11-26"));

    /** Sessions and market minutes per year, counted from the published lists. */
    static final Map<Integer, int[]> SESSIONS_AND_MINUTES = Map.of(
            2024, new int[] {252, 249 * 390 + 3 * 210},
            2025, new int[] {250, 247 * 390 + 3 * 210},
            2026, new int[] {251, 249 * 390 + 2 * 210},
            2027, new int[] {251, 250 * 390 + 210});

    static Instant ny(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(TradingCalendar.NEW_YORK).toInstant();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {2024, 2025, 2026, 2027})
    void shouldCloseExactlyOnThePublishedHolidaysAndClosures(int year) {
        TradingCalendar cal = TradingCalendar.nyse(year);
        TreeSet<String> closedWeekdays = new TreeSet<>();
        for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
            boolean weekend = d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
            if (weekend) assertThat(cal.sessionOn(d)).as("%s is a weekend", d).isEmpty();
            else if (cal.sessionOn(d).isEmpty()) closedWeekdays.add(d.toString());
        }
        assertThat(closedWeekdays).containsExactlyElementsOf(CLOSED_WEEKDAYS.get(year));
        assertThat(cal.holidays()).hasSize(10);
        assertThat(cal.announcementsComplete()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {2024, 2025, 2026, 2027})
    void shouldCloseAt1300OnThePublishedEarlyClosesAnd1600Otherwise(int year) {
        TradingCalendar cal = TradingCalendar.nyse(year);
        List<String> early = cal.sessions().stream().filter(Session::isEarlyClose).map(s -> s.date().toString()).toList();
        assertThat(early).containsExactlyElementsOf(EARLY_CLOSES.get(year));
        for (Session s : cal.sessions()) {
            assertThat(s.open().toLocalTime()).isEqualTo(LocalTime.of(9, 30));
            if (s.isEarlyClose()) {
                assertThat(s.close().toLocalTime()).isEqualTo(LocalTime.of(13, 0));
                assertThat(s.minutes()).isEqualTo(CalendarLimits.SESSION_MINUTES_EARLY_CLOSE).isEqualTo(210);
            } else {
                assertThat(s.close().toLocalTime()).isEqualTo(LocalTime.of(16, 0));
                assertThat(s.minutes()).isEqualTo(CalendarLimits.SESSION_MINUTES_FULL).isEqualTo(390);
            }
            assertThat(Duration.between(s.openUtc(), s.closeUtc()).toMinutes()).isEqualTo(s.minutes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {2024, 2025, 2026, 2027})
    void shouldCountSessionsAndMinutesAsPublished(int year) {
        TradingCalendar cal = TradingCalendar.nyse(year);
        assertThat(cal.sessionCount()).isEqualTo(SESSIONS_AND_MINUTES.get(year)[0]);
        assertThat(cal.totalMinutes()).isEqualTo(SESSIONS_AND_MINUTES.get(year)[1]);
        int expectedFirst = 0;
        for (int i = 0; i < cal.sessionCount(); i++) {
            Session s = cal.sessions().get(i);
            assertThat(s.sessionSeq()).isEqualTo(i + 1);
            assertThat(s.firstMinuteIdx()).isEqualTo(expectedFirst);
            expectedFirst += s.minutes();
        }
        assertThat(expectedFirst).isEqualTo(cal.totalMinutes());
    }

    @Test
    void shouldHave96960MarketMinutesIn2025() {
        assertThat(TradingCalendar.nyse(2025).totalMinutes()).isEqualTo(96_960);
        assertThat(TradingCalendar.nyse(2025).sessionCount()).isEqualTo(250);
    }

    @Test
    void shouldCloseOn20250109ForTheNationalDayOfMourning() {
        TradingCalendar cal = TradingCalendar.nyse(2025);
        assertThat(cal.sessionOn(LocalDate.of(2025, 1, 9))).isEmpty();
        MinuteLookup r = cal.minuteIdx(ny("2025-01-09T10:00"));
        assertThat(r).isInstanceOf(MarketClosed.class);
        MarketClosed c = (MarketClosed) r;
        assertThat(c.reason()).isEqualTo(Reason.CLOSURE);
        assertThat(c.detail()).contains("Carter");
        // The rule-only calendar (no announcements) trades that day: the closure is data, not a rule.
        assertThat(TradingCalendar.of(2025, CalendarData.empty()).sessionOn(LocalDate.of(2025, 1, 9))).isPresent();
        assertThat(TradingCalendar.of(2025, CalendarData.empty()).announcementsComplete()).isFalse();
    }

    @Test
    void shouldObserveNoHolidayWhenNewYearsDayIsASaturday() {
        // 2022-01-01 and 2028-01-01 are Saturdays: NYSE traded on Friday 2021-12-31 and trades 2027-12-31.
        assertThat(TradingCalendar.nyse(2021).sessionOn(LocalDate.of(2021, 12, 31))).isPresent();
        assertThat(TradingCalendar.nyse(2027).sessionOn(LocalDate.of(2027, 12, 31))).isPresent();
        assertThat(NyseHolidays.of(2022)).hasSize(9).allSatisfy((d, name) -> assertThat(name).doesNotStartWith("New Year"));
        assertThat(NyseHolidays.of(2028).keySet().stream().map(LocalDate::toString).collect(Collectors.toList()))
                .containsExactly("2028-01-17", "2028-02-21", "2028-04-14", "2028-05-29", "2028-06-19", "2028-07-04",
                        "2028-09-04", "2028-11-23", "2028-12-25");
        // Sunday -> Monday: 2023-01-01 was a Sunday, observed Monday 2023-01-02.
        assertThat(NyseHolidays.of(2023)).containsEntry(LocalDate.of(2023, 1, 2), "New Year's Day (observed)");
    }

    @Test
    void shouldHaveNoJuneteenthBefore2022() {
        assertThat(NyseHolidays.of(2021)).hasSize(9).doesNotContainKey(LocalDate.of(2021, 6, 18));
        assertThat(NyseHolidays.of(2022)).containsEntry(LocalDate.of(2022, 6, 20), "Juneteenth National Independence Day (observed)");
    }

    @Test
    void shouldComputeEasterByTheGregorianComputus() {
        assertThat(NyseHolidays.easterSunday(2000)).isEqualTo(LocalDate.of(2000, 4, 23));
        assertThat(NyseHolidays.easterSunday(2008)).isEqualTo(LocalDate.of(2008, 3, 23));
        assertThat(NyseHolidays.easterSunday(2011)).isEqualTo(LocalDate.of(2011, 4, 24));
        assertThat(NyseHolidays.easterSunday(2038)).isEqualTo(LocalDate.of(2038, 4, 25));
        assertThat(NyseHolidays.easterSunday(2100)).isEqualTo(LocalDate.of(2100, 3, 28));
    }

    @Test
    void shouldMoveTheUtcOpenWithDaylightSaving() {
        TradingCalendar c25 = TradingCalendar.nyse(2025);
        // DST began Sunday 2025-03-09 and ended Sunday 2025-11-02.
        assertThat(c25.sessionOn(LocalDate.of(2025, 3, 7)).orElseThrow().openUtc()).isEqualTo("2025-03-07T14:30:00Z");
        assertThat(c25.sessionOn(LocalDate.of(2025, 3, 10)).orElseThrow().openUtc()).isEqualTo("2025-03-10T13:30:00Z");
        assertThat(c25.sessionOn(LocalDate.of(2025, 3, 10)).orElseThrow().closeUtc()).isEqualTo("2025-03-10T20:00:00Z");
        assertThat(c25.sessionOn(LocalDate.of(2025, 10, 31)).orElseThrow().openUtc()).isEqualTo("2025-10-31T13:30:00Z");
        assertThat(c25.sessionOn(LocalDate.of(2025, 11, 3)).orElseThrow().openUtc()).isEqualTo("2025-11-03T14:30:00Z");
        assertThat(c25.sessionOn(LocalDate.of(2025, 11, 28)).orElseThrow().closeUtc()).isEqualTo("2025-11-28T18:00:00Z");
        TradingCalendar c26 = TradingCalendar.nyse(2026);
        // 2026: DST begins 2026-03-08, ends 2026-11-01.
        assertThat(c26.sessionOn(LocalDate.of(2026, 3, 6)).orElseThrow().openUtc()).isEqualTo("2026-03-06T14:30:00Z");
        assertThat(c26.sessionOn(LocalDate.of(2026, 3, 9)).orElseThrow().openUtc()).isEqualTo("2026-03-09T13:30:00Z");
        assertThat(c26.sessionOn(LocalDate.of(2026, 10, 30)).orElseThrow().openUtc()).isEqualTo("2026-10-30T13:30:00Z");
        assertThat(c26.sessionOn(LocalDate.of(2026, 11, 2)).orElseThrow().openUtc()).isEqualTo("2026-11-02T14:30:00Z");
        // The minute lookup agrees: 13:30Z is before the open in winter and the open in summer.
        assertThat(c25.minuteIdx(Instant.parse("2025-03-07T13:30:00Z"))).isInstanceOf(MarketClosed.class);
        assertThat(((MarketMinute) c25.minuteIdx(Instant.parse("2025-03-10T13:30:00Z"))).minuteSeq()).isEqualTo(1);
    }

    /**
     * Invariants checked: for every minute of every shipped year, minuteStart ↔ minuteIdx round
     * trip at the first and last nanosecond of the minute, the window id round trips through its
     * text, minutes are 60 s apart inside a session, and the minute after the last is closed.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {2024, 2025, 2026, 2027})
    void shouldRoundTripEveryMinuteOfTheYear(int year) {
        TradingCalendar cal = TradingCalendar.nyse(year);
        Instant prev = null;
        int prevSession = -1;
        for (int i = 0; i < cal.totalMinutes(); i++) {
            Instant start = cal.minuteStart(i);
            MarketMinute m = (MarketMinute) cal.minuteIdx(start);
            if (m.minuteIdx() != i) throw new AssertionError("minute " + i + " start " + start + " -> " + m);
            MarketMinute last = (MarketMinute) cal.minuteIdx(start.plusSeconds(59).plusNanos(999_999_999));
            if (last.minuteIdx() != i) throw new AssertionError("minute " + i + " end -> " + last);
            if (!m.start().equals(start)) throw new AssertionError("start " + m.start() + " vs " + start);
            WindowId w = cal.windowId(i);
            if (!w.equals(m.windowId()) || cal.minuteIdx(w.toString()) != i || !WindowId.parse(w.toString()).equals(w)) {
                throw new AssertionError("window id " + w + " of minute " + i);
            }
            if (prev != null && w.sessionSeq() == prevSession && !Duration.between(prev, start).equals(Duration.ofMinutes(1))) {
                throw new AssertionError("minute " + i + " is not 60 s after the previous one");
            }
            if (w.minuteSeq() == cal.session(w.sessionSeq()).minutes()) {
                MinuteLookup after = cal.minuteIdx(start.plusSeconds(60));
                if (!(after instanceof MarketClosed c) || c.reason() != Reason.AFTER_CLOSE) {
                    throw new AssertionError("after the last minute of session " + w.sessionSeq() + ": " + after);
                }
            }
            prev = start;
            prevSession = w.sessionSeq();
        }
    }

    @Test
    void shouldSayWhyTheMarketIsClosed() {
        TradingCalendar cal = TradingCalendar.nyse(2025);
        assertClosed(cal, "2025-03-08T10:00", Reason.WEEKEND);
        assertClosed(cal, "2025-03-09T12:00", Reason.WEEKEND);
        assertClosed(cal, "2025-04-18T10:00", Reason.HOLIDAY);
        assertThat(((MarketClosed) cal.minuteIdx(ny("2025-04-18T10:00"))).detail()).isEqualTo("Good Friday");
        assertClosed(cal, "2025-01-09T09:30", Reason.CLOSURE);
        assertClosed(cal, "2025-03-10T09:29:59.999999999", Reason.BEFORE_OPEN);
        assertClosed(cal, "2025-03-10T00:00", Reason.BEFORE_OPEN);
        assertClosed(cal, "2025-03-10T16:00", Reason.AFTER_CLOSE);
        assertClosed(cal, "2025-03-10T23:59:59", Reason.AFTER_CLOSE);
        assertClosed(cal, "2025-11-28T13:00", Reason.AFTER_CLOSE);
        assertClosed(cal, "2025-11-28T15:00", Reason.AFTER_CLOSE);
        assertClosed(cal, "2024-12-31T10:00", Reason.OTHER_YEAR);
        assertClosed(cal, "2026-01-02T10:00", Reason.OTHER_YEAR);
        // New York's date decides the year: 2025-12-31 20:00 New York is 2026-01-01T01:00Z.
        assertClosed(cal, "2025-12-31T20:00", Reason.AFTER_CLOSE);
        // The exact open is the first minute; the last nanosecond before the close is the last one.
        MarketMinute open = (MarketMinute) cal.minuteIdx(ny("2025-03-10T09:30"));
        assertThat(open.minuteSeq()).isEqualTo(1);
        assertThat(open.windowId().toString()).isEqualTo("2025:45:1");
        MarketMinute lastFull = (MarketMinute) cal.minuteIdx(ny("2025-03-10T15:59:59.999999999"));
        assertThat(lastFull.minuteSeq()).isEqualTo(390);
        assertThat(lastFull.minuteIdx()).isEqualTo(open.minuteIdx() + 389);
        MarketMinute lastEarly = (MarketMinute) cal.minuteIdx(ny("2025-11-28T12:59:00"));
        assertThat(lastEarly.minuteSeq()).isEqualTo(210);
        // The first minute of the year.
        MarketMinute first = (MarketMinute) cal.minuteIdx(ny("2025-01-02T09:30"));
        assertThat(first.minuteIdx()).isZero();
        assertThat(first.windowId()).isEqualTo(new WindowId(2025, 1, 1));
        assertThat(cal.minuteStart(0)).isEqualTo("2025-01-02T14:30:00Z");
        assertThat(cal.minuteStart(cal.totalMinutes() - 1)).isEqualTo("2025-12-31T20:59:00Z");
        assertThat(cal.windowId(cal.totalMinutes() - 1).toString()).isEqualTo("2025:250:390");
        assertThat(cal.minuteIdx(Instant.parse("2025-01-02T14:30:00Z")).isOpen()).isTrue();
    }

    private static void assertClosed(TradingCalendar cal, String nyLocal, Reason reason) {
        MinuteLookup r = cal.minuteIdx(ny(nyLocal));
        assertThat(r).as(nyLocal).isInstanceOfSatisfying(MarketClosed.class, c -> assertThat(c.reason()).isEqualTo(reason));
        assertThat(r.isOpen()).isFalse();
    }

    @Test
    void shouldRefuseMinuteIndicesOutsideTheYear() {
        TradingCalendar cal = TradingCalendar.nyse(2025);
        assertInvalid(() -> cal.minuteStart(-1), "minute_idx -1 is outside 0..96959");
        assertInvalid(() -> cal.minuteStart(96_960), "minute_idx 96960 is outside 0..96959");
        assertInvalid(() -> cal.windowId(96_960), "outside");
        assertThat(cal.minuteStart(96_959)).isNotNull();
    }

    @Test
    void shouldRefuseWindowIdsThatNameNoMarketMinute() {
        TradingCalendar cal = TradingCalendar.nyse(2025);
        assertInvalid(() -> cal.minuteIdx("2024:1:1"), "is of year 2024, not 2025");
        assertInvalid(() -> cal.minuteIdx("2025:251:1"), "session_seq 251 is outside 1..250");
        // Session 228 is 2025-11-28, a 13:00 early close of 210 minutes.
        assertThat(cal.session(228).date()).isEqualTo(LocalDate.of(2025, 11, 28));
        assertThat(cal.minuteIdx("2025:228:210")).isEqualTo(cal.session(228).lastMinuteIdx());
        assertInvalid(() -> cal.minuteIdx("2025:228:211"), "has 210 minutes");
        assertThat(cal.minuteIdx("2025:250:390")).isEqualTo(96_959);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "2025", "2025:1", "2025:1:1:1", "2025:01:1", "2025:1:01", "+2025:1:1", "-2025:1:1",
            " 2025:1:1", "2025:1:1 ", "2025::1", "2025:1:0", "2025:0:1", "2025:263:1", "2025:1:391", "1999:1:1",
            "2101:1:1", "2025:1:9999999999", "2025:a:1", "2025:1:1\n", "20251111111111111:1:1", "२०२५:1:1"})
    void shouldRefuseNonCanonicalOrOutOfRangeWindowIds(String text) {
        assertThatThrownBy(() -> WindowId.parse(text)).isInstanceOfSatisfying(QuireException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }

    @Test
    void shouldAcceptWindowIdsAtTheirLimits() {
        assertThat(WindowId.parse("2000:1:1")).isEqualTo(new WindowId(2000, 1, 1));
        assertThat(WindowId.parse("2100:262:390").toString()).isEqualTo("2100:262:390");
        assertThat(WindowId.parse("2100:262:390").toString().length()).isLessThanOrEqualTo(WindowId.TEXT_CHARS_MAX);
    }

    @Test
    void shouldRefuseYearsOutsideTheSupportedRange() {
        assertThat(TradingCalendar.nyse(CalendarLimits.YEAR_MIN).sessionCount()).isPositive();
        assertThat(TradingCalendar.nyse(CalendarLimits.YEAR_MAX).sessionCount()).isPositive();
        assertInvalid(() -> TradingCalendar.nyse(CalendarLimits.YEAR_MIN - 1), "year 1999 is outside the supported range 2000..2100");
        assertInvalid(() -> TradingCalendar.nyse(CalendarLimits.YEAR_MAX + 1), "year 2101 is outside");
    }

    @Test
    void shouldStayWithinTheNamedLimitsForEverySupportedYear() {
        for (int y = CalendarLimits.YEAR_MIN; y <= CalendarLimits.YEAR_MAX; y++) {
            TradingCalendar cal = TradingCalendar.of(y, CalendarData.empty());
            assertThat(cal.sessionCount()).isBetween(240, CalendarLimits.SESSIONS_PER_YEAR_MAX);
            assertThat(cal.totalMinutes()).isLessThanOrEqualTo(CalendarLimits.MINUTES_PER_YEAR_MAX);
            assertThat(cal.holidays()).hasSizeBetween(8, 10);
        }
    }

    static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
