package io.quire.windows.treasury;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser of the US Treasury "Daily Treasury Par Yield Curve Rates" CSV, by column name.
 *
 * <ul>
 *   <li>Header: a {@code Date} column and at least one tenor column ({@link Tenor#ofHeader}),
 *       quoted or not, in any order, with or without a UTF-8 BOM. <b>Unknown columns are
 *       ignored with a warning</b> (Treasury adds tenors — {@code 4 Mo} in 2022, {@code 1.5 Month}
 *       in 2025 — and ingest should keep running while someone teaches {@link Tenor} the new one;
 *       the warning says what was dropped). A header without {@code Date}, without any tenor,
 *       with a repeated or empty column, or over {@link TreasuryLimits#COLUMNS_MAX} is fatal:
 *       INVALID_INPUT naming line 1, nothing parsed.</li>
 *   <li>Rows: {@code MM/DD/YYYY} dates (one- or two-digit month and day), yields in percent as
 *       plain decimals. A blank (or {@code N/A}) yield is <b>absent</b>, never 0. Rows come newest
 *       first; order does not matter, the result is sorted by date.</li>
 *   <li>A malformed row (wrong field count, bad date, bad number, no yield at all, a date with
 *       no session after it) is a {@link Problem} with its line number and is skipped; the rest of
 *       the file is still used. The same date twice with equal values is a warning; with
 *       different values both rows are problems and the date is skipped (which one is right?).</li>
 *   <li>Line endings LF or CRLF; blank lines are skipped; a quoted field may contain commas and
 *       {@code ""} but not a line break.</li>
 * </ul>
 */
public final class TreasuryCsv {
    private TreasuryCsv() {}

    /** A row that was skipped, with its 1-based line number (the header is line 1). */
    public record Problem(long line, String message) {
        @Override
        public String toString() { return "line " + line + ": " + message; }
    }

    /**
     * @param curves        good curves, oldest first
     * @param problems      skipped rows (at most {@link TreasuryLimits#PROBLEMS_KEPT_MAX})
     * @param problemsTotal all skipped rows, including those not kept
     * @param warnings      ignored columns, repeated identical rows
     * @param columns       the tenors the header has, in maturity order
     */
    public record Result(List<TreasuryCurve> curves, List<Problem> problems, long problemsTotal, List<String> warnings, List<Tenor> columns) {
        public Result {
            curves = List.copyOf(curves);
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
            columns = List.copyOf(columns);
        }
    }

    private static final Pattern DATE = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d{1,3})(\\.\\d{1,8})?|[-+]?\\.\\d{1,8}");

    public static Result parse(String source, String text, EffectiveRule rule) { return parse(source, new StringReader(text), rule); }

    /** Parses a whole file; {@code source} names it in messages. */
    public static Result parse(String source, Reader in, EffectiveRule rule) {
        try (BufferedReader r = new BufferedReader(in)) {
            return parse(source, r, rule);
        } catch (IOException e) {
            throw QuireException.io("cannot read treasury CSV " + source + ": " + e.getMessage(), Where.file(source, -1), e);
        }
    }

    private static Result parse(String source, BufferedReader r, EffectiveRule rule) throws IOException {
        List<String> warnings = new ArrayList<>();
        String headerLine = r.readLine();
        if (headerLine == null) throw badHeader(source, "the file is empty");
        if (headerLine.startsWith("\uFEFF")) headerLine = headerLine.substring(1);
        headerLine = stripCr(headerLine);
        if (headerLine.length() > TreasuryLimits.LINE_CHARS_MAX) throw badHeader(source, "the header is over " + TreasuryLimits.LINE_CHARS_MAX + " characters");
        List<String> header;
        try {
            header = fields(headerLine);
        } catch (IllegalArgumentException e) {
            throw badHeader(source, e.getMessage());
        }
        if (header.size() > TreasuryLimits.COLUMNS_MAX) throw badHeader(source, header.size() + " columns, over " + TreasuryLimits.COLUMNS_MAX);
        int dateCol = -1;
        Tenor[] tenorOf = new Tenor[header.size()];
        Set<String> seen = new HashSet<>();
        List<Tenor> columns = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).trim();
            if (h.isEmpty()) throw badHeader(source, "column " + (i + 1) + " has no name");
            if (!seen.add(h.toLowerCase(Locale.ROOT))) throw badHeader(source, "column \"" + h + "\" appears twice");
            if (h.equalsIgnoreCase("Date")) {
                dateCol = i;
                continue;
            }
            Tenor t = Tenor.ofHeader(h);
            if (t == null) {
                warnings.add("line 1: column \"" + h + "\" is not a known tenor; ignored");
            } else if (columns.contains(t)) {
                throw badHeader(source, "column \"" + h + "\" names tenor " + t.label() + " a second time");
            } else {
                tenorOf[i] = t;
                columns.add(t);
            }
        }
        if (dateCol < 0) throw badHeader(source, "no \"Date\" column (found: " + String.join(", ", header) + ")");
        if (columns.isEmpty()) throw badHeader(source, "no tenor column (expected names like \"1 Mo\", \"1.5 Month\", \"10 Yr\")");

        List<Problem> problems = new ArrayList<>();
        long[] problemsTotal = {0};
        Map<LocalDate, TreasuryCurve> byDate = new HashMap<>();
        Set<LocalDate> conflicted = new HashSet<>();
        long line = 1;
        int rows = 0;
        String raw;
        while ((raw = r.readLine()) != null) {
            line++;
            String s = stripCr(raw);
            if (s.isBlank()) continue;
            if (++rows > TreasuryLimits.ROWS_MAX) {
                throw QuireException.invalid("treasury CSV " + source + " line " + line + ": more than " + TreasuryLimits.ROWS_MAX
                        + " data rows (ROWS_MAX); split the file").withCode("treasury_too_large");
            }
            TreasuryCurve c;
            try {
                c = row(s, line, header.size(), dateCol, tenorOf, rule);
            } catch (IllegalArgumentException | DateTimeException | QuireException e) {
                problem(problems, problemsTotal, new Problem(line, e.getMessage()));
                continue;
            }
            if (conflicted.contains(c.date())) {
                problem(problems, problemsTotal, new Problem(line, "date " + c.date() + " appears again; skipped (its rows disagree)"));
                continue;
            }
            TreasuryCurve prev = byDate.get(c.date());
            if (prev == null) {
                byDate.put(c.date(), c);
            } else if (prev.sameValues(c.tenors())) {
                warnings.add("line " + line + ": date " + c.date() + " repeats line " + prev.line() + " with the same values; ignored");
            } else {
                byDate.remove(c.date());
                conflicted.add(c.date());
                problem(problems, problemsTotal, new Problem(prev.line(), "date " + c.date() + " has different values on line " + line + "; both skipped"));
                problem(problems, problemsTotal, new Problem(line, "date " + c.date() + " has different values on line " + prev.line() + "; both skipped"));
            }
        }
        List<TreasuryCurve> curves = new ArrayList<>(new TreeMap<>(byDate).values());
        columns.sort(null);
        return new Result(curves, problems, problemsTotal[0], warnings, columns);
    }

    private static TreasuryCurve row(String s, long line, int width, int dateCol, Tenor[] tenorOf, EffectiveRule rule) {
        if (s.length() > TreasuryLimits.LINE_CHARS_MAX) throw new IllegalArgumentException("line is over " + TreasuryLimits.LINE_CHARS_MAX + " characters");
        List<String> f = fields(s);
        if (f.size() != width) throw new IllegalArgumentException(f.size() + " fields, the header has " + width);
        LocalDate date = date(f.get(dateCol).trim());
        EnumMap<Tenor, BigDecimal> yields = new EnumMap<>(Tenor.class);
        for (int i = 0; i < f.size(); i++) {
            if (tenorOf[i] == null) continue;
            String v = f.get(i).trim();
            if (v.isEmpty() || v.equalsIgnoreCase("N/A")) continue; // Absent, never 0.
            if (!NUMBER.matcher(v).matches()) throw new IllegalArgumentException("column " + tenorOf[i].label() + ": \"" + v + "\" is not a number");
            BigDecimal y = new BigDecimal(v);
            if (y.abs().compareTo(BigDecimal.valueOf(TreasuryLimits.YIELD_PERCENT_ABS_MAX)) > 0) {
                throw new IllegalArgumentException("column " + tenorOf[i].label() + ": " + v + "% is not a plausible yield");
            }
            yields.put(tenorOf[i], y);
        }
        if (yields.isEmpty()) throw new IllegalArgumentException("date " + date + " has no yield in any tenor");
        return new TreasuryCurve(date, rule.effectiveTs(date), yields, line);
    }

    private static LocalDate date(String v) {
        Matcher m = DATE.matcher(v);
        if (!m.matches()) throw new IllegalArgumentException("date \"" + v + "\" is not MM/DD/YYYY");
        try {
            return LocalDate.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("date \"" + v + "\" does not exist (" + e.getMessage() + ")");
        }
    }

    /** Splits one CSV line; quotes may wrap a field, {@code ""} inside quotes is one quote. */
    static List<String> fields(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false, wasQuoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                if (!cur.toString().isBlank() || wasQuoted) throw new IllegalArgumentException("a quote in the middle of field " + (out.size() + 1));
                cur.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                wasQuoted = false;
            } else {
                if (wasQuoted && !Character.isWhitespace(c)) throw new IllegalArgumentException("text after the closing quote of field " + (out.size() + 1));
                cur.append(c);
            }
        }
        if (quoted) throw new IllegalArgumentException("field " + (out.size() + 1) + " has no closing quote");
        out.add(cur.toString());
        return out;
    }

    private static void problem(List<Problem> kept, long[] total, Problem p) {
        total[0]++;
        if (kept.size() < TreasuryLimits.PROBLEMS_KEPT_MAX) kept.add(p);
    }

    private static String stripCr(String s) { return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s; }

    private static QuireException badHeader(String source, String why) {
        return new QuireException(io.quire.core.ErrorKind.INVALID_INPUT, "treasury CSV " + source + " line 1: bad header: " + why
                + "; expected Date,\"1 Mo\",\"1.5 Month\",\"2 Mo\",...,\"30 Yr\"", Where.file(source, 0)).withCode("treasury_header");
    }
}
