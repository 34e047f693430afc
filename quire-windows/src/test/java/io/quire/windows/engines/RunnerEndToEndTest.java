package io.quire.windows.engines;

import io.quire.windows.market.GeneratedMarket;
import io.quire.windows.market.GeneratorSpec;
import io.quire.windows.market.MarketGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full 390-minute session of 7 stocks with 6 contracts each (49 symbols) generated as flat
 * files, then ingested and enriched by every engine of one runner: at the end every slot that
 * should be Filled is Filled and verifies on dereference, none is Pending, and window_lag is 0 for
 * every column.
 */
class RunnerEndToEndTest {
    @TempDir Path tmp;

    static final LocalDate DAY = LocalDate.of(2025, 11, 12);

    static GeneratedMarket generate(Path dir, long seed) {
        return MarketGenerator.generate(dir, GeneratorSpec.defaults(DAY, seed, 7).withRates(12, 4, 1, 0.3).withChain(1, 1));
    }

    @Test
    void shouldFillAFullSessionEndToEnd() throws Exception {
        GeneratedMarket m = generate(tmp.resolve("flat"), 7);
        assertThat(EngineTestSupport.universe(m)).hasSize(49);
        Path ledger = tmp.resolve("ledger.state");
        long t0 = System.nanoTime();
        try (Runner r = Runner.open(Runner.Config.of(ledger, DAY, List.of(), tmp.resolve("flat"), List.of(m.file(GeneratedMarket.Kind.TREASURY).path())))) {
            assertThat(r.context().universe().size()).isEqualTo(49);
            r.start();
            assertThat(r.awaitIdle(Duration.ofMinutes(5))).as("runner idle").isTrue();
            for (Engine e : r.engines()) {
                System.out.printf("%-10s processed %,d conflicts %d released %d restarts %d%n", e.name(), e.stats().windowsProcessed.get(),
                        e.stats().conflicts.get(), e.stats().released.get(), r.restarts(e.name()));
                assertThat(r.restarts(e.name())).as(e.name() + " restarts").isZero();
            }
            assertThat(r.engine("aggressor").stats().windowsProcessed.get()).isEqualTo(49L * 390);
            assertThat(r.engine("greeks").stats().windowsProcessed.get()).isEqualTo(42L * 390);
            // window_lag of every column is 0 over the session: every window that applies is Filled.
            var st = r.metrics().refresh();
            assertThat(st.activeSessions()).isEqualTo(49);
            for (var k : io.quire.windows.slots.SlotKind.values()) {
                assertThat(st.lagMinutes().get(k)).as("window_lag of " + k.column()).isZero();
                assertThat(st.count(k, io.quire.windows.slots.SlotStatus.FILLED)).as("filled " + k.column())
                        .isEqualTo(st.total(k)).isEqualTo((k == io.quire.windows.slots.SlotKind.GREEKS_REF ? 42L : 49L) * 390);
            }
        }
        System.out.printf("run: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        var totals = EngineTestSupport.verifyComplete(ledger, m);
        System.out.println(totals);
    }
}
