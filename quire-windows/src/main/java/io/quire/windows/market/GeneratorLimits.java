package io.quire.windows.market;

import io.quire.windows.symbols.SymbolLimits;

/** Bounds of a {@link GeneratorSpec}, named with their units. */
public final class GeneratorLimits {
    private GeneratorLimits() {}

    /** Stocks per generated day. */
    public static final int STOCKS_MAX = 2_000;
    /** Option expiries per stock. */
    public static final int EXPIRIES_MAX = 12;
    /** Strikes on each side of the at-the-money strike, per expiry. */
    public static final int STRIKES_PER_SIDE_MAX = 50;
    /** Mean events of one kind per symbol per minute. */
    public static final double EVENTS_PER_MINUTE_MAX = 5_000;
    /** Stocks plus option contracts: everything must fit one year's symbol map. */
    public static final int SYMBOLS_MAX = SymbolLimits.SYMBOLS_PER_YEAR_MAX;
    /** Days of treasury curves written (the day itself and the weekdays before it). */
    public static final int TREASURY_DAYS = 10;
}
