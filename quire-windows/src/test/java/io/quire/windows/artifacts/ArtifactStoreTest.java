package io.quire.windows.artifacts;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.ingest.FlatFileKind;
import io.quire.windows.ingest.FlatFilePartitioner;
import io.quire.windows.ingest.FlatFileReader;
import io.quire.windows.ingest.FlatRow;
import io.quire.windows.ingest.QuoteRow;
import io.quire.windows.ingest.Rows;
import io.quire.windows.ingest.TradeRow;
import io.quire.windows.mapping.ArtifactRef;
import io.quire.windows.market.GeneratedMarket;
import io.quire.windows.market.GeneratorSpec;
import io.quire.windows.market.MarketGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Segments: round trips, one file per (kind, date), golden bytes, torn tails, damage, refs that lie, limits. */
class ArtifactStoreTest {
    @TempDir Path tmp;

    static final LocalDate DAY = LocalDate.of(2025, 11, 12);

    ArtifactStore store() { return ArtifactStore.open(tmp, 2025); }

    Path segment(ArtifactKind k) { return new ArtifactName(k, DAY).fileIn(tmp.resolve("windows/2025")); }

    static QuireException caught(Runnable r) {
        try {
            r.run();
        } catch (QuireException e) {
            return e;
        }
        throw new AssertionError("expected a QuireException");
    }

