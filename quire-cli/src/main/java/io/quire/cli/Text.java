package io.quire.cli;

import io.quire.core.Entry;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The human (non-JSON) renderings: one entry per line, columns separated by single spaces. */
public final class Text {
    private Text() {}

    /** Printed in a column whose value is empty, so columns never collapse. */
    public static final String EMPTY = "-";
    /** Prefix of a payload printed as base64 because it is not printable one-line UTF-8. */
    public static final String BASE64_PREFIX = "base64:";

    /** {@code seq position id key payload}: the line {@code quire read} and {@code watch} print. */
    public static String entryLine(Entry e) {
        return e.seq() + " " + e.position() + " " + column(e.id()) + " " + column(e.key()) + " " + payload(e.payload());
    }

    /** {@code seq position hash}: the line {@code quire append} prints once an entry is durable. */
    public static String appendedLine(Entry e) {
        return e.seq() + " " + e.position() + " " + e.hash().hex();
    }

    static String column(String s) {
        if (s == null || s.isEmpty()) return EMPTY;
        // Whitespace inside a column would shift every later column; such values are rare
        // (ids and keys are labels) and the JSON output carries them exactly.
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isWhitespace(c) || Character.isISOControl(c) ? '_' : c);
        }
        return b.toString();
    }

    /**
     * The payload as text when it is valid UTF-8 with no control characters other than tab
     * (so one entry stays one line), otherwise {@code base64:<base64>}. An empty payload prints
     * as nothing. A text payload that itself starts with {@code base64:} is printed as base64
     * too, so the rendering is never ambiguous.
     */
    public static String payload(byte[] p) {
        String s = printableUtf8(p);
        if (s != null && !s.startsWith(BASE64_PREFIX)) return s;
        return BASE64_PREFIX + Base64.getEncoder().encodeToString(p);
    }

    private static String printableUtf8(byte[] p) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(p)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\t' && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) return null;
        }
        return s;
    }

    /** Human byte count: 1536 -> "1.5 KiB". */
    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
