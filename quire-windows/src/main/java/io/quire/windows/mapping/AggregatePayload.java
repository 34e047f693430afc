package io.quire.windows.mapping;

import io.quire.windows.slots.AggWindow;
import io.quire.windows.slots.PayloadType;

import java.util.Objects;

/**
 * OHLCV of one symbol over one aggregate window (1m … 4h) anchored to its source minute. Owner of
 * the bytes: {@link AggregatePayloadCodec}.
 *
 * <p>A window without trades has an aggregate too ({@link #noTrades}): trade count 0, volume 0
 * and every price NaN, so "no trades in this window" differs from "not aggregated yet" (an Empty
 * slot), as the ingest and aggressor payloads of zero rows do.
 *
 * @param window       which aggregate (the enrichment slot it belongs in)
 * @param startTsNs    start of the window, epoch nanoseconds
 * @param open         first trade price, finite (NaN when there are no trades)
 * @param high         highest price, ≥ open, close, low and vwap (NaN when there are no trades)
 * @param low          lowest price, ≤ open, close and vwap (NaN when there are no trades)
 * @param close        last trade price, finite (NaN when there are no trades)
 * @param volume       shares (contracts), ≥ 0 (0 when there are no trades)
 * @param tradeCount   trades, ≥ 0
 * @param vwap         volume-weighted average price, within [low, high] (NaN when there are no trades)
 */
public record AggregatePayload(AggWindow window, long startTsNs, double open, double high, double low, double close, long volume,
                               long tradeCount, double vwap) implements PayloadRecord {
    public AggregatePayload {
        Objects.requireNonNull(window, "window");
        Codec.require(tradeCount >= 0, "trade count " + tradeCount + " is negative");
        Codec.require(volume >= 0, "volume " + volume + " is negative");
        if (tradeCount == 0) {
            // No trades: nothing to price. NaN, never 0, so no reader mistakes it for a price.
            Codec.require(volume == 0, "volume " + volume + " without trades");
            Codec.require(Double.isNaN(open) && Double.isNaN(high) && Double.isNaN(low) && Double.isNaN(close) && Double.isNaN(vwap),
                    "a window without trades has NaN prices, got open " + open + " high " + high + " low " + low + " close " + close + " vwap " + vwap);
        } else {
            Codec.finite(open, false, "open");
            Codec.finite(high, false, "high");
            Codec.finite(low, false, "low");
            Codec.finite(close, false, "close");
            Codec.finite(vwap, false, "vwap");
            Codec.require(low <= Math.min(open, close) && high >= Math.max(open, close) && low <= vwap && vwap <= high,
                    "prices are inconsistent: open " + open + " high " + high + " low " + low + " close " + close + " vwap " + vwap);
        }
    }

    /** The aggregate of a window without trades. */
    public static AggregatePayload noTrades(AggWindow window, long startTsNs) {
        return new AggregatePayload(window, startTsNs, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, Double.NaN);
    }

    @Override public PayloadType type() { return PayloadType.AGGREGATE; }
}
