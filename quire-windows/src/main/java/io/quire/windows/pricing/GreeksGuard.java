package io.quire.windows.pricing;

import io.quire.windows.mapping.GreeksPayload;

/**
 * The guard bits of a Greeks computation: each guard has its own bit, so a flags word says every
 * reason at once. The first four are the {@link GreeksPayload} {@code FLAG_*} values (same bits,
 * same meaning); the rest extend that bitset (the payload keeps unknown bits as they are).
 *
 * <p>Two kinds: <b>blocking</b> guards (IV failure, below intrinsic, expired, crossed) leave IV
 * and the Greeks NaN; <b>warning</b> guards (stale, locked, rate extrapolated) keep the computed
 * values and say they deserve less trust.
 */
public final class GreeksGuard {
    private GreeksGuard() {}

    /** Blocking: no implied volatility (did not converge, or out of range). */
    public static final int IV_FAILURE = GreeksPayload.FLAG_IV_NO_CONVERGENCE;          // 1
    /** Blocking: option mid below the no-arbitrage lower bound. */
    public static final int BELOW_INTRINSIC = GreeksPayload.FLAG_BELOW_INTRINSIC;       // 2
    /** Blocking: expires within {@link PricingLimits#EXPIRY_YEARS_MIN} or already expired. */
    public static final int EXPIRED = GreeksPayload.FLAG_EXPIRED;                       // 4
    /** Warning: the option or underlying quote is older than the staleness limit. */
    public static final int STALE = GreeksPayload.FLAG_STALE_INPUT;                     // 8
    /** Warning: the option or underlying quote is locked (bid = ask). */
    public static final int LOCKED = 1 << 4;                                            // 16
    /** Blocking: the option or underlying quote is crossed (bid > ask); no meaningful mid. */
    public static final int CROSSED = 1 << 5;                                           // 32
    /** Warning: the rate came from outside the published tenors (held flat). */
    public static final int RATE_EXTRAPOLATED = 1 << 6;                                 // 64
    /** Blocking: no option or no underlying quote at all, or a side of one is absent (price ≤ 0). */
    public static final int MISSING_QUOTE = 1 << 7;                                     // 128
    /** Blocking: no rate curve for the window (no {@code rf_rate_ref}). */
    public static final int MISSING_RATE = 1 << 8;                                      // 256

    /** Every bit a guard may set. */
    public static final int ALL = IV_FAILURE | BELOW_INTRINSIC | EXPIRED | STALE | LOCKED | CROSSED | RATE_EXTRAPOLATED | MISSING_QUOTE | MISSING_RATE;
    /** The bits that leave IV and the Greeks NaN. */
    public static final int BLOCKING = IV_FAILURE | BELOW_INTRINSIC | EXPIRED | CROSSED | MISSING_QUOTE | MISSING_RATE;

    static {
        int[] bits = {IV_FAILURE, BELOW_INTRINSIC, EXPIRED, STALE, LOCKED, CROSSED, RATE_EXTRAPOLATED, MISSING_QUOTE, MISSING_RATE};
        int seen = 0;
        for (int b : bits) {
            if (Integer.bitCount(b) != 1 || (seen & b) != 0) throw new ExceptionInInitializerError("guard bits must be distinct single bits");
            seen |= b;
        }
    }

    /** The names of the bits set in {@code flags}, for messages and the CLI. */
    public static String describe(int flags) {
        StringBuilder b = new StringBuilder();
        String[] names = {"iv_failure", "below_intrinsic", "expired", "stale", "locked", "crossed", "rate_extrapolated", "missing_quote", "missing_rate"};
        for (int i = 0; i < names.length; i++) if ((flags & (1 << i)) != 0) b.append(b.isEmpty() ? "" : ",").append(names[i]);
        int unknown = flags & ~ALL;
        if (unknown != 0) b.append(b.isEmpty() ? "" : ",").append("0x").append(Integer.toHexString(unknown));
        return b.toString();
    }
}
