package io.quire.windows.pricing;

/**
 * Every bound of the pricing code, named with its unit. The relations between them are checked
 * once, when the class loads.
 */
public final class PricingLimits {
    private PricingLimits() {}

    /** Lowest volatility implied volatility searches (annualized, 0.01 %). */
    public static final double IV_MIN = 1e-4;
    /** Highest volatility implied volatility searches (annualized, 1,000 %). */
    public static final double IV_MAX = 10.0;
    /** Newton steps before falling back to bisection. */
    public static final int IV_NEWTON_ITERATIONS_MAX = 50;
    /** Bisection halvings: (IV_MAX − IV_MIN) / 2^100 is far below any double spacing. */
    public static final int IV_BISECTION_ITERATIONS_MAX = 100;
    /** A solved IV reprices within this absolute tolerance, in price units (dollars per share). */
    public static final double IV_PRICE_TOLERANCE = 1e-9;
    /** Newton is abandoned when vega (per 1.0 of volatility) falls below this. */
    public static final double IV_VEGA_MIN = 1e-12;

    /** Shortest time to expiry priced, in years (one minute of a 365-day year). Below it: expired. */
    public static final double EXPIRY_YEARS_MIN = 1.0 / (365.0 * 24 * 60);

    /** Default age after which a quote is stale for the classifier, in nanoseconds (5 s). */
    public static final long QUOTE_STALENESS_NS_DEFAULT = 5_000_000_000L;
    /** Largest staleness limit accepted, in nanoseconds (one day). */
    public static final long QUOTE_STALENESS_NS_MAX = 86_400_000_000_000L;

    static {
        if (!(IV_MIN > 0 && IV_MIN < IV_MAX)) throw new ExceptionInInitializerError("IV_MIN must be in (0, IV_MAX)");
        if ((IV_MAX - IV_MIN) / Math.pow(2, IV_BISECTION_ITERATIONS_MAX) > Math.ulp(IV_MIN)) {
            throw new ExceptionInInitializerError("IV_BISECTION_ITERATIONS_MAX too small to reach double precision");
        }
        if (QUOTE_STALENESS_NS_DEFAULT > QUOTE_STALENESS_NS_MAX) throw new ExceptionInInitializerError("staleness default above max");
    }
}
