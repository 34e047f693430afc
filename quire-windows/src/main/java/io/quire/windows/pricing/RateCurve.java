package io.quire.windows.pricing;

import io.quire.core.QuireException;
import io.quire.windows.mapping.RfRatePayload;
import io.quire.windows.treasury.Tenor;
import io.quire.windows.treasury.TreasuryCurve;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A risk-free curve for Black-Scholes from the Treasury par yields of one day.
 *
 * <ul>
 *   <li><b>Points</b>: the published tenors only. A tenor that was not published is absent from
 *       the input (blank CSV cell, or a column the curve predates) and is simply not a point —
 *       never 0. A tenor name this code does not know ({@link Tenor#ofHeader} gives null) is
 *       skipped and listed in {@link #skipped()}.</li>
 *   <li><b>Interpolation</b>: linear in time (years) between the two neighbouring published
 *       tenors, on the par yields in percent.</li>
 *   <li><b>Extrapolation</b>: before the first or after the last published tenor the nearest
 *       yield is held flat and {@link Lookup#extrapolated()} is true (the Greeks guard
 *       {@link GreeksGuard#RATE_EXTRAPOLATED}).</li>
 *   <li><b>Compounding</b>: Treasury par yields are bond-equivalent (semiannual) yields; the rate
 *       handed to Black-Scholes is the continuous rate {@code r = 2·ln(1 + y/200)}.</li>
 * </ul>
 */
public final class RateCurve {

    /** One published tenor: maturity in years and par yield in percent. */
    public record Point(String tenor, double years, double parYieldPercent) {}

    /**
     * @param rate            continuously compounded decimal rate for Black-Scholes
     * @param parYieldPercent the interpolated par yield in percent (what the CSV would say)
     * @param extrapolated    the maturity lies outside the published tenors (held flat)
     * @param from            the tenor at or below the maturity (the nearest one when extrapolated)
     * @param to              the tenor at or above the maturity (the nearest one when extrapolated)
     */
    public record Lookup(double rate, double parYieldPercent, boolean extrapolated, String from, String to) {}

    private final List<Point> points;
    private final List<String> skipped;

    private RateCurve(List<Point> points, List<String> skipped) {
        if (points.isEmpty()) throw QuireException.invalid("a rate curve needs at least one published tenor; skipped: " + skipped);
        this.points = List.copyOf(points);
        this.skipped = List.copyOf(skipped);
    }

    /** From explicit points (any order; equal maturities are refused). */
    public static RateCurve of(List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::years));
        for (int i = 0; i < sorted.size(); i++) {
            Point p = sorted.get(i);
            if (!(p.years() > 0) || !Double.isFinite(p.years())) throw QuireException.invalid("tenor " + p.tenor() + " has maturity " + p.years() + " years; must be > 0");
            if (!Double.isFinite(p.parYieldPercent()) || Math.abs(p.parYieldPercent()) > 100) {
                throw QuireException.invalid("tenor " + p.tenor() + " has yield " + p.parYieldPercent() + " %; must be finite within ±100");
            }
            if (i > 0 && sorted.get(i - 1).years() == p.years()) throw QuireException.invalid("tenors " + sorted.get(i - 1).tenor() + " and " + p.tenor() + " have the same maturity");
        }
        return new RateCurve(sorted, List.of());
    }

    /** From an {@code rf_rate.map} payload: tenor names are read with {@link Tenor#ofHeader}; unknown names are skipped. */
    public static RateCurve of(RfRatePayload payload) {
        List<Point> pts = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (RfRatePayload.Tenor t : payload.tenors()) {
            Tenor known = Tenor.ofHeader(t.name());
            if (known == null) skipped.add(t.name());
            else pts.add(new Point(known.label(), known.years(), t.rate()));
        }
        RateCurve c = of(pts);
        return new RateCurve(c.points, skipped);
    }

    /** From a parsed Treasury CSV curve. */
    public static RateCurve of(TreasuryCurve curve) {
        List<Point> pts = new ArrayList<>();
        for (Map.Entry<Tenor, BigDecimal> e : curve.tenors().entrySet()) pts.add(new Point(e.getKey().label(), e.getKey().years(), e.getValue().doubleValue()));
        return of(pts);
    }

    public List<Point> points() { return points; }

    /** Tenor names of the payload that were not understood and not used. */
    public List<String> skipped() { return skipped; }

    /** The rate for a maturity of {@code years} (> 0). */
    public Lookup at(double years) {
        if (!(years > 0) || !Double.isFinite(years)) throw QuireException.invalid("maturity " + years + " years must be finite and > 0");
        Point first = points.getFirst(), last = points.getLast();
        if (years < first.years()) return lookup(first.parYieldPercent(), true, first, first);
        if (years > last.years()) return lookup(last.parYieldPercent(), true, last, last);
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (p.years() == years) return lookup(p.parYieldPercent(), false, p, p);
            if (p.years() > years) {
                Point a = points.get(i - 1); // i > 0: years ≥ first.years and ≠ it
                double w = (years - a.years()) / (p.years() - a.years());
                return lookup(a.parYieldPercent() + w * (p.parYieldPercent() - a.parYieldPercent()), false, a, p);
            }
        }
        throw new IllegalStateException("bad math in RateCurve.at: " + years + " not bracketed by " + points);
    }

    /** Continuous decimal rate of a semiannual bond-equivalent par yield in percent. */
    public static double continuous(double parYieldPercent) { return 2 * Math.log1p(parYieldPercent / 200.0); }

    private static Lookup lookup(double y, boolean extrapolated, Point from, Point to) {
        return new Lookup(continuous(y), y, extrapolated, from.tenor(), to.tenor());
    }
}
