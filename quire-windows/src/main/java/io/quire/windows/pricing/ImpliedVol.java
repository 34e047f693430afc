package io.quire.windows.pricing;

import io.quire.core.QuireException;

/**
 * Implied volatility: Newton's method on σ from a start near the Brenner-Subrahmanyam / at-the-
 * money guess, falling back to bisection on [{@link PricingLimits#IV_MIN}, {@link PricingLimits#IV_MAX}]
 * when Newton leaves the range, meets a vanishing vega, or does not reach
 * {@link PricingLimits#IV_PRICE_TOLERANCE} within {@link PricingLimits#IV_NEWTON_ITERATIONS_MAX}
 * steps. Every loop is bounded. The answer is a value: {@link Result.Solved} or
 * {@link Result.Failed} with a reason, never an exception for a market price that has no IV.
 */
public final class ImpliedVol {
    private ImpliedVol() {}

    /** Why no implied volatility exists or was found. */
    public enum Failure {
        /** The price is below the no-arbitrage lower bound (intrinsic value of the forward). */
        BELOW_INTRINSIC,
        /** The price is at or above the no-arbitrage upper bound. */
        ABOVE_UPPER_BOUND,
        /** The price needs a volatility outside [IV_MIN, IV_MAX]. */
        OUT_OF_RANGE,
        /** Neither Newton nor bisection met the tolerance within their iteration limits. */
        NO_CONVERGENCE
    }

    /** How a solved IV was found. */
    public enum Method { NEWTON, BISECTION }

    public sealed interface Result permits Result.Solved, Result.Failed {
        /** @param iterations Newton steps plus bisection halvings */
        record Solved(double sigma, Method method, int iterations) implements Result {}

        record Failed(Failure reason, String detail) implements Result {}
    }

    /**
     * The σ at which {@link BlackScholes#price} equals {@code price}. Inputs as in
     * {@link BlackScholes}; a price that is not finite or is negative is INVALID_INPUT.
     */
    public static Result solve(OptionType type, double price, double s, double k, double t, double r, double q) {
        return solve(type, price, s, k, t, r, q, PricingLimits.IV_NEWTON_ITERATIONS_MAX);
    }

    /** As {@link #solve}, with at most {@code newtonMax} Newton steps (tests force the bisection path with 0). */
    static Result solve(OptionType type, double price, double s, double k, double t, double r, double q, int newtonMax) {
        BlackScholes.check(s, k, t, r, q, 0.2);
        if (!Double.isFinite(price) || price < 0) throw QuireException.invalid("option price " + price + " must be finite and ≥ 0");
        double tol = PricingLimits.IV_PRICE_TOLERANCE;
        double lower = BlackScholes.lowerBound(type, s, k, t, r, q);
        double upper = BlackScholes.upperBound(type, s, k, t, r, q);
        if (price < lower - tol) return new Result.Failed(Failure.BELOW_INTRINSIC, "price " + price + " < lower bound " + lower);
        if (price >= upper) return new Result.Failed(Failure.ABOVE_UPPER_BOUND, "price " + price + " ≥ upper bound " + upper);
        double pMin = BlackScholes.price(type, s, k, t, r, q, PricingLimits.IV_MIN);
        double pMax = BlackScholes.price(type, s, k, t, r, q, PricingLimits.IV_MAX);
        if (price < pMin - tol || price > pMax + tol) {
            return new Result.Failed(Failure.OUT_OF_RANGE, "price " + price + " is outside [" + pMin + ", " + pMax + "], the prices of σ in ["
                    + PricingLimits.IV_MIN + ", " + PricingLimits.IV_MAX + "]");
        }
        if (Math.abs(price - pMin) <= tol) return new Result.Solved(PricingLimits.IV_MIN, Method.BISECTION, 0);

        // Newton from the at-the-money approximation σ ≈ √(2π/T)·C/S, or a log-moneyness guess, clipped into range.
        double sigma = Math.sqrt(2 * Math.abs(Math.log(s * Math.exp((r - q) * t) / k)) / t);
        sigma = Math.max(sigma, Math.sqrt(2 * Math.PI / t) * price / s);
        sigma = Math.min(Math.max(sigma, 0.05), 3.0);
        int n = 0;
        while (n < newtonMax) {
            n++;
            double diff = BlackScholes.price(type, s, k, t, r, q, sigma) - price;
            if (Math.abs(diff) <= tol) return new Result.Solved(sigma, Method.NEWTON, n);
            double vega = BlackScholes.vega(s, k, t, r, q, sigma);
            if (vega < PricingLimits.IV_VEGA_MIN) break;
            double next = sigma - diff / vega;
            if (!(next >= PricingLimits.IV_MIN && next <= PricingLimits.IV_MAX)) break;
            sigma = next;
        }
        // Bisection: the price is increasing in σ and lies within [pMin, pMax] (checked above).
        double lo = PricingLimits.IV_MIN, hi = PricingLimits.IV_MAX;
        for (int i = 0; i < PricingLimits.IV_BISECTION_ITERATIONS_MAX; i++) {
            double mid = 0.5 * (lo + hi);
            double diff = BlackScholes.price(type, s, k, t, r, q, mid) - price;
            if (Math.abs(diff) <= tol) return new Result.Solved(mid, Method.BISECTION, n + i + 1);
            if (diff < 0) lo = mid; else hi = mid;
            if (hi - lo <= Math.ulp(mid)) break;
        }
        return new Result.Failed(Failure.NO_CONVERGENCE, "no σ reprices " + price + " within " + tol + " after "
                + PricingLimits.IV_NEWTON_ITERATIONS_MAX + " Newton steps and " + PricingLimits.IV_BISECTION_ITERATIONS_MAX + " halvings");
    }
}
