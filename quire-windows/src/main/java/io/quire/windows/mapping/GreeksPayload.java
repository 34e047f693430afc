package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

/**
 * Black-Scholes Greeks of one option symbol × minute. A value that could not be computed (for
 * example an implied volatility that did not converge) is NaN with a flag saying why — never a
 * made-up 0. Owner of the bytes: {@link GreeksPayloadCodec}.
 *
 * @param delta        finite or NaN
 * @param gamma        finite or NaN
 * @param vega         finite or NaN
 * @param theta        finite or NaN
 * @param iv           implied volatility, finite ≥ 0 or NaN
 * @param flags        a bitset of {@code FLAG_*}; unknown bits are kept as they are
 * @param spot         the underlying price used, finite > 0
 * @param rate         the risk-free rate used (percent), finite
 * @param rfRateVersion the {@code rf_rate_ref} version the rate came from, u32; Greeks are rerun
 *                     when it differs from the row's rf_rate_ref version
 */
public record GreeksPayload(double delta, double gamma, double vega, double theta, double iv, int flags, double spot, double rate,
                            long rfRateVersion) implements PayloadRecord {

    /** Implied volatility did not converge; iv and the Greeks are NaN. */
    public static final int FLAG_IV_NO_CONVERGENCE = 1;
    /** The option price was below intrinsic value. */
    public static final int FLAG_BELOW_INTRINSIC = 1 << 1;
    /** The option has expired or expires within the minute. */
    public static final int FLAG_EXPIRED = 1 << 2;
    /** The spot or option quote was stale (older than the minute). */
    public static final int FLAG_STALE_INPUT = 1 << 3;

    public GreeksPayload {
        Codec.finite(delta, true, "delta");
        Codec.finite(gamma, true, "gamma");
        Codec.finite(vega, true, "vega");
        Codec.finite(theta, true, "theta");
        Codec.finite(iv, true, "iv");
        Codec.require(Double.isNaN(iv) || iv >= 0, "iv " + iv + " is negative");
        Codec.finite(spot, false, "spot");
        Codec.require(spot > 0, "spot " + spot + " must be > 0");
        Codec.finite(rate, false, "rate");
        Codec.require(rfRateVersion >= 0 && rfRateVersion <= 0xFFFF_FFFFL, "rf_rate_version " + rfRateVersion + " out of range 0..4294967295");
    }

    @Override public PayloadType type() { return PayloadType.GREEKS; }
}
