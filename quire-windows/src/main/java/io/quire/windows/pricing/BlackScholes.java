package io.quire.windows.pricing;

import io.quire.core.QuireException;

/**
 * Black-Scholes-Merton for European options with a continuous dividend yield (Hull, "Options,
 * Futures, and Other Derivatives", ch. 15 and 17):
 *
 * <pre>
 * d1 = (ln(S/K) + (r − q + σ²/2)·T) / (σ·√T),  d2 = d1 − σ·√T
 * call = S·e^(−qT)·N(d1) − K·e^(−rT)·N(d2)
 * put  = K·e^(−rT)·N(−d2) − S·e^(−qT)·N(−d1)
 * delta: call e^(−qT)·N(d1), put e^(−qT)·(N(d1) − 1)
 * gamma = e^(−qT)·φ(d1) / (S·σ·√T)        vega = S·e^(−qT)·φ(d1)·√T
 * theta call = −S·e^(−qT)·φ(d1)·σ/(2√T) − r·K·e^(−rT)·N(d2) + q·S·e^(−qT)·N(d1)
 * theta put  = −S·e^(−qT)·φ(d1)·σ/(2√T) + r·K·e^(−rT)·N(−d2) − q·S·e^(−qT)·N(−d1)
 * </pre>
 *
 * Inputs: spot S and strike K > 0, T in years > 0, r and q continuously compounded decimals
 * (0.05 = 5 %), σ annualized decimal > 0. Bad inputs are INVALID_INPUT, never a NaN result.
 */
public final class BlackScholes {
    private BlackScholes() {}

    /** The price alone (the IV solver's inner loop). */
    public static double price(OptionType type, double s, double k, double t, double r, double q, double sigma) {
        check(s, k, t, r, q, sigma);
        double sqrtT = Math.sqrt(t);
        double d1 = (Math.log(s / k) + (r - q + 0.5 * sigma * sigma) * t) / (sigma * sqrtT);
        double d2 = d1 - sigma * sqrtT;
        double fs = s * Math.exp(-q * t);
        double fk = k * Math.exp(-r * t);
        return type == OptionType.CALL ? fs * Normal.cdf(d1) - fk * Normal.cdf(d2) : fk * Normal.cdf(-d2) - fs * Normal.cdf(-d1);
    }

    /** Vega per 1.0 of volatility. */
    public static double vega(double s, double k, double t, double r, double q, double sigma) {
        check(s, k, t, r, q, sigma);
        double sqrtT = Math.sqrt(t);
        double d1 = (Math.log(s / k) + (r - q + 0.5 * sigma * sigma) * t) / (sigma * sqrtT);
        return s * Math.exp(-q * t) * Normal.pdf(d1) * sqrtT;
    }

    /** Price, delta, gamma, vega and theta together. */
    public static Greeks greeks(OptionType type, double s, double k, double t, double r, double q, double sigma) {
        check(s, k, t, r, q, sigma);
        double sqrtT = Math.sqrt(t);
        double d1 = (Math.log(s / k) + (r - q + 0.5 * sigma * sigma) * t) / (sigma * sqrtT);
        double d2 = d1 - sigma * sqrtT;
        double dq = Math.exp(-q * t);
        double dr = Math.exp(-r * t);
        double pdf = Normal.pdf(d1);
        double gamma = dq * pdf / (s * sigma * sqrtT);
        double vega = s * dq * pdf * sqrtT;
        double decay = -s * dq * pdf * sigma / (2 * sqrtT);
        if (type == OptionType.CALL) {
            double nd1 = Normal.cdf(d1), nd2 = Normal.cdf(d2);
            return new Greeks(s * dq * nd1 - k * dr * nd2, dq * nd1, gamma, vega, decay - r * k * dr * nd2 + q * s * dq * nd1);
        }
        double nmd1 = Normal.cdf(-d1), nmd2 = Normal.cdf(-d2);
        return new Greeks(k * dr * nmd2 - s * dq * nmd1, -dq * nmd1, gamma, vega, decay + r * k * dr * nmd2 - q * s * dq * nmd1);
    }

    /** The no-arbitrage lower bound of a European option: max(0, ±(S·e^(−qT) − K·e^(−rT))). */
    public static double lowerBound(OptionType type, double s, double k, double t, double r, double q) {
        double fwd = s * Math.exp(-q * t) - k * Math.exp(-r * t);
        return Math.max(0, type == OptionType.CALL ? fwd : -fwd);
    }

    /** The no-arbitrage upper bound: S·e^(−qT) for a call, K·e^(−rT) for a put. */
    public static double upperBound(OptionType type, double s, double k, double t, double r, double q) {
        return type == OptionType.CALL ? s * Math.exp(-q * t) : k * Math.exp(-r * t);
    }

    static void check(double s, double k, double t, double r, double q, double sigma) {
        if (!(s > 0) || !Double.isFinite(s)) throw QuireException.invalid("spot " + s + " must be finite and > 0");
        if (!(k > 0) || !Double.isFinite(k)) throw QuireException.invalid("strike " + k + " must be finite and > 0");
        if (!(t > 0) || !Double.isFinite(t)) throw QuireException.invalid("time to expiry " + t + " years must be finite and > 0");
        if (!Double.isFinite(r) || Math.abs(r) > 1) throw QuireException.invalid("rate " + r + " must be a finite decimal within ±1 (100 %)");
        if (!Double.isFinite(q) || Math.abs(q) > 1) throw QuireException.invalid("dividend yield " + q + " must be a finite decimal within ±1 (100 %)");
        if (!(sigma > 0) || !Double.isFinite(sigma)) throw QuireException.invalid("volatility " + sigma + " must be finite and > 0");
    }
}
