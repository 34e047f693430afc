package io.quire.windows.market;

import java.io.IOException;
import java.io.OutputStream;

/** A row builder that writes ASCII bytes with exact fixed-point formatting (no locale, no Double.toString). */
final class AsciiOut {
    private final OutputStream out;
    private byte[] b = new byte[256];
    private int n;
    long rows;

    AsciiOut(OutputStream out) { this.out = out; }

    private void room(int k) {
        if (n + k > b.length) b = java.util.Arrays.copyOf(b, Math.max(b.length * 2, n + k));
    }

    AsciiOut c(char ch) {
        room(1);
        b[n++] = (byte) ch;
        return this;
    }

    AsciiOut s(String s) {
        room(s.length());
        for (int i = 0; i < s.length(); i++) b[n++] = (byte) s.charAt(i);
        return this;
    }

    AsciiOut l(long v) { return s(Long.toString(v)); }

    /** {@code v / 10^scale} written exactly, trailing fraction zeros dropped ({@code 1250, 2} → {@code 12.5}). */
    AsciiOut fixed(long v, int scale) {
        if (v < 0) {
            c('-');
            v = -v;
        }
        long p = 1;
        for (int i = 0; i < scale; i++) p *= 10;
        l(v / p);
        long frac = v % p;
        if (frac != 0) {
            int digits = scale;
            while (frac % 10 == 0) {
                frac /= 10;
                digits--;
            }
            c('.');
            String f = Long.toString(frac);
            for (int i = f.length(); i < digits; i++) c('0');
            s(f);
        }
        return this;
    }

    /** A list of codes: empty, one bare value, or a quoted comma list ({@code "12,37"}). */
    AsciiOut codes(int[] codes) {
        if (codes.length == 0) return this;
        if (codes.length > 1) c('"');
        for (int i = 0; i < codes.length; i++) {
            if (i > 0) c(',');
            l(codes[i]);
        }
        if (codes.length > 1) c('"');
        return this;
    }

    void endRow() throws IOException {
        c('\n');
        out.write(b, 0, n);
        n = 0;
        rows++;
    }

    void header(String h) throws IOException {
        s(h).c('\n');
        out.write(b, 0, n);
        n = 0;
    }
}
