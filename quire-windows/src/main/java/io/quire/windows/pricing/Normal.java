package io.quire.windows.pricing;

/** The standard normal density and distribution function. */
public final class Normal {
    private Normal() {}

    private static final double INV_SQRT_2PI = 0.3989422804014327;

    /** Density φ(x). */
    public static double pdf(double x) { return INV_SQRT_2PI * Math.exp(-0.5 * x * x); }

    /**
     * Φ(x), accurate to about 1e-14 everywhere: Hart's (1968) double-precision rational
     * approximation as given by G. West, "Better approximations to cumulative normal functions"
     * (Wilmott, 2005), with a continued fraction beyond 7.07 and 0 beyond 37 standard deviations.
     */
    public static double cdf(double x) {
        double xa = Math.abs(x);
        double c;
        if (xa > 37) {
            c = 0;
        } else {
            double e = Math.exp(-xa * xa / 2);
            if (xa < 7.07106781186547) {
                double b = 3.52624965998911E-02 * xa + 0.700383064443688;
                b = b * xa + 6.37396220353165;
                b = b * xa + 33.912866078383;
                b = b * xa + 112.079291497871;
                b = b * xa + 221.213596169931;
                b = b * xa + 220.206867912376;
                c = e * b;
                b = 8.83883476483184E-02 * xa + 1.75566716318264;
                b = b * xa + 16.064177579207;
                b = b * xa + 86.7807322029461;
                b = b * xa + 296.564248779674;
                b = b * xa + 637.333633378831;
                b = b * xa + 793.826512519948;
                b = b * xa + 440.413735824752;
                c = c / b;
            } else {
                double b = xa + 0.65;
                b = xa + 4 / b;
                b = xa + 3 / b;
                b = xa + 2 / b;
                b = xa + 1 / b;
                c = e / b / 2.506628274631;
            }
        }
        return x > 0 ? 1 - c : c;
    }
}
