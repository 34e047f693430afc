package io.quire.windows.engines;

import io.quire.windows.artifacts.ArtifactStore;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.mapping.AggregatePayload;
import io.quire.windows.mapping.AggressorPayload;
import io.quire.windows.mapping.GreeksPayload;
import io.quire.windows.mapping.MappingFiles;
import io.quire.windows.mapping.QuotePayload;
import io.quire.windows.mapping.TradePayload;
import io.quire.windows.market.GeneratedMarket;
import io.quire.windows.pricing.Aggregates;
import io.quire.windows.slots.AggWindow;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolLimits;
import io.quire.windows.symbols.SymbolMap;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks of a finished run, from the files alone (fresh handles, everything dereferenced and verified). */
final class EngineTestSupport {
    private EngineTestSupport() {}

    record Totals(long stockTrades, long optionTrades, long stockQuotes, long optionQuotes, long filled, long pending, long aggTrades1m) {}

    static List<String> universe(GeneratedMarket m) {
        List<String> all = new ArrayList<>(m.stocks());
        all.addAll(m.contracts());
        return all;
    }

    /** Counts Pending slots of both ledgers over the session for the symbols. */
    static long pending(Path ledger, LocalDate day, List<String> tickers) {
        TradingCalendar cal = TradingCalendar.nyse(day.getYear());
        Session s = cal.sessionOn(day).orElseThrow();
        long n = 0;
        try (SymbolMap sm = SymbolMap.open(SymbolMap.fileIn(ledger, day.getYear()), day.getYear());
             TradeLedger t = TradeLedger.open(ledger, day.getYear(), SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults().withCreate(false));
             EnrichmentLedger e = EnrichmentLedger.open(ledger, day.getYear(), SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults().withCreate(false))) {
            for (String tk : tickers) {
                int id = sm.idOf(tk).orElseThrow();
                for (int m = s.firstMinuteIdx(); m <= s.lastMinuteIdx(); m++) {
                    for (SlotKind k : SlotKind.values()) {
                        SlotView v = (k.ledger() == io.quire.windows.slots.LedgerKind.TRADE ? t.read(k, id, m) : e.read(k, id, m));
                        if (v.status() == SlotStatus.PENDING) n++;
                    }
                }
            }
        }
        return n;
    }

