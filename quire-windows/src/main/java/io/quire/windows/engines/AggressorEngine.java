package io.quire.windows.engines;

import io.quire.windows.mapping.AggressorPayload;
import io.quire.windows.pricing.AggressorClassifier;
import io.quire.windows.pricing.QuoteTick;
import io.quire.windows.pricing.TradeTick;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.slots.TradeRow;

import java.util.ArrayList;
import java.util.List;

/**
 * NBBO/aggressor: writes {@code aggressor_ref} of a window once its {@code trade_ref} and
 * {@code quote_ref} — and those of every earlier minute of the session — are Filled. Every trade
 * is classified against the quote at or before it ({@link AggressorClassifier}: quote rule,
 * distance to the mid, tick rule as fallback, locked/crossed flagged, a confidence per trade);
 * the previous minute's last quote is carried in (it is "at or before" the first trades) and its
 * last trade price seeds the tick rule, so the result depends only on the ledger, not on the order
 * in which windows are worked. A minute without trades gets a payload of zero counts.
 *
 * <p>{@code aggressor_ref.version} is {@code trade_ref.version + quote_ref.version} of the window
 * (both only grow, so the sum does): when ingest refills a cleared input (a new version), the
 * window is planned again and rewritten with a CAS on its version — a repair reaches downstream.
 */
public final class AggressorEngine extends WindowEngine {
    /** Default quote staleness: the classifier's 5 s. */
    public static final long STALENESS_NS_DEFAULT = 5_000_000_000L;

    private static final List<SlotKind> COLUMN = List.of(SlotKind.AGGRESSOR_REF);
    private final long stalenessNs;
    private int[] tradeWm, quoteWm;

    public AggressorEngine(EngineContext ctx, int batch, long stalenessNs) {
        super(ctx, "aggressor", SlotKind.AGGRESSOR_REF, batch);
        this.stalenessNs = stalenessNs;
    }

    @Override
    protected void prepareScan() {
        tradeWm = Inputs.filledThrough(ctx, SlotKind.TRADE_REF);
        quoteWm = Inputs.filledThrough(ctx, SlotKind.QUOTE_REF);
    }

    @Override
    protected List<SlotKind> plan(int s, int m) {
        SlotView a = ctx.trade().read(SlotKind.AGGRESSOR_REF, s, m);
        if (!(tradeWm[s] > m && quoteWm[s] > m)) return a.status() == SlotStatus.FILLED ? List.of() : null;
        if (a.status() == SlotStatus.FILLED && a.version() >= inputVersion(s, m)) return List.of();
        return COLUMN;
    }

    /** The version an aggressor payload of this window gets: the sum of its inputs' versions. */
    private long inputVersion(int s, int m) {
        return ctx.trade().read(SlotKind.TRADE_REF, s, m).version() + ctx.trade().read(SlotKind.QUOTE_REF, s, m).version();
    }

    @Override
    protected List<Write> compute(List<Claim> claims) {
        List<Write> out = new ArrayList<>(claims.size());
        for (Claim c : claims) {
            if (!c.pending()) stats().recomputed.incrementAndGet();
            out.add(new Write(c, classify(c.symbolId(), c.minuteIdx()), Math.max(inputVersion(c.symbolId(), c.minuteIdx()), c.expectedVersion())));
        }
        return out;
    }

    AggressorPayload classify(int s, int m) {
        TradeRow row = ctx.trade().getTradeRow(s, m);
        List<TradeTick> trades = Inputs.trades(ctx, row.tradeRef());
        List<QuoteTick> quotes = new ArrayList<>();
        double prevPrice = Double.NaN;
        int prevTick = 0;
        if (m > ctx.session().firstMinuteIdx()) {
            TradeRow before = ctx.trade().getTradeRow(s, m - 1);
            List<QuoteTick> q = Inputs.quotes(ctx, before.quoteRef());
            if (!q.isEmpty()) quotes.add(q.getLast());
            List<TradeTick> t = Inputs.trades(ctx, before.tradeRef());
            if (!t.isEmpty()) {
                prevPrice = t.getLast().price();
                for (int i = t.size() - 1; i > 0 && prevTick == 0; i--) prevTick = Double.compare(t.get(i).price(), t.get(i - 1).price());
            }
        }
        quotes.addAll(Inputs.quotes(ctx, row.quoteRef()));
        return AggressorClassifier.classify(trades, quotes, stalenessNs, prevPrice, prevTick).summary();
    }
}
