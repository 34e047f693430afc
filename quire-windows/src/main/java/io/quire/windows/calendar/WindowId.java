package io.quire.windows.calendar;

import io.quire.core.QuireException;

/**
 * A {@code window_id}: {@code <year>:<session_seq>:<minute_seq>}, both sequences 1-based
 * ({@code 2025:1:1} is 09:30 New York time on 2025-01-02, the year's first session). It names a
 * market minute for bookkeeping; runtime addressing uses {@code minute_idx}
 * ({@link TradingCalendar#minuteIdx(WindowId)} converts).
 *
 * <p>The text form is canonical: decimal, no sign, no leading zeros, no spaces. {@link #parse}
 * refuses anything that does not print back to the same string, so one minute has one id.
 */
public record WindowId(int year, int sessionSeq, int minuteSeq) {

    /** The longest text accepted by {@link #parse}, in characters ({@code 2100:262:390} is 12). */
    public static final int TEXT_CHARS_MAX = 16;

    public WindowId {
        if (year < CalendarLimits.YEAR_MIN || year > CalendarLimits.YEAR_MAX) {
            throw QuireException.invalid("window id year " + year + " is outside " + CalendarLimits.YEAR_MIN + ".." + CalendarLimits.YEAR_MAX);
        }
        if (sessionSeq < 1 || sessionSeq > CalendarLimits.SESSIONS_PER_YEAR_MAX) {
            throw QuireException.invalid("window id session_seq " + sessionSeq + " is outside 1.." + CalendarLimits.SESSIONS_PER_YEAR_MAX);
        }
        if (minuteSeq < 1 || minuteSeq > CalendarLimits.SESSION_MINUTES_FULL) {
            throw QuireException.invalid("window id minute_seq " + minuteSeq + " is outside 1.." + CalendarLimits.SESSION_MINUTES_FULL);
        }
    }

    /** Parses {@code <year>:<session_seq>:<minute_seq>}; INVALID_INPUT naming the problem otherwise. */
    public static WindowId parse(String text) {
        if (text == null || text.isEmpty()) throw QuireException.invalid("window id must not be empty");
        if (text.length() > TEXT_CHARS_MAX) {
            throw QuireException.invalid("window id '" + shorten(text) + "' is longer than " + TEXT_CHARS_MAX + " characters");
        }
        String[] p = text.split(":", -1);
        if (p.length != 3) throw QuireException.invalid("window id '" + text + "' is not <year>:<session_seq>:<minute_seq>");
        int[] n = new int[3];
        for (int i = 0; i < 3; i++) {
            String s = p[i];
            if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9') || (s.length() > 1 && s.charAt(0) == '0')) {
                throw QuireException.invalid("window id '" + text + "': '" + s + "' is not a canonical decimal number");
            }
            // Nine digits always fit an int; anything longer is out of every range anyway.
            if (s.length() > 9) throw QuireException.invalid("window id '" + text + "': '" + s + "' is out of range");
            n[i] = Integer.parseInt(s);
        }
        return new WindowId(n[0], n[1], n[2]);
    }

    private static String shorten(String s) { return s.length() <= 40 ? s : s.substring(0, 40) + "…"; }

    @Override
    public String toString() { return year + ":" + sessionSeq + ":" + minuteSeq; }
}
