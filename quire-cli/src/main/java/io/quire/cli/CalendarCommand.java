package io.quire.cli;

import io.quire.windows.calendar.CalendarData;
import io.quire.windows.calendar.CalendarLimits;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code quire calendar YEAR}: the NYSE regular sessions of a year and their place in the window
 * space (docs/WINDOWS.md). Needs no ledger; reads the operator's calendar file from the ledger
 * directory when there is one.
 */
@Command(name = "calendar", mixinStandardHelpOptions = true,
        description = {"Print the NYSE regular sessions of YEAR, one per line: date, session_seq, open and close in",
                "New York time and UTC, minutes and the first minute_idx of the session (the window space of",
                "the windows ledger). Holidays follow NYSE's rules; early closes and closures come from the",
                "built-in data (" + CalendarLimits.YEAR_MIN + "..." + CalendarLimits.YEAR_MAX + " supported; announcements"
                        + " shipped for 2024..2027) plus DIR/" + CalendarData.OPERATOR_FILE + "."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire calendar 2025                         # header line, then 250 sessions",
                "  quire calendar 2025 --json | jq '.[0].open_utc'",
                "  quire calendar 2028 --calendar-file my-2028.txt",
                "",
                "A year whose announcements the data does not list completely prints a warning on stderr."})
final class CalendarCommand extends BaseCommand implements JsonOutput {

    private static final DateTimeFormatter NY_TIME = DateTimeFormatter.ofPattern("HH:mmxxx");

    @Parameters(index = "0", paramLabel = "YEAR",
            description = "The year, " + CalendarLimits.YEAR_MIN + ".." + CalendarLimits.YEAR_MAX + " (YEAR_MIN..YEAR_MAX).")
    String yearText;

    @Option(names = "--json", description = "Print one JSON array of sessions: date, session_seq, open_ny, close_ny, "
            + "open_utc, close_utc, minutes, first_minute_idx, early_close. Default: off.")
    boolean json;

    @Option(names = "--calendar-file", paramLabel = "FILE",
            description = "Announcements to add to the built-in ones (docs/WINDOWS.md, 'Calendar data file'). "
                    + "Default: DIR/" + CalendarData.OPERATOR_FILE + " when it exists.")
    Path calendarFile;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        int year = parseYear(yearText);
        CalendarData data = calendarFile != null ? CalendarData.builtin().plusFile(calendarFile) : CalendarData.forLedgerDir(dir());
        TradingCalendar cal = TradingCalendar.of(year, data);
        if (!cal.announcementsComplete()) {
            io().err().println("quire: warning: the calendar data does not list the early closes and closures of " + year
                    + "; holidays are derived by rule, but announced changes may be missing (add them in DIR/"
                    + CalendarData.OPERATOR_FILE + " with a 'covers' line)");
            io().err().flush();
        }
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>(cal.sessionCount());
            for (Session s : cal.sessions()) rows.add(row(s));
            println(Json.line(rows));
        } else {
            out().println("date session_seq open_ny close_ny open_utc close_utc minutes first_minute_idx note");
            for (Session s : cal.sessions()) {
                out().println(s.date() + " " + s.sessionSeq() + " " + NY_TIME.format(s.open()) + " " + NY_TIME.format(s.close())
                        + " " + s.openUtc() + " " + s.closeUtc() + " " + s.minutes() + " " + s.firstMinuteIdx()
                        + " " + (s.isEarlyClose() ? "early_close" : Text.EMPTY));
            }
            out().flush();
            io().err().println(year + ": " + cal.sessionCount() + " sessions, " + cal.totalMinutes()
                    + " market minutes (minute_idx 0.." + (cal.totalMinutes() - 1) + ")");
            io().err().flush();
        }
        return ExitCodes.OK;
    }

    /** The JSON fields of one session, in this order (docs/WINDOWS.md pins them). */
    static Map<String, Object> row(Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", s.date().toString());
        m.put("session_seq", s.sessionSeq());
        m.put("open_ny", s.open().toOffsetDateTime().toString());
        m.put("close_ny", s.close().toOffsetDateTime().toString());
        m.put("open_utc", s.openUtc().toString());
        m.put("close_utc", s.closeUtc().toString());
        m.put("minutes", s.minutes());
        m.put("first_minute_idx", s.firstMinuteIdx());
        m.put("early_close", s.isEarlyClose() ? s.earlyClose().reason() : null);
        return m;
    }

    /** Digits only, within the supported years; anything else is a usage error naming YEAR. */
    static int parseYear(String text) {
        String range = CalendarLimits.YEAR_MIN + ".." + CalendarLimits.YEAR_MAX;
        if (text == null || text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new CliUsageException("YEAR: '" + text + "' is not a year; expected a number in " + range);
        }
        int y = Integer.parseInt(text);
        if (y < CalendarLimits.YEAR_MIN || y > CalendarLimits.YEAR_MAX) {
            throw new CliUsageException("YEAR: " + y + " is outside the supported years " + range + " (YEAR_MIN..YEAR_MAX)");
        }
        return y;
    }
}
