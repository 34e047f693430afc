package io.quire.windows.treasury;

import java.util.Locale;

/**
 * The maturities of the US Treasury daily par yield curve, in maturity order. {@link #label()}
 * is the column header Treasury uses today; {@link #ofHeader} also accepts the spellings it has
 * used ({@code 1.5 Month} vs {@code 1 Mo}, {@code Year}/{@code Yr}), case and spacing aside.
 * {@code 4 Mo} first appears in October 2022 files, {@code 1.5 Month} in February 2025.
 */
public enum Tenor {
    M1("1 Mo", 1), M1_5("1.5 Month", 1.5), M2("2 Mo", 2), M3("3 Mo", 3), M4("4 Mo", 4), M6("6 Mo", 6),
    Y1("1 Yr", 12), Y2("2 Yr", 24), Y3("3 Yr", 36), Y5("5 Yr", 60), Y7("7 Yr", 84), Y10("10 Yr", 120), Y20("20 Yr", 240), Y30("30 Yr", 360);

    private final String label;
    private final double months;

    Tenor(String label, double months) {
        this.label = label;
        this.months = months;
    }

    public String label() { return label; }

    /** Maturity in months (1.5 for {@code 1.5 Month}). */
    public double months() { return months; }

    /** Maturity in years, as Black-Scholes wants it. */
    public double years() { return months / 12.0; }

    /** The tenor a CSV header names, or null when it names none. */
    public static Tenor ofHeader(String header) {
        String n = normalize(header);
        for (Tenor t : values()) if (normalize(t.label).equals(n)) return t;
        return null;
    }

    private static String normalize(String h) {
        String s = h.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        s = s.replaceAll("(?<=\\d) ?(months|month|mos|mo)$", " mo").replaceAll("(?<=\\d) ?(years|year|yrs|yr)$", " yr");
        return s;
    }

    static {
        for (int i = 1; i < values().length; i++) {
            if (values()[i].months <= values()[i - 1].months) throw new IllegalStateException("bad math in Tenor: not in maturity order at " + values()[i]);
        }
    }
}
