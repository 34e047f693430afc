package io.quire.windows.pricing;

import io.quire.windows.mapping.AggregatePayload;
import io.quire.windows.slots.AggWindow;

/**
 * OHLCV of the trades of one window. Volume stays a double here (sizes may be fractional); the
 * {@code aggs_*} payload stores whole shares, so {@link #toPayload} rounds it half up.
 *
 * @param startTsNs first instant of the window (its first minute's start), epoch ns
 * @param firstMinuteIdx, lastMinuteIdx the window's minutes (inclusive)
 */
public record Bar(AggWindow window, long startTsNs, int firstMinuteIdx, int lastMinuteIdx, double open, double high, double low,
                  double close, double volume, long tradeCount, double vwap) {

    /**
     * The enrichment payload. VWAP is clamped into [low, high]: it is mathematically inside, and
     * the clamp only removes a last-bit rounding excess the payload would refuse.
     */
    public AggregatePayload toPayload() {
        double v = Math.min(high, Math.max(low, vwap));
        return new AggregatePayload(window, startTsNs, open, high, low, close, Math.round(volume), tradeCount, v);
    }
}
