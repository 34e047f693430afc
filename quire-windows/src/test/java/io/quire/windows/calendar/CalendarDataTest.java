package io.quire.windows.calendar;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The announced early closes and closures: the shipped file, the operator's file, and every error. */
class CalendarDataTest {

    @TempDir Path tmp;

    static CalendarData parse(String text) {
        return CalendarData.empty().plus("calendar.txt", text.getBytes(StandardCharsets.UTF_8));
    }

    static void assertBadLine(String text, int line, String problem) {
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.code()).isEqualTo("calendar_data");
            assertThat(e.reason()).startsWith("calendar data calendar.txt line " + line + ": ").contains(problem);
            assertThat(e.where().file()).isEqualTo("calendar.txt");
        });
    }

    @Test
    void shouldShipThePublishedAnnouncementsFor2024To2027() {
        CalendarData b = CalendarData.builtin();
        for (int y = 2024; y <= 2027; y++) assertThat(b.covers(y)).as("covers %d", y).isTrue();
        assertThat(b.covers(2023)).isFalse();
        assertThat(b.covers(2028)).isFalse();
        assertThat(b.all()).hasSize(3 + 4 + 2 + 1);
        Announcement carter = b.on(LocalDate.of(2025, 1, 9)).orElseThrow();
        assertThat(carter.kind()).isEqualTo(Announcement.Kind.CLOSED);
        assertThat(carter.reason()).isEqualTo("National Day of Mourning for President Jimmy Carter");
        assertThat(carter.source()).startsWith(CalendarData.BUILTIN_RESOURCE + ":");
        assertThat(b.all().values()).filteredOn(a -> a.kind() == Announcement.Kind.EARLY_CLOSE)
                .allSatisfy(a -> assertThat(a.close()).isEqualTo(LocalTime.of(13, 0)));
    }

    @Test
    void shouldAddTheOperatorsFileFromTheLedgerDirectory() throws IOException {
        // No file: the built-in data alone (and no ledger directory needed at all).
        assertThat(CalendarData.forLedgerDir(tmp.resolve("nope")).all()).isEqualTo(CalendarData.builtin().all());
        Path f = tmp.resolve(CalendarData.OPERATOR_FILE);
        Files.createDirectories(f.getParent());
        Files.writeString(f, """
                # 2028 as published on 2025-12-23
                covers 2028 2028
                early-close 2028-07-03 13:00 Independence Day eve
                early-close 2028-11-24 13:00 Day after Thanksgiving
                closed\t2028-03-01   A made-up closure,   with spaces kept
                # Repeating a built-in announcement word for word is harmless.
                early-close 2025-12-24 13:00 Christmas Eve
                """);
        CalendarData d = CalendarData.forLedgerDir(tmp);
        assertThat(d.covers(2028)).isTrue();
        assertThat(d.on(LocalDate.of(2028, 3, 1)).orElseThrow().reason()).isEqualTo("A made-up closure,   with spaces kept");
        assertThat(d.on(LocalDate.of(2028, 3, 1)).orElseThrow().source()).isEqualTo(f + ":5");
        TradingCalendar cal = TradingCalendar.of(2028, d);
        assertThat(cal.sessionOn(LocalDate.of(2028, 3, 1))).isEmpty();
        assertThat(cal.sessionOn(LocalDate.of(2028, 7, 3)).orElseThrow().minutes()).isEqualTo(210);
        assertThat(cal.sessionOn(LocalDate.of(2028, 12, 29))).isPresent(); // 2029-01-01 is a Monday.
        assertThat(cal.announcementsComplete()).isTrue();
    }

    @Test
    void shouldNameTheOperatorFileAndLineOfAConflictWithTheBuiltInData() throws IOException {
        Path f = tmp.resolve("calendar.txt");
        Files.writeString(f, "# ok\n\nearly-close 2025-12-24 12:00 Christmas Eve\n");
        assertThatThrownBy(() -> CalendarData.builtin().plusFile(f)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).contains(f + " line 3: 2025-12-24 is already announced at "
                    + CalendarData.BUILTIN_RESOURCE + ":");
            assertThat(e.where().file()).isEqualTo(f.toString());
            assertThat(e.where().offset()).isEqualTo(6); // "# ok\n" + "\n"
        });
        assertThatThrownBy(() -> CalendarData.builtin().plusFile(tmp.resolve("missing.txt")))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "holiday-close 2025-03-03 x                  | unknown directive 'holiday-close'",
            "early-close 2025-02-30 13:00 x              | '2025-02-30' is not a date YYYY-MM-DD",
            "early-close 25-03-03 13:00 x                | '25-03-03' is not a date",
            "early-close 2025-03-03 1pm x                | '1pm' is not a time HH:MM",
            "early-close 2025-03-03 24:00 x              | '24:00' is not a time",
            "early-close 2025-03-03 09:30 x              | must be after 09:30 and before 16:00",
            "early-close 2025-03-03 16:00 x              | must be after 09:30 and before 16:00",
            "early-close 2025-03-03 13:00                | expected 'early-close YYYY-MM-DD HH:MM REASON'",
            "closed 2025-03-03                           | expected 'closed YYYY-MM-DD REASON'",
            "closed 2025-03-08 x                         | 2025-03-08 is a Saturday",
            "closed 2025-12-25 x                         | already a holiday (Christmas Day)",
            "early-close 2027-12-24 13:00 x              | already a holiday (Christmas Day (observed))",
            "closed 1999-12-31 x                         | year 1999 is outside 2000..2100",
            "closed 2101-01-03 x                         | year 2101 is outside 2000..2100",
            "covers 2024                                 | expected 'covers FIRST_YEAR LAST_YEAR'",
            "covers 2027 2024                            | the first year is after the last",
            "covers 2024 twenty                          | 'twenty' is not a year",
            "covers 1999 2024                            | year 1999 is outside"})
    void shouldRefuseABadLineNamingFileAndLine(String line, String problem) {
        assertBadLine("# header\ncovers 2025 2025\n" + line.strip() + "\n", 3, problem);
    }

    @Test
    void shouldRefuseTwoAnnouncementsOfOneDate() {
        assertBadLine("closed 2025-03-03 a\nearly-close 2025-03-03 13:00 b\n", 2, "2025-03-03 is already announced at calendar.txt:1 (closed)");
        // The very same announcement twice is not a conflict.
        assertThat(parse("closed 2025-03-03 a\r\nclosed 2025-03-03 a\r\n").all()).hasSize(1);
    }

    @Test
    void shouldRefuseControlCharactersAndInvalidUtf8() {
        assertBadLine("closed 2025-03-03 bell\u0007\n", 1, "control character U+0007");
        assertThatThrownBy(() -> CalendarData.empty().plus("calendar.txt", new byte[] {'#', (byte) 0xC3, '\n'}))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.reason()).contains("not valid UTF-8"));
        // Tabs are whitespace, not control characters to refuse; UTF-8 reasons are fine.
        assertThat(parse("closed\t2025-03-03\tJour de deuil — 🇺🇸\n").on(LocalDate.of(2025, 3, 3)).orElseThrow().reason())
                .isEqualTo("Jour de deuil — 🇺🇸");
    }

    @Test
    void shouldEnforceTheReasonLimitAtMaxAndMaxPlusOne() {
        String max = "r".repeat(CalendarLimits.REASON_BYTES_MAX);
        assertThat(parse("closed 2025-03-03 " + max).on(LocalDate.of(2025, 3, 3)).orElseThrow().reason()).hasSize(200);
        assertBadLine("closed 2025-03-03 " + max + "r", 1, "the reason is over 200 bytes (REASON_BYTES_MAX)");
    }

    @Test
    void shouldEnforceTheLineLimitAtMaxAndMaxPlusOne() {
        String max = "#".repeat(CalendarLimits.DATA_LINE_BYTES_MAX);
        assertThat(parse(max + "\n").all()).isEmpty();
        assertBadLine("\n" + max + "#\n", 2, "the line is over 512 bytes (DATA_LINE_BYTES_MAX)");
    }

    @Test
    void shouldEnforceTheFileLimitAtMaxAndMaxPlusOne() throws IOException {
        String line = "#".repeat(511) + "\n";
        StringBuilder b = new StringBuilder();
        while (b.length() + line.length() <= CalendarLimits.DATA_FILE_BYTES_MAX) b.append(line);
        b.append("#".repeat(CalendarLimits.DATA_FILE_BYTES_MAX - b.length()));
        assertThat(b.length()).isEqualTo(CalendarLimits.DATA_FILE_BYTES_MAX);
        Path f = tmp.resolve("big.txt");
        Files.writeString(f, b);
        assertThat(CalendarData.empty().plusFile(f).all()).isEmpty();
        Files.writeString(f, b + "#");
        assertThatThrownBy(() -> CalendarData.empty().plusFile(f)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).contains("1048577 bytes").contains("DATA_FILE_BYTES_MAX");
        });
    }

    @Test
    void shouldLeaveTheDataUnchangedWhenAFileIsBad() {
        CalendarData before = CalendarData.builtin();
        assertThatThrownBy(() -> before.plus("x", "closed 2026-03-03 fine\nnonsense\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(QuireException.class);
        assertThat(before.on(LocalDate.of(2026, 3, 3))).isEmpty();
    }
}
