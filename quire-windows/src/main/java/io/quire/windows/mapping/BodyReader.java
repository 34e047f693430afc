package io.quire.windows.mapping;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked big-endian reader over one record body. Every read checks the remaining bytes
 * first, and every length is checked against its limit and the remaining bytes before anything
 * is allocated, so malformed bytes end in an INTEGRITY {@link QuireException}, never in an
 * unchecked exception or a large allocation.
 */
final class BodyReader {
    private final String what;
    private final byte[] a;
    private int pos;

    BodyReader(String what, byte[] body) {
        this.what = what;
        this.a = body;
    }

    private void need(int n, String field) {
        if (n < 0 || a.length - pos < n) {
            throw bad("truncated body: " + field + " needs " + n + " bytes at body offset " + pos + ", " + (a.length - pos) + " left");
        }
    }

    int u8(String field) {
        need(1, field);
        return a[pos++] & 0xFF;
    }

    int u16(String field) {
        need(2, field);
        int v = (a[pos] & 0xFF) << 8 | (a[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    long u32(String field) {
        need(4, field);
        long v = 0;
        for (int i = 0; i < 4; i++) v = v << 8 | (a[pos + i] & 0xFF);
        pos += 4;
        return v;
    }

    long i64(String field) {
        need(8, field);
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | (a[pos + i] & 0xFF);
        pos += 8;
        return v;
    }

    /** A non-negative i64. */
    long count(String field) {
        long v = i64(field);
        if (v < 0) throw bad(field + " is negative (" + v + ")");
        return v;
    }

    /**
     * An IEEE 754 binary64. Only the canonical NaN (0x7FF8000000000000) is accepted, so a decoded
     * record always re-encodes to the same bytes; infinities are refused unless {@code nanOk}
     * callers ask for NaN, and a NaN is refused when {@code nanOk} is false.
     */
    double f64(String field, boolean nanOk) {
        long bits = i64(field);
        double d = Double.longBitsToDouble(bits);
        if (Double.isNaN(d)) {
            if (!nanOk) throw bad(field + " is NaN");
            if (bits != Codec.CANONICAL_NAN_BITS) throw bad(field + " is a non-canonical NaN (0x" + Long.toHexString(bits) + ")");
        } else if (Double.isInfinite(d)) {
            throw bad(field + " is infinite");
        }
        return d;
    }

    /** {@code n} bytes of text; ASCII ({@code utf8 == false}) must be printable 0x20..0x7E. */
    String text(int n, int max, boolean utf8, String field) {
        if (n > max) throw bad(field + " length " + n + " is over its limit " + max);
        need(n, field);
        String s;
        if (utf8) {
            try {
                s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(a, pos, n)).toString();
            } catch (CharacterCodingException e) {
                throw bad(field + " is not valid UTF-8");
            }
        } else {
            for (int i = 0; i < n; i++) {
                int c = a[pos + i] & 0xFF;
                if (c < 0x20 || c > 0x7E) throw bad(field + " has byte 0x" + Integer.toHexString(c) + " at index " + i + " (printable ASCII only)");
            }
            s = new String(a, pos, n, StandardCharsets.US_ASCII);
        }
        pos += n;
        return s;
    }

    /** Refuses trailing bytes: a body must be consumed exactly. */
    void end() {
        if (pos != a.length) throw bad((a.length - pos) + " trailing bytes after the last field at body offset " + pos);
    }

    /** INTEGRITY for a field that decoded but is not a valid value. */
    QuireException bad(String problem) {
        return QuireException.integrity(what + ": " + problem, Where.NOWHERE).withCode("payload_malformed");
    }
}
