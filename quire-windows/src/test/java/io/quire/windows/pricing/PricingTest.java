package io.quire.windows.pricing;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.mapping.AggregatePayload;
import io.quire.windows.mapping.RfRatePayload;
import io.quire.windows.slots.AggWindow;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Black-Scholes, implied volatility, rate interpolation, Greeks guards and aggregates against hand-computed cases. */
class PricingTest {

    static long seed() {
        String s = System.getProperty("quire.test.seed");
        long seed = s != null ? Long.parseLong(s) : System.nanoTime();
        System.out.println("PricingTest seed " + seed + " (replay with -Dquire.test.seed=" + seed + ")");
        return seed;
    }

    @Test
    void shouldMatchHullTextbookPrices() {
        // Hull, Options, Futures and Other Derivatives, Example 15.6: S=42, K=40, r=10 %, σ=20 %, T=0.5.
        double c = BlackScholes.price(OptionType.CALL, 42, 40, 0.5, 0.1, 0, 0.2);
        double p = BlackScholes.price(OptionType.PUT, 42, 40, 0.5, 0.1, 0, 0.2);
        assertThat(c).isCloseTo(4.76, within(0.005));
        assertThat(p).isCloseTo(0.81, within(0.005));
        // Hand-computed: d1 = 0.7693, d2 = 0.6278; N(d1) = 0.779131, N(d2) = 0.734932.
        assertThat(c).isCloseTo(4.759422, within(1e-5));
        assertThat(p).isCloseTo(0.808600, within(1e-5));
    }

    @Test
    void shouldMatchHullGreeksExample() {
        // Hull, ch. 19 (delta hedging example): S=49, K=50, r=5 %, σ=20 %, T=20 weeks = 0.3846.
        Greeks g = BlackScholes.greeks(OptionType.CALL, 49, 50, 0.3846, 0.05, 0, 0.2);
        assertThat(g.price()).isCloseTo(2.40, within(0.005));
        assertThat(g.delta()).isCloseTo(0.522, within(0.001));
        assertThat(g.gamma()).isCloseTo(0.066, within(0.001));
        assertThat(g.vega()).isCloseTo(12.1, within(0.05));      // per 1.0 of σ: 0.121 per point
        assertThat(g.theta()).isCloseTo(-4.31, within(0.01));    // per year: −0.0118 per day
    }

