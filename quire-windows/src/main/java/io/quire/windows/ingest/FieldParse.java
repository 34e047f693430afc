package io.quire.windows.ingest;

/**
 * Number parsing over the record buffer without allocating: decimal integers and plain decimals.
 * A failed parse throws {@link Bad}, a stackless exception caught per row, so a bad field costs
 * no stack walk.
 */
final class FieldParse {
    private FieldParse() {}

    /** A field that does not parse; {@code message} says why. */
    static final class Bad extends RuntimeException {
        Bad(String message) { super(message, null, false, false); }
    }

    private static final double[] POW10 = new double[23];
    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
    }

    /** A decimal integer, optionally signed, within ±(2^63 − 1) (nanosecond timestamps have 19 digits). */
    static long parseLong(byte[] b, int s, int e, String column) {
        if (s == e) throw new Bad(column + " is empty");
        boolean neg = false;
        int i = s;
        if (b[i] == '-' || b[i] == '+') {
            neg = b[i] == '-';
            i++;
        }
        if (i == e) throw new Bad(column + " '" + str(b, s, e) + "' is not an integer");
        if (e - i > 19) throw new Bad(column + " '" + str(b, s, e) + "' has more than 19 digits");
        long v = 0;
        for (; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw new Bad(column + " '" + str(b, s, e) + "' is not an integer");
            if (v > (Long.MAX_VALUE - d) / 10) throw new Bad(column + " '" + str(b, s, e) + "' is out of range");
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /**
     * A plain decimal ({@code 123}, {@code 0.5}, {@code .5}, {@code -1.25}); exponents and other
     * forms fall back to {@link Double#parseDouble}. With at most 15 significant digits and 22
     * fraction digits the result is correctly rounded: an exact integer divided by an exact power
     * of ten. NaN and infinities are refused.
     */
    static double parseDouble(byte[] b, int s, int e, String column) {
        if (s == e) throw new Bad(column + " is empty");
        int i = s;
        boolean neg = false;
        if (b[i] == '-' || b[i] == '+') {
            neg = b[i] == '-';
            i++;
        }
        long mant = 0;
        int digits = 0, frac = 0;
        boolean dot = false, simple = true;
        for (; i < e; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                if (mant == 0 && c == '0') { // a leading zero: no significant digit yet
                    if (dot) frac++;
                    continue;
                }
                if (digits >= 15) {
                    simple = false;
                    break;
                }
                mant = mant * 10 + (c - '0');
                digits++;
                if (dot) frac++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                simple = false;
                break;
            }
        }
        boolean anyDigit = false;
        for (int k = s; k < e; k++) if (b[k] >= '0' && b[k] <= '9') { anyDigit = true; break; }
        if (simple && anyDigit && frac < POW10.length) {
            double v = frac == 0 ? mant : mant / POW10[frac];
            return neg ? -v : v;
        }
        String t = str(b, s, e);
        for (int k = s; k < e; k++) {
            int c = b[k];
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) throw new Bad(column + " '" + t + "' is not a number");
        }
        try {
            double v = Double.parseDouble(t);
            if (!Double.isFinite(v)) throw new Bad(column + " '" + t + "' is not finite");
            return v;
        } catch (NumberFormatException x) {
            throw new Bad(column + " '" + t + "' is not a number");
        }
    }

    /** A comma-separated list of small non-negative integers ({@code 12,37}); empty → the shared empty array. */
    static int[] parseList(byte[] b, int s, int e, String column) {
        if (s == e) return Rows.NO_CODES;
        int n = 1;
        for (int i = s; i < e; i++) if (b[i] == ',') n++;
        if (n > IngestLimits.LIST_ENTRIES_MAX) throw new Bad(column + " has " + n + " entries; the limit is " + IngestLimits.LIST_ENTRIES_MAX + " (LIST_ENTRIES_MAX)");
        int[] out = new int[n];
        int k = 0, from = s;
        for (int i = s; i <= e; i++) {
            if (i == e || b[i] == ',') {
                int a = from, z = i;
                while (a < z && b[a] == ' ') a++;
                while (z > a && b[z - 1] == ' ') z--;
                long v = parseLong(b, a, z, column + " entry " + (k + 1));
                if (v < 0 || v > Integer.MAX_VALUE) throw new Bad(column + " entry " + (k + 1) + " '" + v + "' is out of range 0.." + Integer.MAX_VALUE);
                out[k++] = (int) v;
                from = i + 1;
            }
        }
        return out;
    }

    static String str(byte[] b, int s, int e) {
        int n = Math.min(e - s, 80);
        return new String(b, s, n, java.nio.charset.StandardCharsets.ISO_8859_1) + (e - s > n ? "…" : "");
    }
}
