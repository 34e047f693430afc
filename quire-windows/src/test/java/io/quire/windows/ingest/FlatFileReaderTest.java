package io.quire.windows.ingest;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.calendar.MinuteLookup;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.market.GeneratedMarket;
import io.quire.windows.market.GeneratorSpec;
import io.quire.windows.market.MarketGenerator;
import io.quire.windows.pricing.OptionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The flat-file reader and partitioner on hand-written files (every malformed case) and on generated days. */
class FlatFileReaderTest {
    @TempDir Path tmp;

    static final TradingCalendar CAL = TradingCalendar.nyse(2025);
    // 2025-11-12 09:30 New York = 14:30 UTC.
    static final long OPEN = 1_762_957_800_000_000_000L;
    static final long MIN = 60_000_000_000L;

    Path gz(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        return p;
    }

    static List<FlatRow> all(FlatFileReader r) {
        List<FlatRow> out = new ArrayList<>();
        for (FlatRow x; (x = r.next()) != null; ) out.add(x);
        return out;
    }

    @Test
    void shouldMapColumnsByNameInAnyOrderIgnoringExtras() throws Exception {
        String csv = "\uFEFFSIZE,Extra,Sip_Timestamp,PRICE,ticker,conditions,exchange\r\n"
                + "100,x," + (OPEN + 5) + ",675.25,SPY,\"12,37\",4\r\n"
                + "0.5,y," + (OPEN + 6) + ",675.3,SPY,,11\r\n";
        // The BOM as UTF-8 bytes.
        byte[] bytes = csv.replace("\uFEFF", "").getBytes(StandardCharsets.US_ASCII);
        byte[] withBom = new byte[bytes.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(bytes, 0, withBom, 3, bytes.length);
        try (FlatFileReader r = FlatFileReader.open("mem.csv", new ByteArrayInputStream(withBom), FlatFileKind.TRADES)) {
            List<FlatRow> rows = all(r);
            assertThat(r.malformedTotal()).isZero();
            assertThat(rows).hasSize(2);
            TradeRow a = (TradeRow) rows.get(0), b = (TradeRow) rows.get(1);
            assertThat(a.ticker()).isEqualTo("SPY");
            assertThat(a.conditions()).containsExactly(12, 37);
            assertThat(a.price()).isEqualTo(675.25);
            assertThat(a.size()).isEqualTo(100.0);
            assertThat(a.exchange()).isEqualTo(4);
            assertThat(a.sipTs()).isEqualTo(OPEN + 5);
            assertThat(a.line()).isEqualTo(2);
            assertThat(a.participantTs()).isEqualTo(Rows.ABSENT_LONG);
            assertThat(a.tape()).isEqualTo(Rows.ABSENT_INT);
            assertThat(a.id()).isEmpty();
            assertThat(b.size()).isEqualTo(0.5);
            assertThat(b.conditions()).isEmpty();
            assertThat(b.ticker()).isSameAs(a.ticker()); // the previous ticker's String is reused
            assertThat(r.hasColumn("exchange")).isTrue();
            assertThat(r.hasColumn("tape")).isFalse();
        }
    }

    @Test
    void shouldRefuseABadHeaderNamingFileAndColumn() throws Exception {
        Path noPrice = gz("t.csv.gz", "ticker,size,sip_timestamp\nSPY,1,1\n");
        assertThatThrownBy(() -> FlatFileReader.open(noPrice, FlatFileKind.TRADES))
                .isInstanceOfSatisfying(QuireException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.code()).isEqualTo("flatfile_header");
                })
                .hasMessageContaining(noPrice.toString()).hasMessageContaining("'price'");
        assertThatThrownBy(() -> FlatFileReader.open(gz("q.csv.gz", "ticker,bid_price,bid_size,ask_price,sip_timestamp\n"), FlatFileKind.QUOTES))
                .hasMessageContaining("'ask_size'");
        assertThatThrownBy(() -> FlatFileReader.open(gz("e.csv.gz", ""), FlatFileKind.TRADES)).hasMessageContaining("empty");
        assertThatThrownBy(() -> FlatFileReader.open(gz("d.csv.gz", "ticker,price,Price,size,sip_timestamp\n"), FlatFileKind.TRADES)).hasMessageContaining("twice");
        assertThatThrownBy(() -> FlatFileReader.open(gz("b.csv.gz", "ticker,,price,size,sip_timestamp\n"), FlatFileKind.TRADES)).hasMessageContaining("column 2 is empty");
        String wide = "ticker,price,size,sip_timestamp" + java.util.stream.IntStream.range(0, IngestLimits.FIELDS_MAX - 4).mapToObj(i -> ",x" + i).collect(java.util.stream.Collectors.joining());
        FlatFileReader.open(gz("w64.csv.gz", wide + "\n"), FlatFileKind.TRADES).close();
        assertThatThrownBy(() -> FlatFileReader.open(gz("w65.csv.gz", wide + ",y\n"), FlatFileKind.TRADES)).hasMessageContaining("FIELDS_MAX");
        assertThatThrownBy(() -> FlatFileReader.open(tmp.resolve("missing.csv.gz"), FlatFileKind.TRADES))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        Path notGzip = tmp.resolve("plain.csv.gz");
        Files.writeString(notGzip, "ticker,price\n");
        assertThatThrownBy(() -> FlatFileReader.open(notGzip, FlatFileKind.TRADES))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
    }

    @Test
    void shouldReportEveryMalformedRowWithItsLineAndKeepTheGoodOnes() throws Exception {
        String h = "ticker,conditions,price,size,sip_timestamp,exchange\n";
        String body = String.join("\n",
                "SPY,,10.5,100," + (OPEN + 1) + ",1",               // 2 ok
                "SPY,,abc,100," + (OPEN + 2) + ",1",                // 3 bad price
                "SPY,,10.5,-3," + (OPEN + 3) + ",1",                // 4 negative size
                "SPY,,10.5,100,,1",                                   // 5 empty sip_timestamp
                "SPY,,10.5,100," + (OPEN + 5),                       // 6 five fields
                "SPY,\"12,x\",10.5,100," + (OPEN + 6) + ",1",       // 7 bad condition entry
                "SPY,\"12\"7,10.5,100," + (OPEN + 7) + ",1",        // 8 stray quote
                "O:SPY25111C00675000,,1.5,1," + (OPEN + 8) + ",1",   // 9 malformed option ticker
                "SPY,,0,100," + (OPEN + 9) + ",1",                  // 10 price 0
                "SPY,,NaN,100," + (OPEN + 10) + ",1",               // 11 NaN
                "SPY,,10.5,100," + (OPEN + 11) + ",99999999999",    // 12 exchange out of int range
                "",                                                   // 13 blank: skipped, not a row
                "O:SPY251112C00675000,\"209\",1.5,2.5," + (OPEN + 12) + ",1", // 14 ok
                "SPY,,1e2,100," + (OPEN + 13) + ",1") + "\n";       // 15 ok (exponent form)
        // Optional timestamps: 0 is "not set" (absent), negative is malformed.
        Path ts = gz("ts.csv.gz", "ticker,price,size,sip_timestamp,participant_timestamp,trf_timestamp\nSPY,1,1," + OPEN + ",0,\nSPY,1,1," + OPEN + ",-5,\n");
        try (FlatFileReader r = FlatFileReader.open(ts, FlatFileKind.TRADES)) {
            List<FlatRow> rows = all(r);
            assertThat(rows).hasSize(1);
            assertThat(((TradeRow) rows.getFirst()).participantTs()).isEqualTo(Rows.ABSENT_LONG);
            assertThat(((TradeRow) rows.getFirst()).trfTs()).isEqualTo(Rows.ABSENT_LONG);
            assertThat(r.problemSamples().getFirst().column()).isEqualTo("participant_timestamp");
        }
        Path f = gz("bad.csv.gz", h + body);
        try (FlatFileReader r = FlatFileReader.open(f, FlatFileKind.TRADES)) {
            List<FlatRow> rows = all(r);
            assertThat(rows).extracting(FlatRow::line).containsExactly(2L, 14L, 15L);
            assertThat(((TradeRow) rows.get(2)).price()).isEqualTo(100.0);
            assertThat(r.malformedTotal()).isEqualTo(10);
            assertThat(r.problemSamples()).extracting(RowProblem::line).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
            assertThat(r.problemSamples()).extracting(RowProblem::column).containsExactly("price", "size", "sip_timestamp", null, "conditions", null,
                    "ticker", "price", "price", "exchange");
            assertThat(r.problemSamples()).allSatisfy(p -> assertThat(p.file()).isEqualTo(f.toString()));
            assertThat(r.problemSamples().get(3).message()).contains("5 fields; the header has 6");
            assertThat(r.problemSamples().get(6).toString()).contains("line 9 column ticker").contains("not an option ticker");
        }
    }

    @Test
    void shouldKeepAtMostTheSampleLimitButCountEveryProblem() throws Exception {
        StringBuilder b = new StringBuilder("ticker,price,size,sip_timestamp\n");
        int bad = IngestLimits.PROBLEM_SAMPLES_MAX + 50;
        for (int i = 0; i < bad; i++) b.append("SPY,x,1,").append(OPEN + i).append('\n');
        b.append("SPY,1,1,").append(OPEN).append('\n');
        try (FlatFileReader r = FlatFileReader.open(gz("many.csv.gz", b.toString()), FlatFileKind.TRADES)) {
            assertThat(all(r)).hasSize(1);
            assertThat(r.malformedTotal()).isEqualTo(bad);
            assertThat(r.problemSamples()).hasSize(IngestLimits.PROBLEM_SAMPLES_MAX);
        }
    }

    @Test
    void shouldTreatRecordsOverTheLimitsAsMalformedRows() throws Exception {
        String ok = "SPY,1,1," + OPEN + "\n";
        String atMax = "SPY,1,1," + OPEN + ",";
        atMax += "x".repeat(IngestLimits.RECORD_BYTES_MAX - (atMax.length() - 4)) + "\n"; // 5 fields; record bytes exclude the 4 commas
        String fields = "SPY,1,1," + OPEN + ",x" + ",x".repeat(IngestLimits.FIELDS_MAX) + "\n";
        String text = "ticker,price,size,sip_timestamp,extra\n" + "SPY,1,1," + OPEN + ",x\n" + "SPY,1,1," + OPEN + "," + "y".repeat(IngestLimits.RECORD_BYTES_MAX) + "\n"
                + fields + "SPY,1,1," + OPEN + ",\"unterminated\n";
        try (FlatFileReader r = FlatFileReader.open(gz("long.csv.gz", text), FlatFileKind.TRADES)) {
            List<FlatRow> rows = all(r);
            assertThat(rows).hasSize(1);
            assertThat(r.problemSamples()).extracting(RowProblem::message).anySatisfy(m -> assertThat(m).contains("RECORD_BYTES_MAX"))
                    .anySatisfy(m -> assertThat(m).contains("FIELDS_MAX")).anySatisfy(m -> assertThat(m).contains("unterminated"));
        }
        // A record of exactly RECORD_BYTES_MAX bytes is fine.
        int room = IngestLimits.RECORD_BYTES_MAX - ("SPY" + "1" + "1" + OPEN).length();
        String exact = "ticker,price,size,sip_timestamp,extra\nSPY,1,1," + OPEN + "," + "z".repeat(room) + "\n";
        try (FlatFileReader r = FlatFileReader.open(gz("exact.csv.gz", exact), FlatFileKind.TRADES)) {
            assertThat(all(r)).hasSize(1);
            assertThat(r.malformedTotal()).isZero();
        }
        String over = "ticker,price,size,sip_timestamp,extra\nSPY,1,1," + OPEN + "," + "z".repeat(room + 1) + "\n";
        try (FlatFileReader r = FlatFileReader.open(gz("over.csv.gz", over), FlatFileKind.TRADES)) {
            assertThat(all(r)).isEmpty();
            assertThat(r.malformedTotal()).isEqualTo(1);
        }
        // Conditions lists: LIST_ENTRIES_MAX entries pass, one more is a problem.
        String list = "1" + ",1".repeat(IngestLimits.LIST_ENTRIES_MAX - 1);
        String lists = "ticker,conditions,price,size,sip_timestamp\nSPY,\"" + list + "\",1,1," + OPEN + "\nSPY,\"" + list + ",1\",1,1," + OPEN + "\n";
        try (FlatFileReader r = FlatFileReader.open(gz("lists.csv.gz", lists), FlatFileKind.TRADES)) {
            assertThat(all(r)).hasSize(1);
            assertThat(r.problemSamples().getFirst().message()).contains("LIST_ENTRIES_MAX");
        }
        assertThat(ok).isNotEmpty();
        assertThat(atMax).isNotEmpty();
    }

    @Test
    void shouldReportATruncatedGzipAfterTheRowsBeforeIt() throws Exception {
        StringBuilder b = new StringBuilder("ticker,price,size,sip_timestamp\n");
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) b.append("SPY,").append(1 + rnd.nextInt(500)).append(".25,").append(rnd.nextInt(1000)).append(',').append(OPEN + i).append('\n');
        Path full = gz("full.csv.gz", b.toString());
        byte[] bytes = Files.readAllBytes(full);
        Path cut = tmp.resolve("cut.csv.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        try (FlatFileReader r = FlatFileReader.open(cut, FlatFileKind.TRADES)) {
            List<FlatRow> got = new ArrayList<>();
            assertThatThrownBy(() -> { for (FlatRow x; (x = r.next()) != null; ) got.add(x); })
                    .isInstanceOfSatisfying(QuireException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                        assertThat(e.code()).isEqualTo("flatfile_truncated");
                    }).hasMessageContaining("cut.csv.gz").hasMessageContaining("after line");
            assertThat(got).isNotEmpty();
        }
    }

    @Test
    void shouldPartitionBySymbolMinuteCountingRowsOutsideSessions() throws Exception {
        long pre = OPEN - MIN, after = OPEN + 390 * MIN, weekend = OPEN + 3 * 86_400_000_000_000L; // Saturday
        String text = "ticker,price,size,sip_timestamp\n"
                + "AAPL,1,1," + pre + "\n"                      // pre-market
                + "AAPL,1,1," + OPEN + "\n"                     // minute 0
                + "AAPL,2,1," + (OPEN + MIN - 1) + "\n"         // still minute 0
                + "AAPL,3,1," + (OPEN + 10) + "\n"              // earlier than the previous row, same minute: sorted in
                + "AAPL,4,1," + (OPEN + MIN) + "\n"             // minute 1
                + "AAPL,5,1," + (OPEN + 20) + "\n"              // minute 0 again: out of order, reported
                + "AAPL,6,1," + after + "\n"                    // after the close
                + "SPY,7,1," + (OPEN + 389 * MIN) + "\n"        // last minute
                + "MSFT,8,1," + (OPEN + 2 * MIN) + "\n"         // ticker out of order
                + "SPY,9,1," + weekend + "\n";                  // a Saturday
        int first = CAL.sessionOn(LocalDate.of(2025, 11, 12)).orElseThrow().firstMinuteIdx();
        List<String> groups = new ArrayList<>();
        IngestReport rep;
        try (FlatFileReader r = FlatFileReader.open(gz("p.csv.gz", text), FlatFileKind.TRADES)) {
            rep = FlatFilePartitioner.<TradeRow>run(r, CAL, (t, m, rows) -> groups.add(t + "@" + (m - first) + ":" + rows.stream().map(x -> (int) x.price()).toList()));
        }
        assertThat(groups).containsExactly("AAPL@0:[1, 3, 2]", "AAPL@1:[4]", "SPY@389:[7]");
        assertThat(rep.rowsRead()).isEqualTo(10);
        assertThat(rep.rowsPartitioned()).isEqualTo(5);
        assertThat(rep.groups()).isEqualTo(3);
        assertThat(rep.reordered()).isEqualTo(1);
        assertThat(rep.outsideSession()).containsEntry(MinuteLookup.Reason.BEFORE_OPEN, 1L).containsEntry(MinuteLookup.Reason.AFTER_CLOSE, 1L)
                .containsEntry(MinuteLookup.Reason.WEEKEND, 1L);
        assertThat(rep.malformedTotal()).isEqualTo(2);
        assertThat(rep.problems()).extracting(RowProblem::line).containsExactly(7L, 10L);
        assertThat(rep.problems().get(0).message()).contains("out of order");
    }

    @Test
    void shouldParseOptionTickers() {
        OptionTicker t = OptionTicker.parse("O:SPY251112C00675000");
        assertThat(t.underlying()).isEqualTo("SPY");
        assertThat(t.expiry()).isEqualTo(LocalDate.of(2025, 11, 12));
        assertThat(t.type()).isEqualTo(OptionType.CALL);
        assertThat(t.strikeThousandths()).isEqualTo(675_000);
        assertThat(t.strike()).isEqualTo(675.0);
        OptionTicker p = OptionTicker.parse("O:BRKB260116P00472500");
        assertThat(p.underlying()).isEqualTo("BRKB");
        assertThat(p.type()).isEqualTo(OptionType.PUT);
        assertThat(p.strike()).isEqualTo(472.5);
        assertThat(OptionTicker.parse("O:A251219C00000500").strike()).isEqualTo(0.5);
        assertThat(OptionTicker.format("SPY", LocalDate.of(2025, 11, 12), OptionType.CALL, 675_000)).isEqualTo("O:SPY251112C00675000");
        for (String bad : new String[] {"SPY", "O:SPY251112X00675000", "O:SPY251312C00675000", "O:SPY250230C00675000", "O:251112C00675000",
                "O:TOOLONGX251112C00675000", "O:spy251112C00675000", "O:SPY251112C0067500", "O:SPY251112C00000000", "O:SPY25111AC00675000"}) {
            assertThat(OptionTicker.tryParse(bad)).as(bad).isEmpty();
        }
        assertThatThrownBy(() -> OptionTicker.parse("O:X")).hasMessageContaining("e.g. O:SPY251112C00675000");
    }

    /** Invariants checked: the fast decimal parser returns exactly Double.parseDouble's value for seeded random decimals. */
    @Test
    void shouldParseDecimalsExactly() {
        long seed = Long.getLong("quire.test.seed", System.nanoTime());
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) {
            String s = switch (rnd.nextInt(4)) {
                case 0 -> Long.toString(rnd.nextLong(1_000_000_000L)) + "." + Long.toString(rnd.nextLong(10_000));
                case 1 -> "0.000" + rnd.nextInt(100_000);
                case 2 -> Long.toString(rnd.nextLong(Long.MAX_VALUE / 1000));
                default -> (rnd.nextBoolean() ? "-" : "") + rnd.nextInt(1000) + "." + String.format("%09d", rnd.nextInt(1_000_000_000));
            };
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertThat(FieldParse.parseDouble(b, 0, b.length, "x")).as("seed %d: %s", seed, s).isEqualTo(Double.parseDouble(s));
        }
        byte[] max = Long.toString(Long.MAX_VALUE).getBytes(StandardCharsets.US_ASCII);
        assertThat(FieldParse.parseLong(max, 0, max.length, "x")).isEqualTo(Long.MAX_VALUE);
        byte[] over = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> FieldParse.parseLong(over, 0, over.length, "x")).hasMessageContaining("out of range");
        for (String bad : new String[] {"", "-", ".", "1.2.3", "1,5", "Infinity", "0x10", "1e400"}) {
            byte[] b = bad.getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> FieldParse.parseDouble(b, 0, b.length, "x")).as(bad).isInstanceOf(FieldParse.Bad.class);
        }
    }

    /** Reads a generated day and prints rows per second (a figure, not an assertion). */
    @Test
    void shouldStreamAGeneratedDayAndReportThroughput() {
        GeneratedMarket m = MarketGenerator.generate(tmp.resolve("day"),
                GeneratorSpec.defaults(LocalDate.of(2025, 11, 12), 11, 40).withRates(60, 15, 1, 0.3).withChain(2, 2));
        for (GeneratedMarket.Kind k : List.of(GeneratedMarket.Kind.STOCK_QUOTES, GeneratedMarket.Kind.STOCK_TRADES, GeneratedMarket.Kind.OPTION_QUOTES)) {
            GeneratedMarket.File f = m.file(k);
            FlatFileKind kind = k == GeneratedMarket.Kind.STOCK_TRADES ? FlatFileKind.TRADES : FlatFileKind.QUOTES;
            long best = Long.MAX_VALUE;
            IngestReport rep = null;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                try (FlatFileReader r = FlatFileReader.open(f.path(), kind)) {
                    rep = FlatFilePartitioner.run(r, CAL, (t, minute, rows) -> {});
                }
                best = Math.min(best, System.nanoTime() - t0);
            }
            assertThat(rep.rowsPartitioned()).isEqualTo(f.rows());
            assertThat(rep.malformedTotal()).isZero();
            System.out.printf("ingest %s: %,d rows, %,d bytes gz, best of 3: %.0f ms = %,.0f rows/s (read + parse + partition)%n", k, f.rows(), f.bytes(),
                    best / 1e6, f.rows() / (best / 1e9));
        }
    }
}