    /**
     * Invariants checked: every trade-ledger slot of every symbol-minute is Filled; aggressor of
     * every minute; greeks of every option minute; aggs_* Filled exactly when the covering bucket
     * has a trade; every payload dereferences with its checksum verified, every artifact frame
     * reads back verified; row totals equal the generated files; no slot is Pending.
     */
    static Totals verifyComplete(Path ledger, GeneratedMarket market) {
        LocalDate day = market.date();
        int year = day.getYear();
        TradingCalendar cal = TradingCalendar.nyse(year);
        Session session = cal.sessionOn(day).orElseThrow();
        long stockTrades = 0, optionTrades = 0, stockQuotes = 0, optionQuotes = 0, filled = 0, pending = 0, agg1m = 0, classified = 0;
        try (SymbolMap sm = SymbolMap.open(SymbolMap.fileIn(ledger, year), year);
             TradeLedger t = TradeLedger.open(ledger, year, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults().withCreate(false));
             EnrichmentLedger e = EnrichmentLedger.open(ledger, year, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults().withCreate(false));
             MappingFiles maps = MappingFiles.openReadOnly(ledger, year);
             ArtifactStore store = ArtifactStore.open(ledger, year)) {
            for (String tk : universe(market)) {
                int id = sm.idOf(tk).orElseThrow();
                boolean option = tk.startsWith("O:");
                long[] tradesPerMinute = new long[session.minutes()];
                for (int m = session.firstMinuteIdx(); m <= session.lastMinuteIdx(); m++) {
                    var row = t.getTradeRow(id, m);
                    for (SlotKind k : SlotKind.of(io.quire.windows.slots.LedgerKind.TRADE)) {
                        assertThat(row.slot(k).status()).as("%s %s minute %d", tk, k.column(), m).isEqualTo(SlotStatus.FILLED);
                        maps.dereference(row.slot(k).meta()); // checksum verified
                        filled++;
                    }
                    var tr = ((TradePayload) maps.dereference(row.tradeRef().meta())).ref();
                    if (tr.recordCount() > 0) assertThat(store.readTrades(tr).rows()).hasSize((int) tr.recordCount());
                    var qr = ((QuotePayload) maps.dereference(row.quoteRef().meta())).ref();
                    if (qr.recordCount() > 0) assertThat(store.readQuotes(qr).rows()).hasSize((int) qr.recordCount());
                    tradesPerMinute[m - session.firstMinuteIdx()] = tr.recordCount();
                    if (option) {
                        optionTrades += tr.recordCount();
                        optionQuotes += qr.recordCount();
                    } else {
                        stockTrades += tr.recordCount();
                        stockQuotes += qr.recordCount();
                    }
                    AggressorPayload ap = (AggressorPayload) maps.dereference(row.aggressorRef().meta());
                    assertThat(ap.buyerCount() + ap.sellerCount() + ap.unknownCount()).isEqualTo(tr.recordCount());
                    classified += ap.buyerCount() + ap.sellerCount();
                    var en = e.getEnrichmentRow(id, m);
                    if (option) {
                        assertThat(en.greeksRef().status()).as("%s greeks minute %d", tk, m).isEqualTo(SlotStatus.FILLED);
                        GreeksPayload g = (GreeksPayload) maps.dereference(en.greeksRef().meta());
                        assertThat(en.greeksRef().version()).isEqualTo(row.rfRateRef().version()).isEqualTo(g.rfRateVersion());
                        filled++;
                    } else {
                        assertThat(en.greeksRef().status()).isEqualTo(SlotStatus.EMPTY);
                    }
                }
                for (int m = session.firstMinuteIdx(); m <= session.lastMinuteIdx(); m++) {
                    var en = e.getEnrichmentRow(id, m);
                    for (AggWindow w : AggWindow.values()) {
                        var b = Aggregates.bucket(w, session, m);
                        long n = 0;
                        for (int k = b.firstMinuteIdx(); k <= b.lastMinuteIdx(); k++) n += tradesPerMinute[k - session.firstMinuteIdx()];
                        SlotView v = en.aggs(w);
                        assertThat(v.status()).as("%s %s minute %d", tk, w, m).isEqualTo(SlotStatus.FILLED);
                        AggregatePayload ap = (AggregatePayload) maps.dereference(v.meta());
                        assertThat(ap.tradeCount()).as("%s %s minute %d trades", tk, w, m).isEqualTo(n);
                        assertThat(ap.window()).isEqualTo(w);
                        assertThat(ap.startTsNs()).isEqualTo(b.startTsNs());
                        if (n == 0) assertThat(ap.volume()).isZero();
                        if (n == 0) assertThat(ap.open()).isNaN();
                        if (w == AggWindow.M1) agg1m += ap.tradeCount();
                        filled++;
                    }
                    for (SlotKind k : SlotKind.values()) {
                        SlotView v = k.ledger() == io.quire.windows.slots.LedgerKind.TRADE ? t.read(k, id, m) : e.read(k, id, m);
                        if (v.status() == SlotStatus.PENDING) pending++;
                    }
                }
            }
        }
        assertThat(pending).isZero();
        assertThat(stockTrades).isEqualTo(market.file(GeneratedMarket.Kind.STOCK_TRADES).rows());
        assertThat(optionTrades).isEqualTo(market.file(GeneratedMarket.Kind.OPTION_TRADES).rows());
        assertThat(stockQuotes).isEqualTo(market.file(GeneratedMarket.Kind.STOCK_QUOTES).rows());
        assertThat(optionQuotes).isEqualTo(market.file(GeneratedMarket.Kind.OPTION_QUOTES).rows());
        assertThat(agg1m).isEqualTo(stockTrades + optionTrades);
        assertThat(classified).isGreaterThan((stockTrades + optionTrades) * 3 / 4); // options quote about once a minute: many trades fall back to the tick rule or stay unknown
        return new Totals(stockTrades, optionTrades, stockQuotes, optionQuotes, filled, pending, agg1m);
    }
}
