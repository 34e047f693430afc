package io.quire.windows.mapping;

import io.quire.windows.slots.AggWindow;
import io.quire.windows.slots.PayloadType;

import java.util.Objects;

/**
 * OHLCV of one symbol over one aggregate window (1m … 4h) anchored to its source minute. Owner of
 * the bytes: {@link AggregatePayloadCodec}.
 *
 * @param window       which aggregate (the enrichment slot it belongs in)
 * @param startTsNs    start of the window, epoch nanoseconds
 * @param open         first trade price, finite
 * @param high         highest price, ≥ open, close, low and vwap
 * @param low          lowest price, ≤ open, close and vwap
 * @param close        last trade price, finite
 * @param volume       shares (contracts), ≥ 0
 * @param tradeCount   trades, ≥ 1 (a window without trades has no aggregate)
 * @param vwap         volume-weighted average price, within [low, high]
 */
public record AggregatePayload(AggWindow window, long startTsNs, double open, double high, double low, double close, long volume,
                               long tradeCount, double vwap) implements PayloadRecord {
    public AggregatePayload {
        Objects.requireNonNull(window, "window");
        Codec.finite(open, false, "open");
        Codec.finite(high, false, "high");
        Codec.finite(low, false, "low");
        Codec.finite(close, false, "close");
        Codec.finite(vwap, false, "vwap");
        Codec.require(volume >= 0, "volume " + volume + " is negative");
        Codec.require(tradeCount >= 1, "trade count " + tradeCount + " must be ≥ 1");
        Codec.require(low <= Math.min(open, close) && high >= Math.max(open, close) && low <= vwap && vwap <= high,
                "prices are inconsistent: open " + open + " high " + high + " low " + low + " close " + close + " vwap " + vwap);
    }

    @Override public PayloadType type() { return PayloadType.AGGREGATE; }
}
