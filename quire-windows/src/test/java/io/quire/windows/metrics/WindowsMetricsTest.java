package io.quire.windows.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.mapping.MappingFiles;
import io.quire.windows.mapping.TradePayload;
import io.quire.windows.mapping.ArtifactRef;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SlotAudit;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every meter of the binder on a {@code SimpleMeterRegistry}, with values computed by hand. */
class WindowsMetricsTest {
    @TempDir Path dir;

    static final TradingCalendar CAL = TradingCalendar.nyse(2025);

    @Test
    void shouldExposeLagRatiosCardinalityBacklogMappingSizesClearsAndMutations() {
        // 2025-01-02 is session 1 (minute_idx 0 = 14:30Z). "now" = 14:40Z: minutes 0..9 have ended.
        Instant now = Instant.parse("2025-01-02T14:40:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        int minutes = CAL.totalMinutes();
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (SymbolMap sm = SymbolMap.open(SymbolMap.fileIn(dir, 2025), 2025);
             MappingFiles mf = MappingFiles.open(dir, 2025)) {
            sm.resolve("AAPL");
            sm.resolve("MSFT");
            PriorityRegionStore regions = PriorityRegionStore.open(dir, CAL, sm::idOf, clock);
            regions.add("AAPL", Instant.parse("2025-01-02T14:30:00Z"), Instant.parse("2025-01-02T14:35:00Z"), 5, EnumSet.of(SlotKind.TRADE_REF), "t");
            WindowsMetrics[] holder = new WindowsMetrics[1];
            SlotAudit counting = new SlotAudit() {
                @Override public void onClear(io.quire.windows.slots.ClearRecord r) { holder[0].counting(SlotAudit.NONE).onClear(r); }
            };
            try (TradeLedger t = TradeLedger.open(dir, 2025, 4, minutes, SlotMatrix.Options.defaults().withAudit(counting));
                 EnrichmentLedger e = EnrichmentLedger.open(dir, 2025, 4, minutes, SlotMatrix.Options.defaults())) {
                WindowsMetrics m = new WindowsMetrics(CAL, t, e, sm, regions, mf, clock);
                holder[0] = m;
                m.bindTo(reg);
                long id = mf.append(new TradePayload(new ArtifactRef("a", 0, 10, 1, 1, 2))).payloadId();
                // AAPL (0) trade_ref filled for minutes 0..9 except 3; MSFT (1) filled for 5..9 → MSFT's oldest empty is 0.
                for (int i = 0; i < 10; i++) if (i != 3) t.setTradeRef(0, i, new PayloadMeta(PayloadType.TRADE, id, 1, 0, 1));
                for (int i = 5; i < 10; i++) t.setTradeRef(1, i, new PayloadMeta(PayloadType.TRADE, id, 1, 0, 1));
                t.clearSlot(SlotKind.TRADE_REF, 0, 9, "test", "me");
                m.record(SlotKind.TRADE_REF, t.setTradeRef(0, 9, new PayloadMeta(PayloadType.TRADE, id, 0, 0, 1)), 1_000);
                m.record(SlotKind.TRADE_REF, t.setTradeRef(0, 9, new PayloadMeta(PayloadType.TRADE, id, 2, 0, 1)), 2_000);
                t.clearSlot(SlotKind.TRADE_REF, 0, 8, "test", "me");

                assertThat(reg.get("window_lag").tag("column", "trade_ref").gauge().value()).as("before the first refresh").isNaN();
                WindowsStatus s = m.refresh();
                assertThat(s.endedMinutes()).isEqualTo(10);
                // Oldest unfilled ended window of trade_ref is minute 0 (MSFT), ending 14:31Z: 9 minutes ago.
                assertThat(reg.get("window_lag").tag("column", "trade_ref").gauge().value()).isEqualTo(9.0);
                assertThat(reg.get("window_lag").tag("column", "quote_ref").gauge().value()).isEqualTo(9.0);
                // 20 ended trade_ref slots: AAPL 8 filled + 1 empty (3) + minute 8 cleared; MSFT 5 filled + 5 empty.
                assertThat(s.count(SlotKind.TRADE_REF, SlotStatus.FILLED)).isEqualTo(13);
                assertThat(s.count(SlotKind.TRADE_REF, SlotStatus.CLEARED)).isEqualTo(1);
                assertThat(s.count(SlotKind.TRADE_REF, SlotStatus.EMPTY)).isEqualTo(6);
                assertThat(reg.get("window_slot_status_ratio").tag("column", "trade_ref").tag("status", "filled").gauge().value()).isCloseTo(13 / 20.0, within(1e-9));
                assertThat(reg.get("window_slot_status_ratio").tag("column", "aggs_1m").tag("status", "empty").gauge().value()).isEqualTo(1.0);
                // Neither symbol is an option: greeks_ref applies to none of them.
                assertThat(s.total(SlotKind.GREEKS_REF)).isZero();
                assertThat(reg.get("window_lag").tag("column", "greeks_ref").gauge().value()).isZero();
                assertThat(s.activeSessions()).isEqualTo(2);
                assertThat(reg.get("window_symbols").gauge().value()).isEqualTo(2.0);
                assertThat(reg.get("window_symbols_max").gauge().value()).isEqualTo(10_000.0);
                // The region covers AAPL minutes 0..4; minute 3 is empty, so 5 minutes are still to check.
                assertThat(reg.get("window_region_backlog").tag("column", "trade_ref").gauge().value()).isEqualTo(5.0);
                assertThat(reg.get("window_region_backlog").tag("column", "quote_ref").gauge().value()).isZero();
                assertThat(reg.get("window_mapping_records").tag("file", "trade.map").gauge().value()).isEqualTo(1.0);
                assertThat(reg.get("window_mapping_file_bytes").tag("file", "trade.map").gauge().value()).isEqualTo((double) mf.trade().fileBytes());
                assertThat(reg.get("window_cleared_refs_total").tag("column", "trade_ref").counter().count()).isEqualTo(2.0);
                assertThat(reg.get("window_mutations_total").tag("column", "trade_ref").tag("result", "conflict").counter().count()).isEqualTo(1.0);
                assertThat(reg.get("window_mutations_total").tag("column", "trade_ref").tag("result", "ok").counter().count()).isEqualTo(1.0);
                assertThat(reg.get("window_mutation_latency").tag("column", "trade_ref").timer().count()).isEqualTo(2);
                assertThat(reg.get("window_repairs_total").tag("ledger", "trade").functionCounter().count()).isZero();
                assertThat(reg.get("window_status_scan_age_seconds").gauge().value()).isZero();
            }
        }
    }

    /**
     * The active-window rule of window_lag: a (symbol, session) counts only once something of it
     * is written; greeks_ref only for option tickers; a scan range bounds it.
     */
    @Test
    void shouldMeasureLagOverActiveSessionsAndApplicableColumnsOnly() {
        // Session 1 = 2025-01-02 (minutes 0..389), session 2 = 2025-01-03 (390..779); now = after session 2.
        Instant now = Instant.parse("2025-01-03T21:30:00Z");
        int minutes = CAL.totalMinutes();
        try (SymbolMap sm = SymbolMap.open(SymbolMap.fileIn(dir, 2025), 2025)) {
            int spy = sm.resolve("SPY"), opt = sm.resolve("O:SPY250321C00500000");
            sm.resolve("QQQ"); // never written: no active session
            try (TradeLedger t = TradeLedger.open(dir, 2025, 4, minutes, SlotMatrix.Options.defaults());
                 EnrichmentLedger e = EnrichmentLedger.open(dir, 2025, 4, minutes, SlotMatrix.Options.defaults())) {
                PayloadMeta tr = new PayloadMeta(PayloadType.TRADE, 1, 1, 0, 1), q = new PayloadMeta(PayloadType.QUOTE, 1, 1, 0, 1),
                        g = new PayloadMeta(PayloadType.GREEKS, 1, 1, 0, 1);
                for (int m = 0; m < 390; m++) {
                    t.setTradeRef(spy, m, tr);
                    t.setQuoteRef(spy, m, q);
                }
                for (int m = 390; m < 780; m++) {
                    t.setTradeRef(opt, m, tr);
                    e.setGreeksRef(opt, m, g);
                }
                var hasGreeks = WindowsMetrics.hasGreeks(sm);
                WindowsStatus s = WindowsStatus.scan(CAL, t, e, sm.size(), hasGreeks, 0, minutes, now);
                assertThat(s.endedMinutes()).isEqualTo(780);
                assertThat(s.activeSessions()).as("SPY day 1, the option day 2").isEqualTo(2);
                assertThat(s.count(SlotKind.TRADE_REF, SlotStatus.FILLED)).isEqualTo(780);
                assertThat(s.total(SlotKind.TRADE_REF)).isEqualTo(780);
                assertThat(s.lagMinutes().get(SlotKind.TRADE_REF)).isZero();
                // The option's quotes of day 2 are missing: lag since the end of its first minute (14:31Z on Jan 3).
                assertThat(s.count(SlotKind.QUOTE_REF, SlotStatus.EMPTY)).isEqualTo(390);
                assertThat(s.lagMinutes().get(SlotKind.QUOTE_REF)).isEqualTo(java.time.Duration.between(Instant.parse("2025-01-03T14:31:00Z"), now).toMinutes());
                // greeks_ref: only the option's 390 windows count, all Filled; SPY's are not lag.
                assertThat(s.total(SlotKind.GREEKS_REF)).isEqualTo(390);
                assertThat(s.lagMinutes().get(SlotKind.GREEKS_REF)).isZero();
                // aggs: nothing aggregated, oldest active window is SPY's first minute of day 1.
                assertThat(s.lagMinutes().get(SlotKind.AGGS_1M)).isEqualTo(java.time.Duration.between(Instant.parse("2025-01-02T14:31:00Z"), now).toMinutes());
                // Scanning day 2 only: SPY is not active there.
                WindowsStatus d2 = WindowsStatus.scan(CAL, t, e, sm.size(), hasGreeks, 390, 780, now);
                assertThat(d2.endedMinutes()).isEqualTo(390);
                assertThat(d2.activeSessions()).isEqualTo(1);
                assertThat(d2.total(SlotKind.TRADE_REF)).isEqualTo(390);
                assertThat(d2.lagMinutes().get(SlotKind.AGGS_1M)).isEqualTo(java.time.Duration.between(Instant.parse("2025-01-03T14:31:00Z"), now).toMinutes());
                // Clearing one of SPY's day-1 trade_ref makes it the oldest: lag since its end.
                t.clearSlot(SlotKind.TRADE_REF, spy, 100, "test", "me");
                WindowsStatus c = WindowsStatus.scan(CAL, t, e, sm.size(), hasGreeks, 0, minutes, now);
                assertThat(c.count(SlotKind.TRADE_REF, SlotStatus.CLEARED)).isEqualTo(1);
                assertThat(c.lagMinutes().get(SlotKind.TRADE_REF)).isEqualTo(java.time.Duration.between(CAL.minuteStart(100).plusSeconds(60), now).toMinutes());
            }
        }
    }
}
