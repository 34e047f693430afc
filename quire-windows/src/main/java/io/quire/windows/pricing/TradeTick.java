package io.quire.windows.pricing;

/** One trade print at {@code tsNs} (epoch nanoseconds); the size may be fractional. */
public record TradeTick(long tsNs, double price, double size) {}