    @Test
    void shouldMatchFiniteDifferencesWithDividends() {
        long seed = seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 500; i++) {
            OptionType type = rnd.nextBoolean() ? OptionType.CALL : OptionType.PUT;
            double s = 20 + rnd.nextDouble() * 500, k = s * (0.7 + rnd.nextDouble() * 0.6), t = 0.05 + rnd.nextDouble() * 2;
            double r = rnd.nextDouble() * 0.08, q = rnd.nextDouble() * 0.05, v = 0.1 + rnd.nextDouble() * 0.8;
            Greeks g = BlackScholes.greeks(type, s, k, t, r, q, v);
            double hs = s * 1e-4, hv = 1e-5, ht = 1e-6;
            double up = BlackScholes.price(type, s + hs, k, t, r, q, v), dn = BlackScholes.price(type, s - hs, k, t, r, q, v);
            String ctx = "seed " + seed + " case " + i;
            assertThat(g.price()).as(ctx).isCloseTo(BlackScholes.price(type, s, k, t, r, q, v), within(1e-12 * s));
            assertThat(g.delta()).as(ctx).isCloseTo((up - dn) / (2 * hs), within(1e-5));
            assertThat(g.gamma()).as(ctx).isCloseTo((up - 2 * g.price() + dn) / (hs * hs), within(1e-3 * Math.max(1, g.gamma())));
            double vegaFd = (BlackScholes.price(type, s, k, t, r, q, v + hv) - BlackScholes.price(type, s, k, t, r, q, v - hv)) / (2 * hv);
            assertThat(g.vega()).as(ctx).isCloseTo(vegaFd, within(1e-4 * Math.max(1, g.vega())));
            // theta = −∂V/∂T (calendar time runs down T)
            double thetaFd = -(BlackScholes.price(type, s, k, t + ht, r, q, v) - BlackScholes.price(type, s, k, t - ht, r, q, v)) / (2 * ht);
            assertThat(g.theta()).as(ctx).isCloseTo(thetaFd, within(1e-3 * Math.max(1, Math.abs(g.theta()))));
        }
    }

    /** Invariants checked: C − P = S·e^(−qT) − K·e^(−rT) for seeded random inputs. */
    @Test
    void shouldSatisfyPutCallParity() {
        long seed = seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++) {
            double s = 1 + rnd.nextDouble() * 1000, k = s * (0.5 + rnd.nextDouble()), t = 1e-3 + rnd.nextDouble() * 3;
            double r = -0.01 + rnd.nextDouble() * 0.1, q = rnd.nextDouble() * 0.06, v = 0.01 + rnd.nextDouble() * 2;
            double c = BlackScholes.price(OptionType.CALL, s, k, t, r, q, v), p = BlackScholes.price(OptionType.PUT, s, k, t, r, q, v);
            assertThat(c - p).as("seed %d case %d", seed, i).isCloseTo(s * Math.exp(-q * t) - k * Math.exp(-r * t), within(1e-10 * (s + k)));
            Greeks gc = BlackScholes.greeks(OptionType.CALL, s, k, t, r, q, v), gp = BlackScholes.greeks(OptionType.PUT, s, k, t, r, q, v);
            assertThat(gc.delta() - gp.delta()).as("delta parity seed %d", seed).isCloseTo(Math.exp(-q * t), within(1e-12));
            assertThat(gc.gamma()).isCloseTo(gp.gamma(), within(1e-12));
        }
    }

    /** Invariants checked: IV(price(σ)) = σ wherever σ is identifiable (vega not negligible); otherwise it reprices within tolerance. */
    @Test
    void shouldRoundTripImpliedVolatility() {
        long seed = seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int newton = 0, bisection = 0;
        for (int i = 0; i < 5_000; i++) {
            OptionType type = rnd.nextBoolean() ? OptionType.CALL : OptionType.PUT;
            double s = 5 + rnd.nextDouble() * 800, k = s * (0.6 + rnd.nextDouble() * 0.8), t = 1.0 / 365 + rnd.nextDouble() * 2;
            double r = rnd.nextDouble() * 0.07, q = rnd.nextDouble() * 0.04, v = 0.03 + rnd.nextDouble() * 2.5;
            double price = BlackScholes.price(type, s, k, t, r, q, v);
            ImpliedVol.Result res = ImpliedVol.solve(type, price, s, k, t, r, q);
            String ctx = "seed " + seed + " case " + i + " " + type + " S=" + s + " K=" + k + " T=" + t + " σ=" + v + " price=" + price;
            if (price <= BlackScholes.lowerBound(type, s, k, t, r, q) + PricingLimits.IV_PRICE_TOLERANCE) continue; // no time value left to invert
            assertThat(res).as(ctx).isInstanceOf(ImpliedVol.Result.Solved.class);
            ImpliedVol.Result.Solved sv = (ImpliedVol.Result.Solved) res;
            if (sv.method() == ImpliedVol.Method.NEWTON) newton++; else bisection++;
            assertThat(BlackScholes.price(type, s, k, t, r, q, sv.sigma())).as(ctx).isCloseTo(price, within(PricingLimits.IV_PRICE_TOLERANCE * 1.01));
            if (BlackScholes.vega(s, k, t, r, q, v) > 1e-3) assertThat(sv.sigma()).as(ctx).isCloseTo(v, within(1e-6));
            assertThat(sv.iterations()).isLessThanOrEqualTo(PricingLimits.IV_NEWTON_ITERATIONS_MAX + PricingLimits.IV_BISECTION_ITERATIONS_MAX);
        }
        System.out.println("IV round trip: newton " + newton + ", bisection " + bisection);
        assertThat(newton).isGreaterThan(bisection);
    }

    /** Invariants checked: the bisection fallback alone (Newton disabled) recovers σ for seeded random inputs. */
    @Test
    void shouldRoundTripImpliedVolatilityByBisectionAlone() {
        long seed = seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
            OptionType type = rnd.nextBoolean() ? OptionType.CALL : OptionType.PUT;
            double s = 5 + rnd.nextDouble() * 800, k = s * (0.7 + rnd.nextDouble() * 0.6), t = 7.0 / 365 + rnd.nextDouble();
            double r = rnd.nextDouble() * 0.07, q = rnd.nextDouble() * 0.04, v = 0.05 + rnd.nextDouble() * 1.5;
            double price = BlackScholes.price(type, s, k, t, r, q, v);
            if (BlackScholes.vega(s, k, t, r, q, v) < 1e-3) continue;
            ImpliedVol.Result res = ImpliedVol.solve(type, price, s, k, t, r, q, 0);
            String ctx = "seed " + seed + " case " + i;
            assertThat(res).as(ctx).isInstanceOfSatisfying(ImpliedVol.Result.Solved.class, sv -> {
                assertThat(sv.method()).isEqualTo(ImpliedVol.Method.BISECTION);
                assertThat(sv.sigma()).as(ctx).isCloseTo(v, within(1e-6));
                assertThat(sv.iterations()).isLessThanOrEqualTo(PricingLimits.IV_BISECTION_ITERATIONS_MAX);
            });
        }
    }

    @Test
    void shouldReportImpliedVolatilityFailures() {
        // Hull call is worth 4.76; intrinsic of the forward is 42 − 40·e^(−0.05) = 3.95.
        assertThat(ImpliedVol.solve(OptionType.CALL, 3.0, 42, 40, 0.5, 0.1, 0)).isInstanceOfSatisfying(ImpliedVol.Result.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(ImpliedVol.Failure.BELOW_INTRINSIC));
        assertThat(ImpliedVol.solve(OptionType.CALL, 42.0, 42, 40, 0.5, 0.1, 0)).isInstanceOfSatisfying(ImpliedVol.Result.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(ImpliedVol.Failure.ABOVE_UPPER_BOUND));
        // Just under the upper bound but above the price at σ = IV_MAX.
        double pMax = BlackScholes.price(OptionType.CALL, 42, 40, 0.5, 0.1, 0, PricingLimits.IV_MAX);
        assertThat(ImpliedVol.solve(OptionType.CALL, (pMax + 42) / 2, 42, 40, 0.5, 0.1, 0)).isInstanceOfSatisfying(ImpliedVol.Result.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(ImpliedVol.Failure.OUT_OF_RANGE));
        // The edges of the range solve.
        double pHi = BlackScholes.price(OptionType.PUT, 42, 40, 0.5, 0.1, 0, PricingLimits.IV_MAX);
        assertThat(ImpliedVol.solve(OptionType.PUT, pHi, 42, 40, 0.5, 0.1, 0)).isInstanceOf(ImpliedVol.Result.Solved.class);
        assertThatThrownBy(() -> ImpliedVol.solve(OptionType.PUT, Double.NaN, 42, 40, 0.5, 0.1, 0)).isInstanceOf(QuireException.class);
        assertThatThrownBy(() -> ImpliedVol.solve(OptionType.PUT, 1, 42, 40, 0, 0.1, 0))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThatThrownBy(() -> BlackScholes.price(OptionType.PUT, -1, 40, 0.5, 0.1, 0, 0.2)).hasMessageContaining("spot");
    }

    @Test
    void shouldInterpolateRatesLinearlyInTimeSkippingMissingTenors() {
        // 1 Mo = 4.0, 3 Mo = 4.6 (2 Mo missing: never 0), 1 Yr = 4.2, an unknown tenor is skipped.
        RfRatePayload p = new RfRatePayload(0, "UST-PAR", List.of(new RfRatePayload.Tenor("1 Mo", 4.0), new RfRatePayload.Tenor("3 Mo", 4.6),
                new RfRatePayload.Tenor("1 Yr", 4.2), new RfRatePayload.Tenor("9 Weeks", 9.9)), 1);
        RateCurve c = RateCurve.of(p);
        assertThat(c.skipped()).containsExactly("9 Weeks");
        RateCurve.Lookup two = c.at(2.0 / 12);
        assertThat(two.parYieldPercent()).isCloseTo(4.3, within(1e-12)); // half way from 4.0 to 4.6
        assertThat(two.extrapolated()).isFalse();
        assertThat(two.from()).isEqualTo("1 Mo");
        assertThat(two.to()).isEqualTo("3 Mo");
        assertThat(two.rate()).isCloseTo(2 * Math.log(1 + 0.043 / 2), within(1e-15));
        assertThat(c.at(0.25).parYieldPercent()).isCloseTo(4.6, within(1e-12)); // exactly a tenor
        assertThat(c.at(7.5 / 12).parYieldPercent()).isCloseTo(4.6 + (4.2 - 4.6) * 4.5 / 9, within(1e-12));
        RateCurve.Lookup shortEnd = c.at(1.0 / 365);
        assertThat(shortEnd.extrapolated()).isTrue();
        assertThat(shortEnd.parYieldPercent()).isEqualTo(4.0);
        RateCurve.Lookup longEnd = c.at(5);
        assertThat(longEnd.extrapolated()).isTrue();
        assertThat(longEnd.parYieldPercent()).isEqualTo(4.2);
        assertThatThrownBy(() -> RateCurve.of(new RfRatePayload(0, "X", List.of(new RfRatePayload.Tenor("odd", 1)), 1)))
                .hasMessageContaining("at least one published tenor");
        assertThatThrownBy(() -> c.at(0)).isInstanceOf(QuireException.class);
    }

    static QuoteTick q(long ts, double bid, double ask) { return new QuoteTick(ts, bid, ask, 1, 1); }

    static TradeTick t(long ts, double price, double size) { return new TradeTick(ts, price, size); }

    @Test
    void shouldClassifyByQuoteRuleMidDistanceAndTickRule() {
        List<QuoteTick> quotes = List.of(q(100, 10.00, 10.10));
        List<TradeTick> trades = List.of(
                t(100, 10.10, 100),   // at ask (quote at the same ns counts): buy, 1.0
                t(101, 10.00, 50),    // at bid: sell, 1.0
                t(102, 10.08, 10),    // inside above mid: buy, 0.5 + 0.5·0.03/0.05 = 0.8
                t(103, 10.03, 10),    // inside below mid: sell, 0.5 + 0.5·0.02/0.05 = 0.7
                t(104, 10.05, 5),     // at mid: tick rule, down from 10.03? no: up from 10.03 → buy 0.6
                t(105, 10.05, 5),     // at mid again: zero tick after an uptick → buy 0.5
                t(106, 10.20, 1.5));  // above ask: buy, outside
        AggressorClassifier.Result r = AggressorClassifier.classify(trades, quotes, PricingLimits.QUOTE_STALENESS_NS_DEFAULT, Double.NaN, 0);
        var c = r.trades();
        assertThat(c.get(0)).isEqualTo(new AggressorClassifier.Classification(AggressorClassifier.Side.BUY, AggressorClassifier.Rule.QUOTE, 1.0, AggressorClassifier.QuoteState.OK, false, 0));
        assertThat(c.get(1).side()).isEqualTo(AggressorClassifier.Side.SELL);
        assertThat(c.get(2).confidence()).isCloseTo(0.8, within(1e-9));
        assertThat(c.get(3).side()).isEqualTo(AggressorClassifier.Side.SELL);
        assertThat(c.get(3).confidence()).isCloseTo(0.7, within(1e-9));
        assertThat(c.get(4)).extracting(AggressorClassifier.Classification::side, AggressorClassifier.Classification::rule, AggressorClassifier.Classification::confidence)
                .containsExactly(AggressorClassifier.Side.BUY, AggressorClassifier.Rule.TICK, AggressorClassifier.TICK_CONFIDENCE);
        assertThat(c.get(5).confidence()).isEqualTo(AggressorClassifier.ZERO_TICK_CONFIDENCE);
        assertThat(c.get(6).outsideNbbo()).isTrue();
        var s = r.summary();
        assertThat(s.buyerCount()).isEqualTo(5);
        assertThat(s.sellerCount()).isEqualTo(2);
        assertThat(s.buyerVolume()).isEqualTo(Math.round(100 + 10 + 5 + 5 + 1.5)); // 121.5 → 122
        assertThat(s.sellerVolume()).isEqualTo(60);
        assertThat(s.quoteRuleCount()).isEqualTo(5);
        assertThat(s.tickRuleCount()).isEqualTo(2);
        assertThat(s.meanConfidence()).isCloseTo((1 + 1 + 0.8 + 0.7 + 0.6 + 0.5 + 1) / 7, within(1e-12));
        assertThat(s.flags()).isEqualTo(io.quire.windows.mapping.AggressorPayload.FLAG_OUTSIDE_NBBO);
    }

    @Test
    void shouldFlagLockedCrossedStaleAndMissingQuotes() {
        long stale = 1_000;
        List<QuoteTick> quotes = List.of(q(10, 5.00, 5.00), q(20, 5.10, 5.00), q(30, 5.00, 5.02));
        List<TradeTick> trades = List.of(
                t(5, 5.00, 1),      // before any quote: missing → tick rule with previous price 4.99 → uptick buy
                t(11, 5.00, 1),     // locked at 5.00, print at the locked price → tick rule (zero tick → buy)
                t(12, 4.99, 1),     // locked, print below → sell by quote, outside
                t(21, 5.05, 1),     // crossed → tick rule (up) buy
                t(30 + stale + 1, 4.98, 1)); // quote at 30 is stale → tick rule (down) sell
        var r = AggressorClassifier.classify(trades, quotes, stale, 4.99, 0);
        var c = r.trades();
        assertThat(c).extracting(AggressorClassifier.Classification::quote).containsExactly(AggressorClassifier.QuoteState.MISSING,
                AggressorClassifier.QuoteState.LOCKED, AggressorClassifier.QuoteState.LOCKED, AggressorClassifier.QuoteState.CROSSED, AggressorClassifier.QuoteState.STALE);
        assertThat(c).extracting(AggressorClassifier.Classification::side).containsExactly(AggressorClassifier.Side.BUY, AggressorClassifier.Side.BUY,
                AggressorClassifier.Side.SELL, AggressorClassifier.Side.BUY, AggressorClassifier.Side.SELL);
        assertThat(c).extracting(AggressorClassifier.Classification::rule).containsExactly(AggressorClassifier.Rule.TICK, AggressorClassifier.Rule.TICK,
                AggressorClassifier.Rule.QUOTE, AggressorClassifier.Rule.TICK, AggressorClassifier.Rule.TICK);
        assertThat(c.get(2).outsideNbbo()).isTrue();
        int f = r.summary().flags();
        assertThat(f & io.quire.windows.mapping.AggressorPayload.FLAG_MISSING_QUOTES).isNotZero();
        assertThat(f & io.quire.windows.mapping.AggressorPayload.FLAG_CROSSED_QUOTES).isNotZero();
        assertThat(f & io.quire.windows.mapping.AggressorPayload.FLAG_OUTSIDE_NBBO).isNotZero();
        // Staleness at its edge: exactly the limit is fresh, one more ns is stale.
        assertThat(AggressorClassifier.state(q(0, 1, 2), stale, stale)).isEqualTo(AggressorClassifier.QuoteState.OK);
        assertThat(AggressorClassifier.state(q(0, 1, 2), stale + 1, stale)).isEqualTo(AggressorClassifier.QuoteState.STALE);
        assertThat(AggressorClassifier.state(q(0, 0, 2), 0, stale)).isEqualTo(AggressorClassifier.QuoteState.MISSING);
        // No history and no quote: unknown, and the summary says NaN confidence.
        var u = AggressorClassifier.classify(List.of(t(1, 3, 2)), List.of(), stale, Double.NaN, 0);
        assertThat(u.trades().getFirst().side()).isEqualTo(AggressorClassifier.Side.UNKNOWN);
        assertThat(u.summary().unknownCount()).isEqualTo(1);
        assertThat(u.summary().meanConfidence()).isNaN();
        // Limits and order.
        assertThatThrownBy(() -> AggressorClassifier.classify(List.of(), List.of(), PricingLimits.QUOTE_STALENESS_NS_MAX + 1, Double.NaN, 0))
                .hasMessageContaining("QUOTE_STALENESS_NS_MAX");
        AggressorClassifier.classify(List.of(), List.of(), PricingLimits.QUOTE_STALENESS_NS_MAX, Double.NaN, 0);
        assertThatThrownBy(() -> AggressorClassifier.classify(List.of(t(2, 1, 1), t(1, 1, 1)), List.of(), 1, Double.NaN, 0))
                .hasMessageContaining("not in timestamp order");
    }

    @Test
    void shouldSetOneDistinctGuardBitPerCause() {
        RateCurve curve = RateCurve.of(List.of(new RateCurve.Point("1 Mo", 1.0 / 12, 4.0), new RateCurve.Point("1 Yr", 1, 4.5)));
        long st = 1_000_000_000L;
        double strike = 100, years = 0.25;
        double fair = BlackScholes.price(OptionType.CALL, 100, strike, years, curve.at(years).rate(), 0.01, 0.3);
        GreeksCalculator.QuoteSnapshot und = new GreeksCalculator.QuoteSnapshot(99.99, 100.01, 0);
        GreeksCalculator.QuoteSnapshot opt = new GreeksCalculator.QuoteSnapshot(fair - 0.01, fair + 0.01, 0);
        var ok = GreeksCalculator.compute(OptionType.CALL, strike, years, opt, und, curve, 0.01, st);
        assertThat(ok.flags()).isZero();
        assertThat(ok.iv()).isCloseTo(0.3, within(1e-3));
        assertThat(ok.delta()).isBetween(0.5, 0.65);
        assertThat(ok.toPayload(7)).get().satisfies(p -> assertThat(p.rfRateVersion()).isEqualTo(7));

        assertThat(GreeksCalculator.compute(OptionType.CALL, strike, years, new GreeksCalculator.QuoteSnapshot(opt.bid(), opt.ask(), st + 1), und, curve, 0.01, st).flags())
                .isEqualTo(GreeksGuard.STALE);
        var locked = GreeksCalculator.compute(OptionType.CALL, strike, years, new GreeksCalculator.QuoteSnapshot(fair, fair, 0), und, curve, 0.01, st);
        assertThat(locked.flags()).isEqualTo(GreeksGuard.LOCKED);
        assertThat(locked.iv()).isFinite();
        var crossed = GreeksCalculator.compute(OptionType.CALL, strike, years, opt, new GreeksCalculator.QuoteSnapshot(100.02, 100.0, 0), curve, 0.01, st);
        assertThat(crossed.flags()).isEqualTo(GreeksGuard.CROSSED);
        assertThat(crossed.delta()).isNaN();
        // Expired: the only blocking bit (the rate of a zero maturity is also flagged as extrapolated).
        assertThat(GreeksCalculator.compute(OptionType.CALL, strike, 0, opt, und, curve, 0.01, st).flags() & GreeksGuard.BLOCKING).isEqualTo(GreeksGuard.EXPIRED);
        assertThat(GreeksCalculator.compute(OptionType.CALL, 50, years, new GreeksCalculator.QuoteSnapshot(40, 40.5, 0), und, curve, 0.01, st).flags())
                .isEqualTo(GreeksGuard.BELOW_INTRINSIC);
        assertThat(GreeksCalculator.compute(OptionType.CALL, strike, years, new GreeksCalculator.QuoteSnapshot(99, 99.5, 0), und, curve, 0.01, st).flags())
                .isEqualTo(GreeksGuard.IV_FAILURE);
        var extra = GreeksCalculator.compute(OptionType.CALL, strike, 2.0, opt, und, curve, 0.01, st);
        assertThat(extra.flags() & GreeksGuard.RATE_EXTRAPOLATED).isNotZero();
        var missing = GreeksCalculator.compute(OptionType.CALL, strike, years, opt, null, curve, 0.01, st);
        assertThat(missing.flags()).isEqualTo(GreeksGuard.MISSING_QUOTE);
        assertThat(missing.toPayload(1)).isEmpty();
        var noRate = GreeksCalculator.compute(OptionType.CALL, strike, years, opt, und, null, 0.01, st);
        assertThat(noRate.flags()).isEqualTo(GreeksGuard.MISSING_RATE);
        assertThat(noRate.iv()).isNaN();
        assertThat(noRate.toPayload(1)).isEmpty();
        assertThat(GreeksGuard.describe(GreeksGuard.STALE | GreeksGuard.CROSSED)).isEqualTo("stale,crossed");
        // The first four bits are the payload's.
        assertThat(GreeksGuard.IV_FAILURE).isEqualTo(io.quire.windows.mapping.GreeksPayload.FLAG_IV_NO_CONVERGENCE);
        assertThat(GreeksGuard.STALE).isEqualTo(io.quire.windows.mapping.GreeksPayload.FLAG_STALE_INPUT);
        // Expiry at 16:00 New York.
        long open = TradingCalendar.nyse(2025).sessionOn(LocalDate.of(2025, 11, 12)).orElseThrow().openUtc().getEpochSecond() * 1_000_000_000L;
        assertThat(GreeksCalculator.yearsToExpiry(open, LocalDate.of(2025, 11, 12))).isCloseTo(6.5 * 3600 / GreeksCalculator.SECONDS_PER_YEAR, within(1e-12));
    }

    @Test
    void shouldAggregateOhlcvAndVwapOverAnchoredBuckets() {
        TradingCalendar cal = TradingCalendar.nyse(2025);
        Session full = cal.sessionOn(LocalDate.of(2025, 11, 12)).orElseThrow();
        Session early = cal.sessionOn(LocalDate.of(2025, 11, 28)).orElseThrow();
        int m = full.firstMinuteIdx() + 7; // 09:37
        assertThat(Aggregates.bucket(AggWindow.M5, full, m)).extracting(Aggregates.Bucket::firstMinuteIdx, Aggregates.Bucket::lastMinuteIdx)
                .containsExactly(full.firstMinuteIdx() + 5, full.firstMinuteIdx() + 9);
        assertThat(Aggregates.bucket(AggWindow.M1, full, m).minutes()).isEqualTo(1);
        assertThat(Aggregates.bucket(AggWindow.H4, full, full.lastMinuteIdx()).minutes()).isEqualTo(150); // 13:30–16:00
        assertThat(Aggregates.bucket(AggWindow.H4, full, full.firstMinuteIdx()).minutes()).isEqualTo(240);
        assertThat(Aggregates.bucket(AggWindow.H4, early, early.lastMinuteIdx()).minutes()).isEqualTo(210);   // 13:00 close
        assertThat(Aggregates.bucket(AggWindow.H1, early, early.lastMinuteIdx()).minutes()).isEqualTo(30);    // 12:30–13:00
        assertThat(Aggregates.bucket(AggWindow.M30, full, m).startTsNs()).isEqualTo(full.openUtc().getEpochSecond() * 1_000_000_000L);
        assertThatThrownBy(() -> Aggregates.bucket(AggWindow.M5, full, early.firstMinuteIdx())).isInstanceOf(QuireException.class);

        var b = Aggregates.bucket(AggWindow.M5, full, m);
        Bar bar = Aggregates.bar(b, List.of(t(1, 10.0, 100), t(2, 10.5, 50), t(3, 9.5, 0.5), t(4, 10.25, 49.5)));
        assertThat(bar.open()).isEqualTo(10.0);
        assertThat(bar.close()).isEqualTo(10.25);
        assertThat(bar.high()).isEqualTo(10.5);
        assertThat(bar.low()).isEqualTo(9.5);
        assertThat(bar.volume()).isEqualTo(200.0);
        assertThat(bar.tradeCount()).isEqualTo(4);
        // (1000 + 525 + 4.75 + 507.375) / 200
        assertThat(bar.vwap()).isCloseTo(2037.125 / 200, within(1e-12));
        AggregatePayload p = bar.toPayload();
        assertThat(p.volume()).isEqualTo(200);
        assertThat(p.window()).isEqualTo(AggWindow.M5);
        assertThat(Aggregates.bar(b, List.of())).isNull();
        // Zero sizes: VWAP is the plain mean.
        assertThat(Aggregates.bar(b, List.of(t(1, 2, 0), t(2, 4, 0))).vwap()).isEqualTo(3.0);
        // One trade: everything equals its price.
        Bar one = Aggregates.bar(b, List.of(t(1, 7.77, 3)));
        assertThat(List.of(one.open(), one.high(), one.low(), one.close(), one.vwap())).containsOnly(7.77);
    }
}
