package io.quire.windows.market;

import io.quire.windows.artifacts.ArtifactStore;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.ingest.FlatFileKind;
import io.quire.windows.ingest.FlatFilePartitioner;
import io.quire.windows.ingest.FlatFileReader;
import io.quire.windows.ingest.OptionTicker;
import io.quire.windows.ingest.QuoteRow;
import io.quire.windows.ingest.TradeRow;
import io.quire.windows.mapping.AggressorPayload;
import io.quire.windows.mapping.ArtifactRef;
import io.quire.windows.pricing.AggressorClassifier;
import io.quire.windows.pricing.Aggregates;
import io.quire.windows.pricing.Bar;
import io.quire.windows.pricing.GreeksCalculator;
import io.quire.windows.pricing.GreeksGuard;
import io.quire.windows.pricing.OptionType;
import io.quire.windows.pricing.QuoteTick;
import io.quire.windows.pricing.RateCurve;
import io.quire.windows.pricing.TradeTick;
import io.quire.windows.slots.AggWindow;
import io.quire.windows.treasury.EffectiveRule;
import io.quire.windows.treasury.TreasuryCsv;
import io.quire.windows.treasury.TreasuryCurve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The building blocks chained the way the engines will chain them, without the ledger: generate a
 * day → ingest flat files → artifacts → (from artifacts only) aggressor per minute, 5m aggregates,
 * Greeks of every contract every 30 minutes with the rate from the generated treasury CSV.
 */
class PipelineBlocksTest {
    @TempDir Path tmp;

    record Key(String symbol, int minute) {}

