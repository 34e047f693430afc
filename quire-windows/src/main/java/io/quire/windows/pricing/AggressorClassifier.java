package io.quire.windows.pricing;

import io.quire.core.QuireException;
import io.quire.windows.mapping.AggressorPayload;

import java.util.ArrayList;
import java.util.List;

/**
 * Buyer- or seller-initiated, per trade (Lee and Ready, 1991, with the quote at or before the
 * trade rather than a delayed one, as SIP timestamps allow):
 *
 * <ol>
 *   <li>The quote is the last NBBO with {@code quote.ts ≤ trade.ts}. It is <b>missing</b> when
 *       there is none or a side is absent (price ≤ 0), <b>stale</b> when
 *       {@code trade.ts − quote.ts > stalenessNs}, <b>crossed</b> when bid &gt; ask, <b>locked</b>
 *       when bid = ask.</li>
 *   <li>Quote rule on a usable quote (not missing, stale or crossed): at or above the ask → buy,
 *       at or below the bid → sell (confidence 1; a print beyond the NBBO is flagged outside);
 *       strictly inside, by distance to the mid: above → buy, below → sell, with confidence
 *       {@code 0.5 + 0.5·|p − mid| / half-spread}. On a locked quote a print at the locked price
 *       says nothing and goes to the tick rule.</li>
 *   <li>Tick rule otherwise (at the mid, or no usable quote): above the previous different price →
 *       buy, below → sell (confidence {@link #TICK_CONFIDENCE}); equal to the previous price → the
 *       direction of the last change (zero-uptick buy, zero-downtick sell; confidence
 *       {@link #ZERO_TICK_CONFIDENCE}); no earlier price with a change → unknown.</li>
 * </ol>
 *
 * Trades and quotes must each be in timestamp order (INVALID_INPUT otherwise). The tick rule
 * sees every earlier trade of the batch plus an optional price before it (the last trade of the
 * previous minute), so classification does not depend on how trades were batched.
 */
public final class AggressorClassifier {
    private AggressorClassifier() {}

    /** Confidence of a tick-rule decision on an uptick or downtick. */
    public static final double TICK_CONFIDENCE = 0.6;
    /** Confidence of a tick-rule decision on a zero tick (the last change carried forward). */
    public static final double ZERO_TICK_CONFIDENCE = 0.5;

    public enum Side { BUY, SELL, UNKNOWN }

    /** What decided: the quote rule, the tick rule, or nothing (unknown). */
    public enum Rule { QUOTE, TICK, NONE }

    /** The state of the quote at or before the trade. */
    public enum QuoteState { OK, LOCKED, CROSSED, STALE, MISSING }

    /**
     * @param quoteIndex index of the quote at or before the trade in the input list, −1 when none
     * @param outsideNbbo the price was above the ask or below the bid of a usable quote
     */
    public record Classification(Side side, Rule rule, double confidence, QuoteState quote, boolean outsideNbbo, int quoteIndex) {}

    /** Per-trade classifications (input order) and their summary as the {@code aggressor_ref} payload. */
    public record Result(List<Classification> trades, AggressorPayload summary) {}

