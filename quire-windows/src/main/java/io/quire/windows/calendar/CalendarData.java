package io.quire.windows.calendar;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The announced part of the NYSE calendar: early closes and unscheduled closures, which are
 * decided by the exchange and cannot be derived. Quire ships the published ones for the years
 * in {@link #BUILTIN_RESOURCE}; an operator adds more in {@code <ledger dir>/windows/calendar.txt}
 * ({@link #OPERATOR_FILE}), in the same line format (docs/WINDOWS.md, "Calendar data file"):
 *
 * <pre>
 * # comment (also blank lines)
 * covers 2024 2027                       # years whose announcements this file lists completely
 * early-close 2025-07-03 13:00 Independence Day eve
 * closed 2025-01-09 National Day of Mourning for President Jimmy Carter
 * </pre>
 *
 * <p>Every line is validated; the first problem throws an INVALID_INPUT {@link QuireException}
 * whose message names the file and the line ({@code calendar.txt line 7: ...}) and whose
 * {@link Where} holds the file and the byte offset of that line. An instance is immutable.
 */
public final class CalendarData {

    /** The classpath resource with the published announcements that ship with Quire. */
    public static final String BUILTIN_RESOURCE = "io/quire/windows/calendar/nyse-announced.txt";
    /** Where an operator's additions live, relative to the ledger directory. */
    public static final String OPERATOR_FILE = "windows/calendar.txt";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withResolverStyle(ResolverStyle.STRICT);

    private static final CalendarData EMPTY = new CalendarData(new TreeMap<>(), new BitSet());
    private static volatile CalendarData builtin;

    private final TreeMap<LocalDate, Announcement> byDate;
    private final BitSet covered; // bit (year - YEAR_MIN)

    private CalendarData(TreeMap<LocalDate, Announcement> byDate, BitSet covered) {
        this.byDate = byDate;
        this.covered = covered;
    }

    /** No announcements, no covered year: the rule-derived calendar alone. */
    public static CalendarData empty() { return EMPTY; }

    /** The announcements that ship with Quire (parsed once). */
    public static CalendarData builtin() {
        CalendarData b = builtin;
        if (b == null) {
            try (InputStream in = CalendarData.class.getClassLoader().getResourceAsStream(BUILTIN_RESOURCE)) {
                if (in == null) throw new IllegalStateException("resource " + BUILTIN_RESOURCE + " is missing from the build");
                b = EMPTY.plus(BUILTIN_RESOURCE, in.readNBytes(CalendarLimits.DATA_FILE_BYTES_MAX + 1));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read resource " + BUILTIN_RESOURCE + ": " + e.getMessage(), e);
            }
            builtin = b;
        }
        return b;
    }

    /**
     * The built-in announcements plus the operator's file in {@code ledgerDir}, if there is one.
     * A missing ledger directory or file is not an error: the built-in data is used alone.
     */
    public static CalendarData forLedgerDir(Path ledgerDir) {
        Path f = ledgerDir.resolve(OPERATOR_FILE);
        return Files.isRegularFile(f) ? builtin().plusFile(f) : builtin();
    }

    /** This data plus the announcements of {@code file} (which must exist). */
    public CalendarData plusFile(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > CalendarLimits.DATA_FILE_BYTES_MAX) {
                throw QuireException.invalid("calendar file " + file + " is " + size + " bytes; the limit is "
                        + CalendarLimits.DATA_FILE_BYTES_MAX + " bytes (DATA_FILE_BYTES_MAX)").withCode("calendar_file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw QuireException.notFound("calendar file " + file + " does not exist");
        } catch (IOException e) {
            throw QuireException.io("cannot read calendar file " + file + ": " + e.getMessage(), Where.file(file.toString(), -1), e);
        }
        return plus(file.toString(), bytes);
    }

    /**
     * This data plus the announcements in {@code bytes}, read from {@code source} (a file name,
     * used in messages). All or nothing: a bad line leaves this instance as it was.
     */
    public CalendarData plus(String source, byte[] bytes) {
        if (bytes.length > CalendarLimits.DATA_FILE_BYTES_MAX) {
            throw fail(source, 0, 0, "the file is over " + CalendarLimits.DATA_FILE_BYTES_MAX + " bytes (DATA_FILE_BYTES_MAX)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail(source, 0, 0, "the file is not valid UTF-8");
        }
        TreeMap<LocalDate, Announcement> map = new TreeMap<>(byDate);
        BitSet cov = (BitSet) covered.clone();
        int lineNo = 0;
        int pos = 0;
        long offset = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(pos, end);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            lineNo++;
            parseLine(source, lineNo, offset, line, map, cov);
            offset += text.substring(pos, nl < 0 ? end : end + 1).getBytes(StandardCharsets.UTF_8).length;
            pos = nl < 0 ? text.length() : nl + 1;
        }
        return new CalendarData(map, cov);
    }

    private static void parseLine(String source, int lineNo, long offset, String line,
                                  TreeMap<LocalDate, Announcement> map, BitSet cov) {
        if (line.getBytes(StandardCharsets.UTF_8).length > CalendarLimits.DATA_LINE_BYTES_MAX) {
            throw fail(source, lineNo, offset, "the line is over " + CalendarLimits.DATA_LINE_BYTES_MAX + " bytes (DATA_LINE_BYTES_MAX)");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                throw fail(source, lineNo, offset, String.format("control character U+%04X is not allowed", (int) c));
            }
        }
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) return;
        String[] f = trimmed.split("\\s+", 4);
        switch (f[0]) {
            case "covers" -> {
                if (f.length != 3) throw fail(source, lineNo, offset, "expected 'covers FIRST_YEAR LAST_YEAR'");
                int a = year(source, lineNo, offset, f[1]);
                int b = year(source, lineNo, offset, f[2]);
                if (a > b) throw fail(source, lineNo, offset, "covers " + a + " " + b + ": the first year is after the last");
                cov.set(a - CalendarLimits.YEAR_MIN, b - CalendarLimits.YEAR_MIN + 1);
            }
            case "early-close" -> {
                if (f.length < 4) throw fail(source, lineNo, offset, "expected 'early-close YYYY-MM-DD HH:MM REASON'");
                LocalDate d = date(source, lineNo, offset, f[1]);
                LocalTime t;
                try {
                    t = LocalTime.parse(f[2], TIME);
                } catch (DateTimeParseException e) {
                    throw fail(source, lineNo, offset, "'" + f[2] + "' is not a time HH:MM");
                }
                if (!t.isAfter(TradingCalendar.OPEN_LOCAL) || !t.isBefore(TradingCalendar.CLOSE_LOCAL)) {
                    throw fail(source, lineNo, offset, "early close " + f[2] + " must be after "
                            + TradingCalendar.OPEN_LOCAL + " and before " + TradingCalendar.CLOSE_LOCAL);
                }
                add(source, lineNo, offset, map, new Announcement(d, Announcement.Kind.EARLY_CLOSE, t,
                        reason(source, lineNo, offset, f[3]), source + ":" + lineNo));
            }
            case "closed" -> {
                String[] g = trimmed.split("\\s+", 3);
                if (g.length < 3) throw fail(source, lineNo, offset, "expected 'closed YYYY-MM-DD REASON'");
                LocalDate d = date(source, lineNo, offset, g[1]);
                add(source, lineNo, offset, map, new Announcement(d, Announcement.Kind.CLOSED, null,
                        reason(source, lineNo, offset, g[2]), source + ":" + lineNo));
            }
            default -> throw fail(source, lineNo, offset, "unknown directive '" + f[0]
                    + "'; expected covers, early-close or closed");
        }
    }

    private static void add(String source, int lineNo, long offset, TreeMap<LocalDate, Announcement> map, Announcement a) {
        LocalDate d = a.date();
        if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
            throw fail(source, lineNo, offset, d + " is a " + Text.day(d) + "; there is no session to change");
        }
        String holiday = NyseHolidays.of(d.getYear()).get(d);
        if (holiday != null) {
            throw fail(source, lineNo, offset, d + " is already a holiday (" + holiday + "); there is no session to change");
        }
        Announcement prev = map.get(d);
        if (prev != null) {
            if (prev.sameAs(a)) return; // The same announcement repeated (an operator copying the built-in list).
            throw fail(source, lineNo, offset, d + " is already announced at " + prev.source()
                    + " (" + prev.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")");
        }
        map.put(d, a);
    }

    private static int year(String source, int lineNo, long offset, String s) {
        int y;
        try {
            y = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw fail(source, lineNo, offset, "'" + s + "' is not a year");
        }
        if (y < CalendarLimits.YEAR_MIN || y > CalendarLimits.YEAR_MAX) {
            throw fail(source, lineNo, offset, "year " + y + " is outside " + CalendarLimits.YEAR_MIN + ".." + CalendarLimits.YEAR_MAX);
        }
        return y;
    }

    private static LocalDate date(String source, int lineNo, long offset, String s) {
        LocalDate d;
        try {
            d = LocalDate.parse(s, DATE);
        } catch (DateTimeParseException e) {
            throw fail(source, lineNo, offset, "'" + s + "' is not a date YYYY-MM-DD");
        }
        year(source, lineNo, offset, Integer.toString(d.getYear()));
        return d;
    }

    private static String reason(String source, int lineNo, long offset, String reason) {
        String r = reason.strip();
        if (r.isEmpty()) throw fail(source, lineNo, offset, "a reason is required");
        if (r.getBytes(StandardCharsets.UTF_8).length > CalendarLimits.REASON_BYTES_MAX) {
            throw fail(source, lineNo, offset, "the reason is over " + CalendarLimits.REASON_BYTES_MAX + " bytes (REASON_BYTES_MAX)");
        }
        return r;
    }

    private static QuireException fail(String source, int lineNo, long offset, String problem) {
        String at = lineNo > 0 ? source + " line " + lineNo : source;
        return new QuireException(io.quire.core.ErrorKind.INVALID_INPUT, "calendar data " + at + ": " + problem,
                Where.file(source, offset)).withCode("calendar_data");
    }

    /** The announcement for {@code date}, if any. */
    public Optional<Announcement> on(LocalDate date) { return Optional.ofNullable(byDate.get(date)); }

    /** Every announcement of {@code year}, by date. */
    public List<Announcement> inYear(int year) {
        return Collections.unmodifiableList(new ArrayList<>(
                byDate.subMap(LocalDate.of(year, 1, 1), true, LocalDate.of(year, 12, 31), true).values()));
    }

    /** Every announcement, by date. */
    public Map<LocalDate, Announcement> all() { return Collections.unmodifiableMap(byDate); }

    /**
     * Whether some file declared that it lists every announcement of {@code year}. A calendar of
     * a year that is not covered still has every rule-derived holiday, but may miss an early
     * close or a closure; the CLI warns about it.
     */
    public boolean covers(int year) {
        return year >= CalendarLimits.YEAR_MIN && year <= CalendarLimits.YEAR_MAX && covered.get(year - CalendarLimits.YEAR_MIN);
    }

    /** Small text helpers for messages. */
    static final class Text {
        private Text() {}

        static String day(LocalDate d) {
            String s = d.getDayOfWeek().name();
            return s.charAt(0) + s.substring(1).toLowerCase(java.util.Locale.ROOT);
        }
    }
}
