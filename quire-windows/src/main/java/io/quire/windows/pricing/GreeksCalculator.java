package io.quire.windows.pricing;

import io.quire.core.QuireException;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.mapping.GreeksPayload;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The Greeks of one option at one instant from its own NBBO (the mid is the option price), the
 * underlying's NBBO mid as spot, a rate from the Treasury curve, and a continuous dividend yield.
 * Every guard sets its own {@link GreeksGuard} bit; a blocking guard leaves IV and Greeks NaN.
 */
public final class GreeksCalculator {
    private GreeksCalculator() {}

    /** Seconds in the year used for time to expiry: 365 calendar days. */
    public static final double SECONDS_PER_YEAR = 365.0 * 86_400;

    /** A quote as seen at the pricing instant: prices and how old it is (nanoseconds, ≥ 0). */
    public record QuoteSnapshot(double bid, double ask, long ageNs) {}

    /**
     * @param iv    annualized implied volatility, NaN when blocked
     * @param price the option mid used, NaN when missing
     * @param spot  the underlying mid used, NaN when missing
     * @param ratePercent the continuous rate used, in percent (NaN when no curve)
     */
    public record Result(double delta, double gamma, double vega, double theta, double iv, double price, double spot, double ratePercent, int flags) {
        public boolean blocked() { return (flags & GreeksGuard.BLOCKING) != 0; }

        /**
         * The {@code greeks_ref} payload; empty when there is no spot or no rate to record (the
         * engine leaves the slot for a later retry instead of writing a made-up value).
         */
        public Optional<GreeksPayload> toPayload(long rfRateVersion) {
            if (!(spot > 0) || !Double.isFinite(spot) || !Double.isFinite(ratePercent)) return Optional.empty();
            return Optional.of(new GreeksPayload(delta, gamma, vega, theta, iv, flags, spot, ratePercent, rfRateVersion));
        }
    }

    /**
     * Years from {@code nowNs} to the option's expiry: 16:00 New York time on {@code expiry}
     * (OCC equity options stop trading at the close of their expiration day). Negative when past.
     */
    public static double yearsToExpiry(long nowNs, LocalDate expiry) {
        long expiryNs = ZonedDateTime.of(expiry, TradingCalendar.CLOSE_LOCAL, TradingCalendar.NEW_YORK).toEpochSecond() * 1_000_000_000L;
        return (expiryNs - nowNs) / 1e9 / SECONDS_PER_YEAR;
    }

    public static Result compute(OptionType type, double strike, double years, QuoteSnapshot option, QuoteSnapshot underlying,
                                 RateCurve curve, double dividendYield, long stalenessNs) {
        if (!(strike > 0) || !Double.isFinite(strike)) throw QuireException.invalid("strike " + strike + " must be finite and > 0");
        if (!Double.isFinite(years)) throw QuireException.invalid("years to expiry " + years + " must be finite");
        if (!Double.isFinite(dividendYield) || Math.abs(dividendYield) > 1) throw QuireException.invalid("dividend yield " + dividendYield + " must be a decimal within ±1");
        int flags = 0;
        flags |= quoteFlags(option, stalenessNs);
        flags |= quoteFlags(underlying, stalenessNs);
        double price = mid(option), spot = mid(underlying);
        if (years < PricingLimits.EXPIRY_YEARS_MIN) flags |= GreeksGuard.EXPIRED;
        double r = Double.NaN, ratePercent = Double.NaN;
        if (curve != null) {
            RateCurve.Lookup l = curve.at(Math.max(years, PricingLimits.EXPIRY_YEARS_MIN));
            r = l.rate();
            ratePercent = r * 100;
            if (l.extrapolated()) flags |= GreeksGuard.RATE_EXTRAPOLATED;
        } else {
            flags |= GreeksGuard.MISSING_RATE;
        }
        if ((flags & GreeksGuard.BLOCKING) != 0) return blocked(price, spot, ratePercent, flags);
        double q = dividendYield;
        ImpliedVol.Result iv = ImpliedVol.solve(type, price, spot, strike, years, r, q);
        if (iv instanceof ImpliedVol.Result.Failed f) {
            flags |= f.reason() == ImpliedVol.Failure.BELOW_INTRINSIC ? GreeksGuard.BELOW_INTRINSIC : GreeksGuard.IV_FAILURE;
            return blocked(price, spot, ratePercent, flags);
        }
        double sigma = ((ImpliedVol.Result.Solved) iv).sigma();
        Greeks g = BlackScholes.greeks(type, spot, strike, years, r, q, sigma);
        return new Result(g.delta(), g.gamma(), g.vega(), g.theta(), sigma, price, spot, ratePercent, flags);
    }

    private static Result blocked(double price, double spot, double ratePercent, int flags) {
        return new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, price, spot, ratePercent, flags);
    }

    private static int quoteFlags(QuoteSnapshot q, long stalenessNs) {
        if (q == null || !(q.bid() > 0) || !(q.ask() > 0) || !Double.isFinite(q.bid()) || !Double.isFinite(q.ask())) return GreeksGuard.MISSING_QUOTE;
        int f = 0;
        if (q.ageNs() > stalenessNs) f |= GreeksGuard.STALE;
        if (q.bid() > q.ask()) f |= GreeksGuard.CROSSED;
        else if (q.bid() == q.ask()) f |= GreeksGuard.LOCKED;
        return f;
    }

    private static double mid(QuoteSnapshot q) {
        if (q == null || !(q.bid() > 0) || !(q.ask() > 0)) return Double.NaN;
        return 0.5 * (q.bid() + q.ask());
    }
}