    /**
     * @param previousPrice the last trade price before {@code trades} (NaN when unknown), and
     *                      {@code previousTick} the sign of the last price change before them
     *                      (−1, 0, +1); both only feed the tick rule
     */
    public static Result classify(List<TradeTick> trades, List<QuoteTick> quotes, long stalenessNs, double previousPrice, int previousTick) {
        if (stalenessNs < 0 || stalenessNs > PricingLimits.QUOTE_STALENESS_NS_MAX) {
            throw QuireException.invalid("staleness " + stalenessNs + " ns is outside 0.." + PricingLimits.QUOTE_STALENESS_NS_MAX + " (QUOTE_STALENESS_NS_MAX)");
        }
        checkOrder(trades.stream().mapToLong(TradeTick::tsNs).toArray(), "trades");
        checkOrder(quotes.stream().mapToLong(QuoteTick::tsNs).toArray(), "quotes");
        List<Classification> out = new ArrayList<>(trades.size());
        long buyN = 0, sellN = 0, unkN = 0, quoteN = 0, tickN = 0;
        double buyV = 0, sellV = 0, unkV = 0, confSum = 0;
        int flags = 0;
        double prev = previousPrice;
        int tick = Integer.signum(previousTick);
        int qi = -1;
        for (TradeTick t : trades) {
            if (!Double.isFinite(t.price()) || !(t.price() > 0) || !Double.isFinite(t.size()) || t.size() < 0) {
                throw QuireException.invalid("trade at " + t.tsNs() + " has price " + t.price() + " and size " + t.size() + "; price must be > 0, size ≥ 0");
            }
            while (qi + 1 < quotes.size() && quotes.get(qi + 1).tsNs() <= t.tsNs()) qi++;
            QuoteTick q = qi >= 0 ? quotes.get(qi) : null;
            QuoteState state = state(q, t.tsNs(), stalenessNs);
            double p = t.price();
            // Tick direction against the previous different price.
            if (!Double.isNaN(prev) && p != prev) tick = p > prev ? 1 : -1;
            boolean zeroTick = !Double.isNaN(prev) && p == prev;
            prev = p;

            Classification c = null;
            boolean outside = false;
            if (state == QuoteState.OK || state == QuoteState.LOCKED) {
                double bid = q.bid(), ask = q.ask();
                outside = p > ask || p < bid;
                if (state == QuoteState.LOCKED) {
                    if (p > ask) c = new Classification(Side.BUY, Rule.QUOTE, 1.0, state, true, qi);
                    else if (p < bid) c = new Classification(Side.SELL, Rule.QUOTE, 1.0, state, true, qi);
                } else if (p >= ask) {
                    c = new Classification(Side.BUY, Rule.QUOTE, 1.0, state, outside, qi);
                } else if (p <= bid) {
                    c = new Classification(Side.SELL, Rule.QUOTE, 1.0, state, outside, qi);
                } else {
                    double mid = 0.5 * (bid + ask), half = 0.5 * (ask - bid);
                    double conf = Math.min(1.0, 0.5 + 0.5 * Math.abs(p - mid) / half);
                    if (p > mid) c = new Classification(Side.BUY, Rule.QUOTE, conf, state, false, qi);
                    else if (p < mid) c = new Classification(Side.SELL, Rule.QUOTE, conf, state, false, qi);
                }
            }
            if (c == null) {
                if (tick == 0) c = new Classification(Side.UNKNOWN, Rule.NONE, 0.0, state, outside, qi);
                else c = new Classification(tick > 0 ? Side.BUY : Side.SELL, Rule.TICK, zeroTick ? ZERO_TICK_CONFIDENCE : TICK_CONFIDENCE, state, outside, qi);
            }
            out.add(c);
            switch (c.side()) {
                case BUY -> { buyN++; buyV += t.size(); }
                case SELL -> { sellN++; sellV += t.size(); }
                case UNKNOWN -> { unkN++; unkV += t.size(); }
            }
            if (c.rule() == Rule.QUOTE) quoteN++;
            if (c.rule() == Rule.TICK) tickN++;
            if (c.side() != Side.UNKNOWN) confSum += c.confidence();
            if (state == QuoteState.MISSING || state == QuoteState.STALE) flags |= AggressorPayload.FLAG_MISSING_QUOTES;
            if (state == QuoteState.CROSSED || state == QuoteState.LOCKED) flags |= AggressorPayload.FLAG_CROSSED_QUOTES;
            if (c.outsideNbbo()) flags |= AggressorPayload.FLAG_OUTSIDE_NBBO;
        }
        long classified = buyN + sellN;
        double mean = classified == 0 ? Double.NaN : Math.min(1.0, confSum / classified);
        AggressorPayload summary = new AggressorPayload(buyN, sellN, unkN, Math.round(buyV), Math.round(sellV), Math.round(unkV), quoteN, tickN, mean, flags);
        return new Result(List.copyOf(out), summary);
    }

    /** The state of quote {@code q} for a trade at {@code tsNs}. */
    public static QuoteState state(QuoteTick q, long tsNs, long stalenessNs) {
        if (q == null || !(q.bid() > 0) || !(q.ask() > 0) || !Double.isFinite(q.bid()) || !Double.isFinite(q.ask())) return QuoteState.MISSING;
        if (tsNs - q.tsNs() > stalenessNs) return QuoteState.STALE;
        if (q.bid() > q.ask()) return QuoteState.CROSSED;
        if (q.bid() == q.ask()) return QuoteState.LOCKED;
        return QuoteState.OK;
    }

    private static void checkOrder(long[] ts, String what) {
        for (int i = 1; i < ts.length; i++) {
            if (ts[i] < ts[i - 1]) throw QuireException.invalid(what + " are not in timestamp order at index " + i + ": " + ts[i] + " < " + ts[i - 1]);
        }
    }
}
