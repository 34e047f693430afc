package io.quire.windows.market;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.ingest.FlatFileKind;
import io.quire.windows.ingest.FlatFilePartitioner;
import io.quire.windows.ingest.FlatFileReader;
import io.quire.windows.ingest.IngestReport;
import io.quire.windows.ingest.OptionTicker;
import io.quire.windows.ingest.QuoteRow;
import io.quire.windows.ingest.TradeRow;
import io.quire.windows.treasury.EffectiveRule;
import io.quire.windows.treasury.TreasuryCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The synthetic market: determinism, the exact flat-file layout, sessions (full and early close), spec limits. */
class MarketGeneratorTest {
    @TempDir Path tmp;

    static final LocalDate DAY = LocalDate.of(2025, 11, 12);

    static GeneratorSpec small(LocalDate d, long seed) {
        return GeneratorSpec.defaults(d, seed, 3).withRates(6, 3, 0.5, 0.2).withChain(2, 1);
    }

    static String firstLine(Path gz) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.US_ASCII))) {
            return r.readLine();
        }
    }

    @Test
    void shouldWriteByteIdenticalFilesForTheSameSeed() throws Exception {
        GeneratedMarket a = MarketGenerator.generate(tmp.resolve("a"), small(DAY, 42));
        GeneratedMarket b = MarketGenerator.generate(tmp.resolve("b"), small(DAY, 42));
        GeneratedMarket c = MarketGenerator.generate(tmp.resolve("c"), small(DAY, 43));
        assertThat(a.files()).hasSize(5);
        for (int i = 0; i < a.files().size(); i++) {
            assertThat(Files.readAllBytes(a.files().get(i).path())).as(a.files().get(i).kind().name()).isEqualTo(Files.readAllBytes(b.files().get(i).path()));
        }
        assertThat(Files.readAllBytes(a.file(GeneratedMarket.Kind.STOCK_TRADES).path())).isNotEqualTo(Files.readAllBytes(c.file(GeneratedMarket.Kind.STOCK_TRADES).path()));
        assertThat(a.contracts()).isEqualTo(b.contracts());
        assertThat(a.stocks()).containsExactly("IWM", "QQQ", "SPY");
        assertThat(a.contracts()).hasSize(3 * 2 * 3 * 2);
        assertThat(a.contracts()).isSorted();
        // Paths mirror the Polygon/Massive S3 keys; no temp file is left behind.
        assertThat(a.file(GeneratedMarket.Kind.STOCK_TRADES).path()).isEqualTo(tmp.resolve("a/us_stocks_sip/trades_v1/2025/11/2025-11-12.csv.gz"));
        assertThat(a.file(GeneratedMarket.Kind.OPTION_QUOTES).path()).isEqualTo(tmp.resolve("a/us_options_opra/quotes_v1/2025/11/2025-11-12.csv.gz"));
        try (var s = Files.walk(tmp.resolve("a"))) {
            assertThat(s.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void shouldUseThePolygonHeadersAndFormats() throws Exception {
        GeneratedMarket m = MarketGenerator.generate(tmp, small(DAY, 7));
        assertThat(firstLine(m.file(GeneratedMarket.Kind.STOCK_TRADES).path())).isEqualTo(
                "ticker,conditions,correction,exchange,id,participant_timestamp,price,sequence_number,sip_timestamp,size,tape,trf_id,trf_timestamp");
        assertThat(firstLine(m.file(GeneratedMarket.Kind.STOCK_QUOTES).path())).isEqualTo(
                "ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,conditions,indicators,participant_timestamp,sequence_number,sip_timestamp,tape,trf_timestamp");
        assertThat(firstLine(m.file(GeneratedMarket.Kind.OPTION_TRADES).path())).isEqualTo(
                "ticker,conditions,correction,exchange,participant_timestamp,price,sip_timestamp,size");
        assertThat(firstLine(m.file(GeneratedMarket.Kind.OPTION_QUOTES).path())).isEqualTo(
                "ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,sequence_number,sip_timestamp");
        String text;
        try (var in = new GZIPInputStream(Files.newInputStream(m.file(GeneratedMarket.Kind.STOCK_TRADES).path()))) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertThat(text).contains(",\"12,37\",").containsPattern(",\\d+\\.\\d{1,4},[123],"); // a quoted list; a fractional size
        // Every option ticker parses back to its underlying.
        for (String c : m.contracts()) assertThat(m.stocks()).contains(OptionTicker.parse(c).underlying());
        // The treasury CSV is read by the treasury parser without a problem.
        TreasuryCsv.Result t = TreasuryCsv.parse("gen", Files.readString(m.file(GeneratedMarket.Kind.TREASURY).path()), EffectiveRule.nextSessionOpen());
        assertThat(t.problems()).isEmpty();
        assertThat(t.curves()).hasSize(GeneratorLimits.TREASURY_DAYS);
        assertThat(t.curves().getLast().date()).isEqualTo(DAY);
        assertThat(t.columns()).hasSize(14);
    }

    @Test
    void shouldCoverTheWholeSessionIncludingAnEarlyClose() throws Exception {
        for (LocalDate d : new LocalDate[] {DAY, LocalDate.of(2025, 11, 28)}) {
            Path dir = tmp.resolve(d.toString());
            GeneratedMarket m = MarketGenerator.generate(dir, small(d, 3));
            TradingCalendar cal = TradingCalendar.nyse(2025);
            var session = cal.sessionOn(d).orElseThrow();
            Map<String, Set<Integer>> minutes = new HashMap<>();
            IngestReport r;
            try (FlatFileReader in = FlatFileReader.open(m.file(GeneratedMarket.Kind.STOCK_QUOTES).path(), FlatFileKind.QUOTES)) {
                r = FlatFilePartitioner.<QuoteRow>run(in, cal, (t, minute, rows) -> minutes.computeIfAbsent(t, k -> new HashSet<>()).add(minute));
            }
            assertThat(r.malformedTotal()).as("%s", r.problems()).isZero();
            assertThat(r.outsideSessionTotal()).isZero();
            assertThat(r.rowsRead()).isEqualTo(m.file(GeneratedMarket.Kind.STOCK_QUOTES).rows());
            for (String s : m.stocks()) {
                assertThat(minutes.get(s)).as(s + " " + d).contains(session.firstMinuteIdx(), session.lastMinuteIdx());
                assertThat(minutes.get(s).stream().mapToInt(Integer::intValue).max().orElseThrow()).isEqualTo(session.lastMinuteIdx());
            }
            assertThat(session.minutes()).isEqualTo(d.getDayOfMonth() == 28 ? 210 : 390);
            try (FlatFileReader in = FlatFileReader.open(m.file(GeneratedMarket.Kind.OPTION_TRADES).path(), FlatFileKind.TRADES)) {
                IngestReport ot = FlatFilePartitioner.<TradeRow>run(in, cal, (t, minute, rows) -> {});
                assertThat(ot.malformedTotal()).as("%s", ot.problems()).isZero();
                assertThat(ot.rowsPartitioned()).isEqualTo(m.file(GeneratedMarket.Kind.OPTION_TRADES).rows()).isPositive();
            }
        }
    }

    @Test
    void shouldRefuseBadSpecsAtTheirLimits() {
        TradingCalendar cal = TradingCalendar.nyse(2025);
        assertThatThrownBy(() -> new GeneratorSpec(LocalDate.of(2025, 12, 25), 1, 1, 0, 0, 1, 1, 0, 0, 0, cal)).hasMessageContaining("no session");
        assertThatThrownBy(() -> new GeneratorSpec(DAY, 1, 0, 0, 0, 1, 1, 0, 0, 0, cal)).hasMessageContaining("STOCKS_MAX");
        assertThatThrownBy(() -> new GeneratorSpec(DAY, 1, GeneratorLimits.STOCKS_MAX + 1, 0, 0, 1, 1, 0, 0, 0, cal)).hasMessageContaining("STOCKS_MAX");
        new GeneratorSpec(DAY, 1, GeneratorLimits.STOCKS_MAX, 0, 0, 1, 1, 0, 0, 0, cal);
        assertThatThrownBy(() -> new GeneratorSpec(DAY, 1, 1, GeneratorLimits.EXPIRIES_MAX + 1, 0, 1, 1, 0, 0, 0, cal)).hasMessageContaining("EXPIRIES_MAX");
        assertThatThrownBy(() -> new GeneratorSpec(DAY, 1, 1, 1, GeneratorLimits.STRIKES_PER_SIDE_MAX + 1, 1, 1, 0, 0, 0, cal)).hasMessageContaining("STRIKES_PER_SIDE_MAX");
        assertThatThrownBy(() -> new GeneratorSpec(DAY, 1, 1, 0, 0, GeneratorLimits.EVENTS_PER_MINUTE_MAX + 1, 1, 0, 0, 0, cal)).hasMessageContaining("EVENTS_PER_MINUTE_MAX");
        assertThatThrownBy(() -> new GeneratorSpec(DAY, 1, 1, 0, 0, 1, 1, 0, 0, 1.5, cal)).hasMessageContaining("fractional");
        // The symbol cap: 476 stocks × (1 + 20) = 9,996 fit; 477 × 21 = 10,017 do not.
        new GeneratorSpec(DAY, 1, 476, 2, 2, 1, 1, 0, 0, 0, cal);
        assertThatThrownBy(() -> new GeneratorSpec(DAY, 1, 477, 2, 2, 1, 1, 0, 0, 0, cal))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .hasMessageContaining("SYMBOLS_PER_YEAR_MAX");
        assertThatThrownBy(() -> new GeneratorSpec(DAY, 1, 1, 0, 0, 1, 1, 0, 0, 0, TradingCalendar.nyse(2024))).hasMessageContaining("calendar of 2024");
        assertThat(MarketGenerator.tickers(200)).hasSize(200).doesNotHaveDuplicates().isSorted();
    }
}
