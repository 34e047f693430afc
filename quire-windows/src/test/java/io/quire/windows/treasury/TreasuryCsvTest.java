package io.quire.windows.treasury;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static io.quire.windows.treasury.Tenor.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The par yield curve CSV across its header generations, its blanks, encodings and bad rows. */
class TreasuryCsvTest {
    static final EffectiveRule RULE = EffectiveRule.nextSessionOpen();

    static String resource(String name) throws IOException {
        try (InputStream in = TreasuryCsvTest.class.getResourceAsStream("/treasury/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static TreasuryCsv.Result parse(String text) { return TreasuryCsv.parse("test.csv", text, RULE); }

    static BigDecimal d(String s) { return new BigDecimal(s); }

    @Test
    void shouldParseTheOldHeaderWithoutFourMonthOrOnePointFive() throws IOException {
        TreasuryCsv.Result r = parse(resource("par-yield-2021-old-header.csv"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.columns()).containsExactly(M1, M2, M3, M6, Y1, Y2, Y3, Y5, Y7, Y10, Y20, Y30);
        assertThat(r.curves()).extracting(TreasuryCurve::date)
                .containsExactly(LocalDate.of(2021, 12, 29), LocalDate.of(2021, 12, 30), LocalDate.of(2021, 12, 31)); // oldest first
        TreasuryCurve last = r.curves().get(2);
        assertThat(last.tenors()).doesNotContainKeys(M1_5, M4).hasSize(12);
        assertThat(last.yield(Y10)).contains(d("1.52"));
        assertThat(last.line()).isEqualTo(2);
        // 2021-12-31 is a Friday; the next session is Monday 2022-01-03 (New Year's Day fell on a Saturday, not observed).
        assertThat(last.effectiveTs()).isEqualTo(Instant.parse("2022-01-03T14:30:00Z"));
    }

    @Test
    void shouldParseTheFourMonthColumnOf2022() throws IOException {
        TreasuryCsv.Result r = parse(resource("par-yield-2023-4mo.csv"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.columns()).contains(M4).doesNotContain(M1_5);
        assertThat(r.curves().get(1).yield(M4)).contains(d("5.13"));
        assertThat(r.curves().get(1).tenors().keySet()).containsExactly(M1, M2, M3, M4, M6, Y1, Y2, Y3, Y5, Y7, Y10, Y20, Y30);
    }

    @Test
    void shouldParseTheOnePointFiveMonthColumnOf2025AndKeepBlanksAbsent() throws IOException {
        TreasuryCsv.Result r = parse(resource("par-yield-2025-1p5.csv"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.columns()).contains(M1_5, M4);
        TreasuryCurve feb19 = r.curves().get(1);
        assertThat(feb19.date()).isEqualTo(LocalDate.of(2025, 2, 19));
        assertThat(feb19.yield(M1_5)).isEmpty(); // blank: absent, never 0
        assertThat(feb19.tenors()).hasSize(13).doesNotContainKey(M1_5);
        assertThat(r.curves().get(2).yield(M1_5)).contains(d("4.35"));
        // Maturity order regardless of column order.
        assertThat(r.curves().get(2).tenors().keySet()).first().isEqualTo(M1);
    }

    @Test
    void shouldAcceptBomCrlfAndColumnsInAnyOrder() throws IOException {
        String text = "\uFEFF" + resource("par-yield-2025-1p5.csv").replace("\n", "\r\n");
        TreasuryCsv.Result r = parse(text);
        assertThat(r.problems()).isEmpty();
        assertThat(r.curves()).hasSize(3);
        assertThat(r.curves().get(0).yield(Y30)).contains(d("4.78"));

        TreasuryCsv.Result shuffled = parse("\"30 Yr\",Date,1 Mo\n4.5,01/06/2025,4.4\n");
        assertThat(shuffled.curves().get(0).tenors()).containsExactly(java.util.Map.entry(M1, d("4.4")), java.util.Map.entry(Y30, d("4.5")));
    }

    @Test
    void shouldIgnoreUnknownColumnsWithAWarning() {
        TreasuryCsv.Result r = parse("Date,1 Mo,\"6 Wk\",10 Yr\n01/06/2025,4.4,4.1,4.6\n");
        assertThat(r.warnings()).singleElement().asString().contains("\"6 Wk\"").contains("ignored");
        assertThat(r.curves().get(0).tenors()).containsOnlyKeys(M1, Y10);
    }

    @Test
    void shouldReportMalformedRowsByLineAndKeepTheRest() {
        String text = """
                Date,"1 Mo","10 Yr"
                01/10/2025,4.40,4.70
                13/09/2025,4.40,4.69
                01/08/2025,4.4O,4.68
                01/07/2025,4.40
                2025-01-06,4.40,4.60

                01/03/2025,,
                02/30/2025,4.1,4.2
                01/02/2025,4.39,4.57
                01/01/2025,250,4.0
                """;
        TreasuryCsv.Result r = parse(text);
        assertThat(r.curves()).extracting(TreasuryCurve::date).containsExactly(LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 10));
        assertThat(r.problems()).extracting(TreasuryCsv.Problem::line).containsExactly(3L, 4L, 5L, 6L, 8L, 9L, 11L);
        assertThat(r.problems().get(0).message()).contains("13/09/2025");
        assertThat(r.problems().get(1).message()).contains("1 Mo").contains("4.4O").contains("not a number");
        assertThat(r.problems().get(2).message()).contains("2 fields, the header has 3");
        assertThat(r.problems().get(3).message()).contains("not MM/DD/YYYY");
        assertThat(r.problems().get(4).message()).contains("no yield");
        assertThat(r.problems().get(5).message()).contains("does not exist");
        assertThat(r.problems().get(6).message()).contains("plausible");
        assertThat(r.problemsTotal()).isEqualTo(7);
    }

    @Test
    void shouldTreatRepeatedDatesByValue() {
        TreasuryCsv.Result same = parse("Date,1 Mo\n01/06/2025,4.4\n01/06/2025,4.40\n");
        assertThat(same.curves()).hasSize(1);
        assertThat(same.warnings()).singleElement().asString().contains("line 3").contains("same values");
        TreasuryCsv.Result differ = parse("Date,1 Mo\n01/06/2025,4.4\n01/06/2025,4.5\n01/06/2025,4.4\n01/07/2025,4.4\n");
        assertThat(differ.curves()).extracting(TreasuryCurve::date).containsExactly(LocalDate.of(2025, 1, 7));
        assertThat(differ.problems()).extracting(TreasuryCsv.Problem::line).containsExactly(2L, 3L, 4L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                                    // empty file
            "1 Mo,10 Yr\n01/06/2025,4.4,4.6\n",     // no Date
            "Date,6 Wk\n01/06/2025,4.4\n",         // no known tenor
            "Date,1 Mo,1 Mo\n",                     // repeated column
            "Date,1 Mo,,10 Yr\n",                   // empty column name
            "Date,\"1 Mo\",\"10 Yr\n",              // unterminated quote
            "Date,1 Mo,1 Month\n",                  // the same tenor twice under two spellings
    })
    void shouldRefuseABadHeaderWithLineOne(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.code()).isEqualTo("treasury_header");
            assertThat(e.getMessage()).contains("test.csv line 1: bad header");
        });
    }

    @Test
    void shouldHonourTheLineLimitAtMaxAndMaxPlusOne() {
        String head = "01/06/2025,4.4,";
        String atMax = head + " ".repeat(TreasuryLimits.LINE_CHARS_MAX - head.length() - 3) + "4.6";
        assertThat(atMax).hasSize(TreasuryLimits.LINE_CHARS_MAX);
        assertThat(parse("Date,1 Mo,10 Yr\n" + atMax + "\n").curves()).hasSize(1);
        TreasuryCsv.Result over = parse("Date,1 Mo,10 Yr\n" + atMax + " \n");
        assertThat(over.curves()).isEmpty();
        assertThat(over.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("over " + TreasuryLimits.LINE_CHARS_MAX);
        });
    }

    @Test
    void shouldHonourTheRowAndColumnLimitsAtMaxAndMaxPlusOne() {
        StringBuilder b = new StringBuilder("Date,1 Mo\n");
        LocalDate d = LocalDate.of(2000, 1, 3);
        for (int i = 0; i < TreasuryLimits.ROWS_MAX; i++) {
            b.append(String.format("%02d/%02d/%04d,4.4%n", d.getMonthValue(), d.getDayOfMonth(), d.getYear()));
            d = d.plusDays(1);
        }
        EffectiveRule fixed = date -> Instant.EPOCH; // the row limit is about parsing, not calendars
        assertThat(TreasuryCsv.parse("big.csv", b.toString(), fixed).curves()).hasSize(TreasuryLimits.ROWS_MAX);
        b.append("01/01/2099,4.4\n");
        assertThatThrownBy(() -> TreasuryCsv.parse("big.csv", b.toString(), fixed))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.code()).isEqualTo("treasury_too_large"));

        StringBuilder h = new StringBuilder("Date,1 Mo");
        for (int i = 2; i < TreasuryLimits.COLUMNS_MAX; i++) h.append(",X").append(i);
        TreasuryCsv.Result atMax = parse(h + "\n");
        assertThat(atMax.warnings()).hasSize(TreasuryLimits.COLUMNS_MAX - 2);
        assertThatThrownBy(() -> parse(h + ",X99\n")).hasMessageContaining("over " + TreasuryLimits.COLUMNS_MAX);
    }

    @Test
    void shouldNameTenorsTheWayTreasuryHasSpeltThem() {
        assertThat(Tenor.ofHeader("1.5 Month")).isEqualTo(M1_5);
        assertThat(Tenor.ofHeader(" 1.5 mo ")).isEqualTo(M1_5);
        assertThat(Tenor.ofHeader("1 Month")).isEqualTo(M1);
        assertThat(Tenor.ofHeader("30 YR")).isEqualTo(Y30);
        assertThat(Tenor.ofHeader("10 Years")).isEqualTo(Y10);
        assertThat(Tenor.ofHeader("6 Wk")).isNull();
        assertThat(List.of(Tenor.values())).extracting(Tenor::label).contains("1.5 Month", "4 Mo");
    }
}
