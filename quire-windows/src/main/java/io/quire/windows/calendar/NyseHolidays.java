package io.quire.windows.calendar;

import io.quire.core.QuireException;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ten NYSE holidays of a year, derived by rule (NYSE Rule 7.2), with the weekend observance:
 * a holiday on a Sunday is observed the Monday after; a holiday on a Saturday is observed the
 * Friday before, unless that Friday is the last business day of a month or of the year, in which
 * case no holiday is observed (this only ever hits New Year's Day: 2022-01-01 and 2028-01-01 fell
 * on a Saturday and NYSE traded on the Friday before).
 *
 * <p>Announced early closes and unscheduled closures are not derived here: they come from
 * {@link CalendarData}.
 */
public final class NyseHolidays {
    private NyseHolidays() {}

    /** Juneteenth National Independence Day became an NYSE holiday in 2022. */
    public static final int JUNETEENTH_FIRST_YEAR = 2022;

    /**
     * The observed holidays that fall in {@code year}, by date, with their names. A Saturday
     * holiday whose Friday falls in the previous year is not in this map (and is not observed).
     */
    public static Map<LocalDate, String> of(int year) {
        checkYear(year);
        TreeMap<LocalDate, String> m = new TreeMap<>();
        observe(m, LocalDate.of(year, Month.JANUARY, 1), "New Year's Day");
        m.put(nth(year, Month.JANUARY, DayOfWeek.MONDAY, 3), "Martin Luther King, Jr. Day");
        m.put(nth(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3), "Washington's Birthday");
        m.put(easterSunday(year).minusDays(2), "Good Friday");
        m.put(LocalDate.of(year, Month.MAY, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY)), "Memorial Day");
        if (year >= JUNETEENTH_FIRST_YEAR) {
            observe(m, LocalDate.of(year, Month.JUNE, 19), "Juneteenth National Independence Day");
        }
        observe(m, LocalDate.of(year, Month.JULY, 4), "Independence Day");
        m.put(nth(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1), "Labor Day");
        m.put(nth(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4), "Thanksgiving Day");
        observe(m, LocalDate.of(year, Month.DECEMBER, 25), "Christmas Day");
        return Collections.unmodifiableMap(m);
    }

    /**
     * Puts the observed date of a fixed-date holiday. Saturday moves to Friday unless the Friday
     * is in another month (it would then end a month, or the year: Rule 7.2 observes nothing);
     * Sunday moves to Monday.
     */
    private static void observe(Map<LocalDate, String> m, LocalDate actual, String name) {
        switch (actual.getDayOfWeek()) {
            case SATURDAY -> {
                LocalDate friday = actual.minusDays(1);
                if (friday.getMonth() == actual.getMonth()) m.put(friday, name + " (observed)");
            }
            case SUNDAY -> m.put(actual.plusDays(1), name + " (observed)");
            default -> m.put(actual, name);
        }
    }

    private static LocalDate nth(int year, Month month, DayOfWeek dow, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
    }

    /**
     * Easter Sunday of the Gregorian calendar by the anonymous Gregorian computus
     * (Meeus/Jones/Butcher, "Astronomical Algorithms", ch. 8), valid for every Gregorian year.
     */
    public static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = ((h + l - 7 * m + 114) % 31) + 1;
        return LocalDate.of(year, month, day);
    }

    static void checkYear(int year) {
        if (year < CalendarLimits.YEAR_MIN || year > CalendarLimits.YEAR_MAX) {
            throw QuireException.invalid("year " + year + " is outside the supported range "
                    + CalendarLimits.YEAR_MIN + ".." + CalendarLimits.YEAR_MAX);
        }
    }
}