    @Test
    void shouldRoundTripAGeneratedDayInOneSegmentPerKind() throws Exception {
        GeneratedMarket m = MarketGenerator.generate(tmp.resolve("flat"), GeneratorSpec.defaults(DAY, 5, 6).withRates(30, 10, 1, 0.5).withChain(1, 1));
        TradingCalendar cal = TradingCalendar.nyse(2025);
        Map<ArtifactRef, List<? extends FlatRow>> written = new ConcurrentHashMap<>();
        long rows = 0;
        try (ArtifactStore s = store()) {
            for (GeneratedMarket.Kind k : List.of(GeneratedMarket.Kind.STOCK_TRADES, GeneratedMarket.Kind.STOCK_QUOTES, GeneratedMarket.Kind.OPTION_TRADES,
                    GeneratedMarket.Kind.OPTION_QUOTES)) {
                boolean trades = k == GeneratedMarket.Kind.STOCK_TRADES || k == GeneratedMarket.Kind.OPTION_TRADES;
                try (FlatFileReader r = FlatFileReader.open(m.file(k).path(), trades ? FlatFileKind.TRADES : FlatFileKind.QUOTES)) {
                    FlatFilePartitioner.run(r, cal, (t, minute, g) -> {
                        ArtifactRef ref = trades ? s.appendTrades(DAY, t, minute, cast(g)).ref() : s.appendQuotes(DAY, t, minute, cast(g)).ref();
                        written.put(ref, g);
                    });
                }
                rows += m.file(k).rows();
            }
            for (var e : written.entrySet()) {
                ArtifactBatch<? extends FlatRow> b = s.read(e.getKey());
                assertThat(b.rows()).isEqualTo(e.getValue());
                assertThat(b.symbol()).isEqualTo(e.getValue().getFirst().ticker());
            }
            long bytes = s.appender(ArtifactKind.TRADES, DAY).size() + s.appender(ArtifactKind.QUOTES, DAY).size();
            System.out.printf("artifacts: %,d rows in %,d frames, %,d bytes = %.1f bytes/row%n", rows, written.size(), bytes, (double) bytes / rows);
        }
        try (var files = Files.list(tmp.resolve("windows/2025/artifacts"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("quotes-2025-11-12.qwa", "trades-2025-11-12.qwa");
        }
        // Reopened: everything still reads back.
        try (ArtifactStore s = store()) {
            for (var e : written.entrySet()) assertThat(s.read(e.getKey()).rows()).isEqualTo(e.getValue());
            assertThat(s.appender(ArtifactKind.TRADES, DAY).recovery()).isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    static <R> List<R> cast(List<? extends FlatRow> g) { return (List<R>) g; }

    static List<TradeRow> golden() {
        return List.of(
                new TradeRow("SPY", ArtifactSamples.OPEN + 5, ArtifactSamples.OPEN + 1, 675.25, 100, 4, new int[] {12, 37}, 0, "52983525034", 1001, 2, 201,
                        ArtifactSamples.OPEN + 3, 0),
                new TradeRow("SPY", ArtifactSamples.OPEN + 900, Rows.ABSENT_LONG, 675.3, 0.5, 11, Rows.NO_CODES, Rows.ABSENT_INT, "", Rows.ABSENT_LONG, 2,
                        Rows.ABSENT_INT, Rows.ABSENT_LONG, 0));
    }

    @Test
    void shouldMatchTheGoldenFrameBytes() throws Exception {
        byte[] frame = ArtifactCodec.encodeFrame(ArtifactKind.TRADES, "SPY", 88_140, golden());
        Path g = Path.of("src/test/resources/golden/artifacts/trades-frame-v1.bin");
        if (Boolean.getBoolean("quire.golden.write")) Files.write(g, frame);
        assertThat(frame).isEqualTo(Files.readAllBytes(g));
        assertThat(ArtifactLayout.intact(frame, 0, frame.length)).isTrue();
        assertThat(ArtifactCodec.decodeFrame(frame, 0, frame.length).rows()).isEqualTo(golden());
        // The fixed header fields at the offsets FORMAT.md gives.
        assertThat(Arrays.copyOf(frame, 4)).isEqualTo("QWAR".getBytes());
        assertThat(ArtifactLayout.u32le(frame, 4)).isEqualTo(frame.length);
        assertThat(frame[8]).isEqualTo((byte) 1);
        assertThat(frame[9]).isEqualTo((byte) 1);
        assertThat(ArtifactLayout.u32le(frame, 12)).isEqualTo(88_140);
        assertThat(ArtifactLayout.u32le(frame, 16)).isEqualTo(2);
        assertThat(ArtifactLayout.i64le(frame, 20)).isEqualTo(ArtifactSamples.OPEN + 5);
        assertThat(ArtifactLayout.i64le(frame, 28)).isEqualTo(ArtifactSamples.OPEN + 900);
        assertThat(frame[36]).isEqualTo((byte) 3);
        // Every single-bit flip is caught by the frame check.
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] f = frame.clone();
            f[bit >> 3] ^= (byte) (1 << (bit & 7));
            assertThat(ArtifactLayout.intact(f, 0, f.length)).as("bit %d", bit).isFalse();
        }
        byte[] header = ArtifactLayout.header(ArtifactKind.QUOTES, DAY);
        assertThat(header).hasSize(16);
        assertThat(Arrays.copyOf(header, 4)).isEqualTo("QWAF".getBytes());
        assertThat(ArtifactLayout.u32le(header, 8)).isEqualTo(20251112);
    }

    @Test
    void shouldTruncateATornTailAtEveryCutOfTheLastAppend() throws Exception {
        List<ArtifactRef> first;
        List<ArtifactRef> last;
        try (ArtifactStore s = store()) {
            ArtifactFile f = s.appender(ArtifactKind.QUOTES, DAY);
            first = f.append(List.of(new ArtifactFile.Group("AAPL", 1, ArtifactSamples.quotes(1, "AAPL", 1)), new ArtifactFile.Group("AAPL", 2, ArtifactSamples.quotes(2, "AAPL", 2))));
            last = f.append(List.of(new ArtifactFile.Group("MSFT", 1, ArtifactSamples.quotes(3, "MSFT", 1)), new ArtifactFile.Group("MSFT", 2, ArtifactSamples.quotes(4, "MSFT", 2))));
        }
        Path seg = segment(ArtifactKind.QUOTES);
        byte[] full = Files.readAllBytes(seg);
        long lastStart = last.getFirst().offset();
        for (long cut = lastStart; cut < full.length; cut++) {
            Files.write(seg, Arrays.copyOf(full, (int) cut));
            try (ArtifactStore s = store()) {
                ArtifactFile f = s.appender(ArtifactKind.QUOTES, DAY);
                // Whole frames of the torn append that survived are kept; the cut frame is dropped.
                long keep = cut >= last.get(1).offset() ? last.get(1).offset() : lastStart;
                if (cut == lastStart || cut == last.get(1).offset()) assertThat(f.recovery()).as("cut %d", cut).isEmpty();
                else assertThat(f.recovery()).as("cut %d", cut).get().satisfies(r -> assertThat(r.offset()).isEqualTo(keep));
                assertThat(f.size()).isEqualTo(keep);
                assertThat(Files.size(seg)).isEqualTo(keep);
                for (ArtifactRef r : first) assertThat(s.readQuotes(r).rows()).hasSize((int) r.recordCount());
                // The next append reuses the offset.
                assertThat(f.append("MSFT", 9, ArtifactSamples.quotes(9, "MSFT", 9)).offset()).isEqualTo(keep);
            }
        }
        // A zero-filled tail (the file grew, the data never landed) is a torn tail too.
        Files.write(seg, full);
        try (RandomAccessFile raf = new RandomAccessFile(seg.toFile(), "rw")) {
            raf.setLength(full.length + 4096);
        }
        try (ArtifactStore s = store()) {
            assertThat(s.appender(ArtifactKind.QUOTES, DAY).recovery()).get().satisfies(r -> {
                assertThat(r.offset()).isEqualTo(full.length);
                assertThat(r.bytesDropped()).isEqualTo(4096);
            });
        }
    }

    @Test
    void shouldRefuseDamageBeforeIntactFramesAndCatchDamageOnRead() throws Exception {
        List<ArtifactRef> refs;
        try (ArtifactStore s = store()) {
            List<ArtifactFile.Group> g = new ArrayList<>();
            for (int i = 0; i < 5; i++) g.add(new ArtifactFile.Group("IWM", i, ArtifactSamples.trades(i, "IWM", i)));
            refs = s.appender(ArtifactKind.TRADES, DAY).append(g);
        }
        Path seg = segment(ArtifactKind.TRADES);
        byte[] full = Files.readAllBytes(seg);
        // Flip a body byte of frame 1: intact frames follow → INTEGRITY on open, file unchanged.
        byte[] bad = full.clone();
        int at = (int) refs.get(1).offset() + 45;
        bad[at] ^= 0x10;
        Files.write(seg, bad);
        QuireException e = caught(() -> { try (ArtifactStore s = store()) { s.appender(ArtifactKind.TRADES, DAY); } });
        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
        assertThat(e.getMessage()).contains("intact frame follows").contains("offset=" + refs.get(1).offset());
        assertThat(Files.readAllBytes(seg)).isEqualTo(bad);
        // The same damage found by a reader (no open scan): INTEGRITY naming the file and offset.
        try (ArtifactStore s = store()) {
            QuireException r = caught(() -> s.read(refs.get(1)));
            assertThat(r.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(r.code()).isEqualTo("checksum_mismatch");
            assertThat(r.getMessage()).contains(seg.toString()).contains("offset=" + refs.get(1).offset());
            assertThat(s.readTrades(refs.get(0)).rows()).hasSize((int) refs.get(0).recordCount());
        }
        // Damage followed by more than one append's worth of bytes is not a torn tail (sparse file).
        Files.write(seg, Arrays.copyOf(full, 16));
        try (RandomAccessFile raf = new RandomAccessFile(seg.toFile(), "rw")) {
            raf.setLength(16 + ArtifactLimits.APPEND_BYTES_MAX + 1);
        }
        QuireException big = caught(() -> { try (ArtifactStore s = store()) { s.appender(ArtifactKind.TRADES, DAY); } });
        assertThat(big.kind()).isEqualTo(ErrorKind.INTEGRITY);
        assertThat(big.getMessage()).contains("more than one append");
        // Exactly APPEND_BYTES_MAX of zeros after the last frame is still a torn tail.
        Files.write(seg, full);
        try (RandomAccessFile raf = new RandomAccessFile(seg.toFile(), "rw")) {
            raf.setLength(full.length + ArtifactLimits.APPEND_BYTES_MAX);
        }
        try (ArtifactStore s = store()) {
            assertThat(s.appender(ArtifactKind.TRADES, DAY).recovery()).get().satisfies(r -> assertThat(r.bytesDropped()).isEqualTo(ArtifactLimits.APPEND_BYTES_MAX));
        }
    }

    @Test
    void shouldRefuseRefsThatDoNotMatchTheirFrame() {
        ArtifactRef ref;
        try (ArtifactStore s = store()) {
            ref = s.appendTrades(DAY, "SPY", 3, golden()).ref();
            assertThat(ref.artifact()).isEqualTo("artifacts/trades-2025-11-12.qwa");
            assertThat(ref.recordCount()).isEqualTo(2);
            ArtifactRef r = ref;
            assertThat(caught(() -> s.read(new ArtifactRef(r.artifact(), r.offset(), r.length(), 3, r.firstTsNs(), r.lastTsNs()))).code()).isEqualTo("ref_mismatch");
            assertThat(caught(() -> s.read(new ArtifactRef(r.artifact(), r.offset(), r.length(), 2, r.firstTsNs() + 1, r.lastTsNs()))).code()).isEqualTo("ref_mismatch");
            assertThat(caught(() -> s.read(new ArtifactRef(r.artifact(), r.offset() + 1, r.length() - 1, 2, r.firstTsNs(), r.lastTsNs()))).code()).isEqualTo("checksum_mismatch");
            assertThat(caught(() -> s.read(new ArtifactRef(r.artifact(), r.offset() + r.length(), r.length(), 2, r.firstTsNs(), r.lastTsNs()))).kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(caught(() -> s.read(new ArtifactRef("artifacts/quotes-2025-11-12.qwa", r.offset(), r.length(), 2, r.firstTsNs(), r.lastTsNs()))).kind())
                    .isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(caught(() -> s.readQuotes(r)).kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            for (String name : new String[] {"artifacts/../trades-2025-11-12.qwa", "artifacts/trades-2025-1-12.qwa", "trades-2025-11-12.qwa",
                    "artifacts/bids-2025-11-12.qwa", "artifacts/trades-2025-11-12.qwa/x", "artifacts/trades-2025-02-30.qwa"}) {
                assertThat(caught(() -> s.read(new ArtifactRef(name, 16, 100, 1, 0, 0))).code()).as(name).isEqualTo("artifact_name");
            }
        }
    }

    @Test
    void shouldRefuseASecondAppenderAndForeignHeaders() throws Exception {
        try (ArtifactStore a = store(); ArtifactStore b = store()) {
            a.appendTrades(DAY, "SPY", 1, golden());
            QuireException e = caught(() -> b.appender(ArtifactKind.TRADES, DAY));
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
            assertThat(e.code()).isEqualTo("locked");
            assertThat(caught(() -> a.appender(ArtifactKind.TRADES, LocalDate.of(2024, 12, 31))).kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        }
        Path seg = segment(ArtifactKind.TRADES);
        // A segment renamed to another date or kind is refused as such.
        Path other = new ArtifactName(ArtifactKind.QUOTES, DAY.plusDays(1)).fileIn(tmp.resolve("windows/2025"));
        Files.copy(seg, other);
        assertThat(caught(() -> { try (ArtifactStore s = store()) { s.appender(ArtifactKind.QUOTES, DAY.plusDays(1)); } }).code()).isEqualTo("wrong_kind");
        byte[] h = Files.readAllBytes(seg);
        for (int i : new int[] {0, 4, 7, 12}) {
            byte[] x = h.clone();
            x[i] ^= 1;
            Files.write(seg, x);
            assertThat(caught(() -> { try (ArtifactStore s = store()) { s.appender(ArtifactKind.TRADES, DAY); } }).kind()).as("header byte %d", i).isEqualTo(ErrorKind.INTEGRITY);
        }
    }

    @Test
    void shouldEnforceLimitsAtTheirEdges() {
        try (ArtifactStore s = store()) {
            ArtifactFile f = s.appender(ArtifactKind.TRADES, DAY);
            List<ArtifactFile.Group> many = new ArrayList<>();
            TradeRow one = golden().getFirst();
            for (int i = 0; i < ArtifactLimits.FRAMES_PER_APPEND_MAX; i++) many.add(new ArtifactFile.Group("SPY", i, List.of(one)));
            assertThat(f.append(many)).hasSize(ArtifactLimits.FRAMES_PER_APPEND_MAX);
            many.add(new ArtifactFile.Group("SPY", 0, List.of(one)));
            long size = f.size();
            assertThat(caught(() -> f.append(many)).getMessage()).contains("FRAMES_PER_APPEND_MAX");
            assertThat(f.size()).isEqualTo(size);
            String sym64 = "S".repeat(ArtifactLimits.SYMBOL_BYTES_MAX);
            f.append(sym64, 1, List.of(withTicker(one, sym64)));
            String sym65 = sym64 + "S";
            assertThat(caught(() -> f.append(sym65, 1, List.of(withTicker(one, sym65)))).getMessage()).contains("1..64");
            int[] codes32 = new int[ArtifactLimits.CODES_PER_ROW_MAX];
            f.append("SPY", 1, List.of(withCodes(one, codes32)));
            assertThat(caught(() -> f.append("SPY", 1, List.of(withCodes(one, new int[ArtifactLimits.CODES_PER_ROW_MAX + 1])))).getMessage()).contains("limit is 32");
            // All or nothing: one bad group refuses the whole append.
            assertThat(caught(() -> f.append(List.of(new ArtifactFile.Group("SPY", 1, List.of(one)), new ArtifactFile.Group("QQQ", 1, List.of(one))))).getMessage())
                    .contains("row of SPY in the frame of QQQ");
            assertThat(f.size()).isGreaterThan(size);
            long after = f.size();
            assertThat(caught(() -> f.append("SPY", 1, List.of())).kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(caught(() -> f.append("SPY", -1, List.of(one))).kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(f.size()).isEqualTo(after);
        }
    }

    /** ROWS_PER_FRAME_MAX rows encode and read back; one more is refused; fat rows past FRAME_BYTES_MAX are refused with nothing written. */
    @Test
    void shouldHandleFramesAtTheRowAndByteLimits() {
        TradeRow one = golden().getFirst();
        try (ArtifactStore s = store()) {
            ArtifactFile f = s.appender(ArtifactKind.TRADES, DAY);
            List<TradeRow> max = java.util.Collections.nCopies(ArtifactLimits.ROWS_PER_FRAME_MAX, one);
            ArtifactRef ref = f.append("SPY", 7, max);
            assertThat(ref.recordCount()).isEqualTo(ArtifactLimits.ROWS_PER_FRAME_MAX);
            List<TradeRow> back = s.readTrades(ref).rows();
            assertThat(back).hasSize(ArtifactLimits.ROWS_PER_FRAME_MAX);
            assertThat(back.getFirst()).isEqualTo(one);
            assertThat(back.getLast()).isEqualTo(one);
            long size = f.size();
            assertThat(caught(() -> f.append("SPY", 7, java.util.Collections.nCopies(ArtifactLimits.ROWS_PER_FRAME_MAX + 1, one))).getMessage())
                    .contains("ROWS_PER_FRAME_MAX");
            int[] fat = new int[ArtifactLimits.CODES_PER_ROW_MAX];
            java.util.Arrays.fill(fat, Integer.MAX_VALUE);
            TradeRow big = new TradeRow("SPY", one.sipTs(), one.participantTs(), one.price(), one.size(), one.exchange(), fat, 0, "9".repeat(ArtifactLimits.TEXT_BYTES_MAX),
                    1, 1, 1, one.trfTs(), 0);
            QuireException e = caught(() -> f.append("SPY", 8, java.util.Collections.nCopies(ArtifactLimits.FRAME_BYTES_MAX / 200, big)));
            assertThat(e.code()).isEqualTo("frame_too_large");
            assertThat(e.getMessage()).contains("FRAME_BYTES_MAX");
            assertThat(f.size()).isEqualTo(size);
        }
    }

    /** An append of more than APPEND_BYTES_MAX is written in several fsynced writes; refs come back only after the last, and all read back. */
    @Test
    void shouldSplitAnAppendLargerThanOneWrite() {
        TradeRow one = golden().getFirst();
        try (ArtifactStore s = store()) {
            ArtifactFile f = s.appender(ArtifactKind.TRADES, DAY);
            List<TradeRow> max = java.util.Collections.nCopies(ArtifactLimits.ROWS_PER_FRAME_MAX, one);
            byte[] frame = ArtifactCodec.encodeFrame(ArtifactKind.TRADES, "SPY", 1, max);
            int frames = (int) (ArtifactLimits.APPEND_BYTES_MAX / frame.length) + 1;
            List<ArtifactFile.Group> g = new ArrayList<>();
            for (int i = 0; i < frames; i++) g.add(new ArtifactFile.Group("SPY", i, max));
            List<ArtifactRef> refs = f.append(g);
            assertThat((long) frames * frame.length).isGreaterThan(ArtifactLimits.APPEND_BYTES_MAX);
            assertThat(refs).hasSize(frames);
            for (ArtifactRef r : refs) assertThat(s.readTrades(r).rows()).hasSize(ArtifactLimits.ROWS_PER_FRAME_MAX);
        }
        try (ArtifactStore s = store()) {
            assertThat(s.appender(ArtifactKind.TRADES, DAY).recovery()).isEmpty();
        }
    }

    static TradeRow withTicker(TradeRow r, String t) {
        return new TradeRow(t, r.sipTs(), r.participantTs(), r.price(), r.size(), r.exchange(), r.conditions(), r.correction(), r.id(), r.sequence(), r.tape(),
                r.trfId(), r.trfTs(), 0);
    }

    static TradeRow withCodes(TradeRow r, int[] c) {
        return new TradeRow(r.ticker(), r.sipTs(), r.participantTs(), r.price(), r.size(), r.exchange(), c, r.correction(), r.id(), r.sequence(), r.tape(),
                r.trfId(), r.trfTs(), 0);
    }

    @Test
    void shouldRoundTripEveryColumnShapeIncludingRawDoubles() {
        try (ArtifactStore s = store()) {
            for (long seed = 0; seed < 300; seed++) {
                List<TradeRow> t = ArtifactSamples.trades(seed, "T" + seed, (int) seed);
                assertThat(s.readTrades(s.appendTrades(DAY, "T" + seed, (int) seed, t).ref()).rows()).as("seed %d", seed).isEqualTo(t);
                List<QuoteRow> q = ArtifactSamples.quotes(seed, "Q" + seed, (int) seed);
                assertThat(s.readQuotes(s.appendQuotes(DAY, "Q" + seed, (int) seed, q).ref()).rows()).as("seed %d", seed).isEqualTo(q);
            }
        }
    }
}
