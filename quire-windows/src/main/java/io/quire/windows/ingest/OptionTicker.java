package io.quire.windows.ingest;

import io.quire.core.QuireException;
import io.quire.windows.pricing.OptionType;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * An OCC option symbol as Polygon/Massive writes it: {@code O:} + root + {@code YYMMDD} + {@code C}|{@code P}
 * + strike × 1000 in 8 digits. {@code O:SPY251112C00675000} is the SPY call expiring 2025-11-12
 * struck at 675.000. The root is 1..6 characters of A–Z, 0–9 and {@code .} (adjusted roots carry
 * a digit: {@code O:AAPL1…}); the year is 20YY.
 *
 * @param strikeThousandths strike in thousandths of a dollar (exact; {@link #strike()} as a double)
 */
public record OptionTicker(String ticker, String underlying, LocalDate expiry, OptionType type, long strikeThousandths) {

    public static final String PREFIX = "O:";
    /** Characters after the root: YYMMDD (6) + type (1) + strike (8). */
    public static final int SUFFIX_CHARS = 15;
    public static final int ROOT_CHARS_MAX = 6;

    public double strike() { return strikeThousandths / 1000.0; }

    /** Whether {@code ticker} claims to be an option (starts with {@code O:}). */
    public static boolean isOption(String ticker) { return ticker.startsWith(PREFIX); }

    /** The parsed ticker, or empty when it is not a well-formed option ticker. */
    public static Optional<OptionTicker> tryParse(String t) {
        int n = t.length();
        if (!t.startsWith(PREFIX) || n < PREFIX.length() + 1 + SUFFIX_CHARS || n > PREFIX.length() + ROOT_CHARS_MAX + SUFFIX_CHARS) return Optional.empty();
        int rootEnd = n - SUFFIX_CHARS;
        for (int i = PREFIX.length(); i < rootEnd; i++) {
            char c = t.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.')) return Optional.empty();
        }
        for (int i = rootEnd; i < n; i++) {
            if (i == rootEnd + 6) continue;
            char c = t.charAt(i);
            if (c < '0' || c > '9') return Optional.empty();
        }
        OptionType type = OptionType.ofLetter(t.charAt(rootEnd + 6));
        if (type == null) return Optional.empty();
        int yy = Integer.parseInt(t, rootEnd, rootEnd + 2, 10), mm = Integer.parseInt(t, rootEnd + 2, rootEnd + 4, 10), dd = Integer.parseInt(t, rootEnd + 4, rootEnd + 6, 10);
        LocalDate expiry;
        try {
            expiry = LocalDate.of(2000 + yy, mm, dd);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        long strike = Long.parseLong(t, rootEnd + 7, n, 10);
        if (strike == 0) return Optional.empty();
        return Optional.of(new OptionTicker(t, t.substring(PREFIX.length(), rootEnd), expiry, type, strike));
    }

    /** Like {@link #tryParse}, but INVALID_INPUT saying what is wrong. */
    public static OptionTicker parse(String t) {
        return tryParse(t).orElseThrow(() -> QuireException.invalid("'" + t + "' is not an option ticker: expected O:<root 1..6 of A-Z 0-9 .><YYMMDD><C|P><strike×1000, 8 digits, > 0>, e.g. O:SPY251112C00675000"));
    }

    /** The ticker of a contract: the inverse of {@link #parse}. */
    public static String format(String underlying, LocalDate expiry, OptionType type, long strikeThousandths) {
        if (strikeThousandths <= 0 || strikeThousandths > 99_999_999L) throw QuireException.invalid("strike×1000 " + strikeThousandths + " does not fit 8 digits");
        if (expiry.getYear() < 2000 || expiry.getYear() > 2099) throw QuireException.invalid("expiry " + expiry + " is outside 2000..2099");
        String s = String.format("%s%s%02d%02d%02d%c%08d", PREFIX, underlying, expiry.getYear() - 2000, expiry.getMonthValue(), expiry.getDayOfMonth(), type.letter(), strikeThousandths);
        parse(s); // the root must be valid too
        return s;
    }
}
