package io.quire.windows.engines;

import io.quire.windows.mapping.RfRatePayload;
import io.quire.windows.pricing.GreeksCalculator;
import io.quire.windows.pricing.QuoteTick;
import io.quire.windows.pricing.RateCurve;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.treasury.GreeksRecompute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Greeks: for each option window, Black-Scholes with implied volatility
 * ({@link GreeksCalculator}) priced at the end of the minute from the option's NBBO mid, the
 * underlying's NBBO mid as spot (each the last quote at or before the minute's end, looked up
 * back to the session open, its age feeding the staleness guard), and the rate of the row's
 * {@code rf_rate_ref} curve. Prerequisites on the row: {@code rf_rate_ref} Filled and
 * {@code quote_ref} of the option and of its underlying Filled for every minute through this one.
 *
 * <p>{@code greeks_ref.version} is set to the {@code rf_rate_ref.version} the rate came from, so
 * {@link GreeksRecompute#needsGreeksRecompute} is exactly the rerun rule: when a treasury revision
 * bumps the rf slot's version, the window is planned again and rewritten with a CAS on the Greeks
 * slot's version (a Filled slot is not marked Pending: that would hide a durable payload).
 */
public final class GreeksEngine extends WindowEngine {
    /** Default staleness of a quote at the pricing instant (the PipelineBlocksTest choice: a minute). */
    public static final long STALENESS_NS_DEFAULT = 60_000_000_000L;

    private static final List<SlotKind> COLUMN = List.of(SlotKind.GREEKS_REF);
    private final double dividendYield;
    private final long stalenessNs;
    private final Map<Long, RateCurve> curves = new HashMap<>();
    private int[] quoteWm;
    private final List<Universe.Member> options;

    public GreeksEngine(EngineContext ctx, int batch, double dividendYield, long stalenessNs) {
        super(ctx, "greeks", SlotKind.GREEKS_REF, batch);
        this.dividendYield = dividendYield;
        this.stalenessNs = stalenessNs;
        this.options = ctx.universe().members().stream().filter(Universe.Member::isOption).toList();
    }

    @Override protected List<Universe.Member> members() { return options; }

    @Override
    protected void prepareScan() { quoteWm = Inputs.filledThrough(ctx, SlotKind.QUOTE_REF); }

    @Override
    protected List<SlotKind> plan(int s, int m) {
        Universe.Member u = ctx.universe().byId(s);
        if (u == null || !u.isOption()) return List.of();
        SlotView rf = ctx.trade().read(SlotKind.RF_RATE_REF, s, m);
        SlotView g = ctx.enrichment().read(SlotKind.GREEKS_REF, s, m);
        if (g.status() == SlotStatus.FILLED && !(rf.status() == SlotStatus.FILLED && GreeksRecompute.needsGreeksRecompute(rf.version(), g.version()))) return List.of();
        if (rf.status() != SlotStatus.FILLED) return null;
        return quoteWm[s] > m && quoteWm[u.underlyingId()] > m ? COLUMN : null;
    }

    @Override
    protected List<Write> compute(List<Claim> claims) {
        List<Write> out = new ArrayList<>(claims.size());
        for (Claim c : claims) {
            Universe.Member u = ctx.universe().byId(c.symbolId());
            int m = c.minuteIdx();
            SlotView rf = ctx.trade().read(SlotKind.RF_RATE_REF, c.symbolId(), m);
            if (rf.status() != SlotStatus.FILLED) continue;
            long now = ctx.minuteStartNs(m) + 60_000_000_000L - 1;
            QuoteTick opt = lastQuote(c.symbolId(), m), under = lastQuote(u.underlyingId(), m);
            var res = GreeksCalculator.compute(u.option().type(), u.option().strike(), GreeksCalculator.yearsToExpiry(now, u.option().expiry()),
                    snapshot(opt, now), snapshot(under, now), curve(rf), dividendYield, stalenessNs);
            var payload = res.toPayload(rf.version());
            if (payload.isEmpty()) continue; // no spot or rate to record: the claim is released, retried on a later scan
            if (!c.pending()) stats().recomputed.incrementAndGet();
            out.add(new Write(c, payload.get(), rf.version()));
        }
        return out;
    }

    private RateCurve curve(SlotView rf) {
        return curves.computeIfAbsent(rf.payloadId(), id -> RateCurve.of((RfRatePayload) ctx.maps().dereference(rf.meta())));
    }

    private static GreeksCalculator.QuoteSnapshot snapshot(QuoteTick q, long now) {
        return q == null ? new GreeksCalculator.QuoteSnapshot(0, 0, 0) : new GreeksCalculator.QuoteSnapshot(q.bid(), q.ask(), now - q.tsNs());
    }

    /** The last quote at or before the end of minute {@code m}, looking back to the session open; null if none. */
    private QuoteTick lastQuote(int s, int m) {
        for (int k = m; k >= ctx.session().firstMinuteIdx(); k--) {
            SlotView q = ctx.trade().read(SlotKind.QUOTE_REF, s, k);
            if (q.status() != SlotStatus.FILLED) return null;
            List<QuoteTick> rows = Inputs.quotes(ctx, q);
            if (!rows.isEmpty()) return rows.getLast();
        }
        return null;
    }
}