    @Test
    void shouldRunGeneratedDayThroughIngestArtifactsAndPricing() throws Exception {
        LocalDate day = LocalDate.of(2025, 11, 12);
        TradingCalendar cal = TradingCalendar.nyse(2025);
        Session session = cal.sessionOn(day).orElseThrow();
        GeneratedMarket m = MarketGenerator.generate(tmp.resolve("flat"), GeneratorSpec.defaults(day, 99, 5).withRates(20, 8, 2, 0.5).withChain(2, 2));
        Map<Key, ArtifactRef> trades = new HashMap<>(), quotes = new HashMap<>(), optQuotes = new HashMap<>();
        try (ArtifactStore store = ArtifactStore.open(tmp.resolve("ledger"), 2025)) {
            ingest(m.file(GeneratedMarket.Kind.STOCK_TRADES).path(), FlatFileKind.TRADES, cal, store, day, trades);
            ingest(m.file(GeneratedMarket.Kind.STOCK_QUOTES).path(), FlatFileKind.QUOTES, cal, store, day, quotes);
            ingest(m.file(GeneratedMarket.Kind.OPTION_QUOTES).path(), FlatFileKind.QUOTES, cal, store, day, optQuotes);

            // Aggressor per stock-minute, with the tick rule carried across minutes.
            long classified = 0, byQuote = 0, all = 0, crossedMinutes = 0;
            Map<String, TreeMap<Integer, List<TradeTick>>> tradeTicks = new HashMap<>();
            Map<String, TreeMap<Long, QuoteTick>> stockQuotes = new HashMap<>();
            for (String s : m.stocks()) {
                double prev = Double.NaN;
                List<QuoteTick> carried = new ArrayList<>();
                TreeMap<Integer, List<TradeTick>> byMinute = new TreeMap<>();
                TreeMap<Long, QuoteTick> qs = new TreeMap<>();
                for (int minute = session.firstMinuteIdx(); minute <= session.lastMinuteIdx(); minute++) {
                    List<QuoteTick> q = new ArrayList<>(carried);
                    ArtifactRef qr = quotes.get(new Key(s, minute));
                    if (qr != null) for (QuoteRow r : store.readQuotes(qr).rows()) q.add(new QuoteTick(r.sipTs(), r.bidPrice(), r.askPrice(), r.bidSize(), r.askSize()));
                    for (QuoteTick t : q) qs.put(t.tsNs(), t);
                    ArtifactRef tr = trades.get(new Key(s, minute));
                    if (!q.isEmpty()) carried = List.of(q.getLast()); // the last quote of the previous minute is "at or before" the first trade
                    if (tr == null) continue;
                    List<TradeTick> t = store.readTrades(tr).rows().stream().map(r -> new TradeTick(r.sipTs(), r.price(), r.size())).toList();
                    byMinute.put(minute, t);
                    AggressorClassifier.Result res = AggressorClassifier.classify(t, q, 30_000_000_000L, prev, 0) /* ~20 quotes a minute: a 30 s limit */;
                    AggressorPayload p = res.summary();
                    all += t.size();
                    classified += p.buyerCount() + p.sellerCount();
                    byQuote += p.quoteRuleCount();
                    if ((p.flags() & AggressorPayload.FLAG_CROSSED_QUOTES) != 0) crossedMinutes++;
                    prev = t.getLast().price();
                }
                tradeTicks.put(s, byMinute);
                stockQuotes.put(s, qs);
            }
            System.out.printf("aggressor: %,d trades, %,d classified, %,d by quote rule, %,d minutes with locked/crossed quotes%n", all, classified, byQuote, crossedMinutes);
            assertThat(all).isEqualTo(m.file(GeneratedMarket.Kind.STOCK_TRADES).rows());
            assertThat(classified).isGreaterThan(all * 99 / 100);
            assertThat(byQuote).isGreaterThan(all * 9 / 10);
            assertThat(crossedMinutes).isPositive();

            // 5-minute bars equal the sums of their 1-minute bars.
            for (String s : m.stocks()) {
                var byMinute = tradeTicks.get(s);
                for (int minute = session.firstMinuteIdx(); minute <= session.lastMinuteIdx(); minute += 5) {
                    Aggregates.Bucket b5 = Aggregates.bucket(AggWindow.M5, session, minute);
                    List<TradeTick> window = new ArrayList<>();
                    double vol = 0;
                    long count = 0;
                    for (int k = b5.firstMinuteIdx(); k <= b5.lastMinuteIdx(); k++) {
                        List<TradeTick> t = byMinute.getOrDefault(k, List.of());
                        window.addAll(t);
                        Bar one = Aggregates.bar(Aggregates.bucket(AggWindow.M1, session, k), t);
                        if (one != null) {
                            vol += one.volume();
                            count += one.tradeCount();
                        }
                    }
                    Bar five = Aggregates.bar(b5, window);
                    if (five == null) continue;
                    assertThat(five.tradeCount()).isEqualTo(count);
                    assertThat(five.volume()).isCloseTo(vol, org.assertj.core.api.Assertions.within(1e-6));
                    assertThat(five.toPayload().vwap()).isBetween(five.low(), five.high());
                }
            }

            // Greeks of every contract every 30 minutes, rate from the generated treasury CSV.
            TreasuryCsv.Result tr = TreasuryCsv.parse("gen", Files.readString(m.file(GeneratedMarket.Kind.TREASURY).path()), EffectiveRule.nextSessionOpen());
            TreasuryCurve curve = tr.curves().stream().filter(c -> !c.effectiveTs().isAfter(session.openUtc())).reduce((a, b) -> b).orElseThrow();
            RateCurve rates = RateCurve.of(curve);
            long computed = 0, blocked = 0;
            Map<String, Integer> flags = new TreeMap<>();
            for (String c : m.contracts()) {
                OptionTicker ot = OptionTicker.parse(c);
                QuoteTick last = null;
                for (int minute = session.firstMinuteIdx(); minute <= session.lastMinuteIdx(); minute++) {
                    ArtifactRef qr = optQuotes.get(new Key(c, minute));
                    if (qr != null) {
                        List<QuoteRow> rows = store.readQuotes(qr).rows();
                        QuoteRow r = rows.getLast();
                        last = new QuoteTick(r.sipTs(), r.bidPrice(), r.askPrice(), r.bidSize(), r.askSize());
                    }
                    if ((minute - session.firstMinuteIdx()) % 30 != 29 || last == null) continue;
                    long now = cal.minuteStart(minute).getEpochSecond() * 1_000_000_000L + 59_999_999_999L;
                    var under = stockQuotes.get(ot.underlying()).floorEntry(now).getValue();
                    GreeksCalculator.Result g = GreeksCalculator.compute(ot.type(), ot.strike(), GreeksCalculator.yearsToExpiry(now, ot.expiry()),
                            new GreeksCalculator.QuoteSnapshot(last.bid(), last.ask(), now - last.tsNs()),
                            new GreeksCalculator.QuoteSnapshot(under.bid(), under.ask(), now - under.tsNs()), rates, 0.0, 60_000_000_000L);
                    flags.merge(g.flags() == 0 ? "none" : GreeksGuard.describe(g.flags()), 1, Integer::sum);
                    if (g.blocked()) {
                        blocked++;
                        continue;
                    }
                    computed++;
                    assertThat(g.iv()).isBetween(0.02, 3.0);
                    if (ot.type() == OptionType.CALL) assertThat(g.delta()).isBetween(0.0, 1.0);
                    else assertThat(g.delta()).isBetween(-1.0, 0.0);
                    assertThat(g.gamma()).isGreaterThanOrEqualTo(0);
                    assertThat(g.toPayload(1)).isPresent();
                }
            }
            System.out.printf("greeks: %,d computed, %,d blocked, flags %s%n", computed, blocked, flags);
            assertThat(computed).isGreaterThan((computed + blocked) * 3 / 4);
        }
    }

    /** Ingests one file through {@link io.quire.windows.artifacts.ArtifactIngest} (batched appends), as the engine will. */
    private static void ingest(Path file, FlatFileKind kind, TradingCalendar cal, ArtifactStore store, LocalDate day, Map<Key, ArtifactRef> refs) {
        var rep = io.quire.windows.artifacts.ArtifactIngest.run(file, kind, cal, store, (t, minute, date, ref) -> {
            assertThat(date).isEqualTo(day);
            refs.put(new Key(t, minute), ref);
        });
        assertThat(rep.malformedTotal()).isZero();
        assertThat(refs).isNotEmpty();
    }
}
