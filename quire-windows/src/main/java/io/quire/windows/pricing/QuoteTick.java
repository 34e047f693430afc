package io.quire.windows.pricing;

/** One NBBO update: bid and ask prices and sizes at {@code tsNs} (epoch nanoseconds). A price ≤ 0 means that side is absent. */
public record QuoteTick(long tsNs, double bid, double ask, double bidSize, double askSize) {}
