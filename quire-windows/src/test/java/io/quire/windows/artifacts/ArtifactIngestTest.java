package io.quire.windows.artifacts;

import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.ingest.FlatFileKind;
import io.quire.windows.ingest.FlatFilePartitioner;
import io.quire.windows.ingest.FlatFileReader;
import io.quire.windows.ingest.FlatRow;
import io.quire.windows.ingest.IngestReport;
import io.quire.windows.mapping.ArtifactRef;
import io.quire.windows.market.GeneratedMarket;
import io.quire.windows.market.GeneratorSpec;
import io.quire.windows.market.MarketGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Flat file → artifact segments in batches: every group stored once, in file order, readable as partitioned. */
class ArtifactIngestTest {
    @TempDir Path tmp;

    record Stored(String ticker, int minute, ArtifactRef ref) {}

    record Group(String ticker, int minute, List<? extends FlatRow> rows) {}

    @Test
    void shouldStoreEveryGroupOfAFileInBatches() {
        LocalDate day = LocalDate.of(2025, 11, 28); // an early close: 210 minutes
        TradingCalendar cal = TradingCalendar.nyse(2025);
        GeneratedMarket m = MarketGenerator.generate(tmp.resolve("flat"), GeneratorSpec.defaults(day, 17, 8).withRates(12, 6, 1, 0.4).withChain(1, 1));
        try (ArtifactStore store = ArtifactStore.open(tmp.resolve("ledger"), 2025)) {
            for (GeneratedMarket.Kind k : List.of(GeneratedMarket.Kind.STOCK_QUOTES, GeneratedMarket.Kind.OPTION_TRADES)) {
                FlatFileKind kind = k == GeneratedMarket.Kind.OPTION_TRADES ? FlatFileKind.TRADES : FlatFileKind.QUOTES;
                List<Stored> stored = new ArrayList<>();
                IngestReport rep = ArtifactIngest.run(m.file(k).path(), kind, cal, store, (t, minute, date, ref) -> {
                    assertThat(date).isEqualTo(day);
                    stored.add(new Stored(t, minute, ref));
                });
                List<Group> expected = new ArrayList<>();
                try (FlatFileReader r = FlatFileReader.open(m.file(k).path(), kind)) {
                    FlatFilePartitioner.<FlatRow>run(r, cal, (t, minute, rows) -> expected.add(new Group(t, minute, rows)));
                }
                assertThat(rep.groups()).isEqualTo(expected.size()).isGreaterThan(ArtifactIngest.FRAMES_PER_BATCH);
                assertThat(stored).hasSize(expected.size());
                for (int i = 0; i < stored.size(); i++) {
                    Stored s = stored.get(i);
                    Group g = expected.get(i);
                    assertThat(s.ticker()).isEqualTo(g.ticker());
                    assertThat(s.minute()).isEqualTo(g.minute());
                    assertThat(store.read(s.ref()).rows()).isEqualTo(g.rows());
                    if (i > 0) assertThat(s.ref().offset()).isGreaterThan(stored.get(i - 1).ref().offset()); // file order
                }
            }
        }
    }
}
