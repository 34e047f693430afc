package io.quire.windows.mapping;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A big-endian writer for one record body; the counterpart of {@link BodyReader}. */
final class BodyWriter {
    private final ByteArrayOutputStream out;

    BodyWriter(int sizeHint) { out = new ByteArrayOutputStream(sizeHint); }

    BodyWriter u8(int v) {
        if (v < 0 || v > 0xFF) throw new IllegalStateException("bad math in BodyWriter.u8: " + v);
        out.write(v);
        return this;
    }

    BodyWriter u16(int v) {
        if (v < 0 || v > 0xFFFF) throw new IllegalStateException("bad math in BodyWriter.u16: " + v);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    BodyWriter u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) throw new IllegalStateException("bad math in BodyWriter.u32: " + v);
        for (int i = 3; i >= 0; i--) out.write((int) (v >>> (8 * i)));
        return this;
    }

    BodyWriter i64(long v) {
        for (int i = 7; i >= 0; i--) out.write((int) (v >>> (8 * i)));
        return this;
    }

    /** Writes {@code Double.doubleToLongBits}, which folds every NaN into the canonical one. */
    BodyWriter f64(double d) { return i64(Double.doubleToLongBits(d)); }

    BodyWriter bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    byte[] toBytes() { return out.toByteArray(); }
}
