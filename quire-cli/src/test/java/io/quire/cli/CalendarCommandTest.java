package io.quire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code quire calendar}: the table, the JSON fields, the operator's file and every bad input. */
class CalendarCommandTest {

    @TempDir Path tmp;

    @Test
    void shouldPrintOneRowPerSessionWithNewYorkAndUtcTimes() {
        Run r = Run.in(tmp, "calendar", "2025");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines).hasSize(1 + 250);
        assertThat(lines.get(0)).isEqualTo("date session_seq open_ny close_ny open_utc close_utc minutes first_minute_idx note");
        assertThat(lines.get(1)).isEqualTo("2025-01-02 1 09:30-05:00 16:00-05:00 2025-01-02T14:30:00Z 2025-01-02T21:00:00Z 390 0 -");
        assertThat(lines).contains("2025-03-10 45 09:30-04:00 16:00-04:00 2025-03-10T13:30:00Z 2025-03-10T20:00:00Z 390 17160 -");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("2025-11-28 228 09:30-05:00 13:00-05:00 2025-11-28T14:30:00Z "
                + "2025-11-28T18:00:00Z 210 ").endsWith(" early_close"));
        assertThat(lines).noneMatch(l -> l.startsWith("2025-01-09") || l.startsWith("2025-04-18"));
        assertThat(lines.get(250)).startsWith("2025-12-31 250 ");
        assertThat(r.err()).isEqualTo("2025: 250 sessions, 96960 market minutes (minute_idx 0..96959)\n");
    }

    @Test
    void shouldPrintAJsonArrayWithThePinnedFields() throws IOException {
        Run r = Run.in(tmp, "calendar", "2025", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.lines()).hasSize(1);
        JsonNode a = Json.mapper().readTree(r.out());
        assertThat(a.isArray()).isTrue();
        assertThat(a).hasSize(250);
        JsonNode first = a.get(0);
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("date", "session_seq", "open_ny", "close_ny", "open_utc", "close_utc", "minutes",
                "first_minute_idx", "early_close");
        assertThat(first.get("date").asText()).isEqualTo("2025-01-02");
        assertThat(first.get("open_utc").asText()).isEqualTo("2025-01-02T14:30:00Z");
        assertThat(first.get("close_utc").asText()).isEqualTo("2025-01-02T21:00:00Z");
        assertThat(first.get("open_ny").asText()).isEqualTo("2025-01-02T09:30-05:00");
        assertThat(first.get("minutes").asInt()).isEqualTo(390);
        assertThat(first.get("first_minute_idx").asInt()).isZero();
        assertThat(first.get("early_close").isNull()).isTrue();
        int expectedIdx = 0;
        for (JsonNode s : a) {
            LocalDate.parse(s.get("date").asText());
            Instant open = Instant.parse(s.get("open_utc").asText());
            Instant close = Instant.parse(s.get("close_utc").asText());
            assertThat(close.getEpochSecond() - open.getEpochSecond()).isEqualTo(60L * s.get("minutes").asInt());
            assertThat(s.get("first_minute_idx").asInt()).isEqualTo(expectedIdx);
            expectedIdx += s.get("minutes").asInt();
        }
        assertThat(expectedIdx).isEqualTo(96_960);
        assertThat(a.get(227).get("early_close").asText()).isEqualTo("Day after Thanksgiving");
    }

    @Test
    void shouldUseTheOperatorsCalendarFileAndWarnAboutUncoveredYears() throws IOException {
        Run uncovered = Run.in(tmp, "calendar", "2028");
        assertThat(uncovered.code()).isZero();
        assertThat(uncovered.err()).contains("warning: the calendar data does not list the early closes and closures of 2028");
        Path f = tmp.resolve("windows/calendar.txt");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "covers 2028 2028\nearly-close 2028-07-03 13:00 Independence Day eve\nclosed 2028-03-01 Test closure\n");
        Run r = Run.in(tmp, "calendar", "2028");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).doesNotContain("warning");
        assertThat(r.out()).contains("2028-07-03 ").doesNotContain("2028-03-01 ");
        assertThat(r.lines()).anySatisfy(l -> assertThat(l).startsWith("2028-07-03 ").contains(" 210 ").endsWith("early_close"));
        // --calendar-file replaces the directory's file.
        Path other = tmp.resolve("other.txt");
        Files.writeString(other, "closed 2028-03-02 Another\n");
        Run o = Run.in(tmp, "calendar", "2028", "--calendar-file", other.toString());
        assertThat(o.code()).as(o.toString()).isZero();
        assertThat(o.out()).contains("2028-03-01 ").doesNotContain("2028-03-02 ");
    }

    @ParameterizedTest(name = "YEAR ''{0}''")
    @ValueSource(strings = {"abc", "", "1999", "2101", "-5", "+2025", "2025.0", " 2025", "20x5", "99999999999"})
    void shouldRefuseABadYearWithExitOne(String year) {
        Run r = Run.in(tmp, "calendar", year);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("YEAR").contains("2000..2100");
        assertThat(r.err()).contains("Try 'quire calendar --help'");
    }

    @Test
    void shouldPrintABadYearErrorAsJsonWithJson() throws IOException {
        Run r = Run.in(tmp, "calendar", "1999", "--json");
        assertThat(r.code()).isEqualTo(1);
        JsonNode e = Json.mapper().readTree(r.err().lines().findFirst().orElseThrow());
        assertThat(e.get("kind").asText()).isEqualTo("INVALID_INPUT");
        assertThat(e.get("error").asText()).contains("YEAR: 1999 is outside the supported years 2000..2100");
    }

    @Test
    void shouldAcceptTheFirstAndLastSupportedYears() {
        assertThat(Run.in(tmp, "calendar", "2000").code()).isZero();
        assertThat(Run.in(tmp, "calendar", "2100").code()).isZero();
    }

    @Test
    void shouldRefuseMissingOrExtraArgumentsAndBadOptions() {
        Run none = Run.in(tmp, "calendar");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("Missing required parameter: 'YEAR'");
        assertThat(Run.in(tmp, "calendar", "2025", "2026").code()).isEqualTo(1);
        assertThat(Run.in(tmp, "calendar", "2025", "--jsn").code()).isEqualTo(1);
        assertThat(Run.in(tmp, "calendar", "2025", "--json=maybe").code()).isEqualTo(1);
        Run noValue = Run.in(tmp, "calendar", "2025", "--calendar-file");
        assertThat(noValue.code()).isEqualTo(1);
        assertThat(noValue.err()).contains("--calendar-file");
    }

    @Test
    void shouldNameTheFileAndLineOfABadCalendarFile() throws IOException {
        Path f = tmp.resolve("bad.txt");
        Files.writeString(f, "# fine\nclosed 2025-12-25 already a holiday\n");
        Run r = Run.in(tmp, "calendar", "2025", "--calendar-file", f.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(f + " line 2: 2025-12-25 is already a holiday (Christmas Day)");
        assertThat(r.out()).isEmpty();
        // The same file found in the ledger directory fails the same way.
        Path inDir = tmp.resolve("windows/calendar.txt");
        Files.createDirectories(inDir.getParent());
        Files.copy(f, inDir);
        Run d = Run.in(tmp, "calendar", "2025");
        assertThat(d.code()).isEqualTo(1);
        assertThat(d.err()).contains(inDir + " line 2:");
        Run missing = Run.in(tmp, "calendar", "2025", "--calendar-file", tmp.resolve("nope.txt").toString());
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains("does not exist");
    }
}
