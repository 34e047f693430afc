package io.quire.core.merkle;

import io.quire.core.Hash;
import io.quire.core.QuireException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The line grammar shared by checkpoints and proofs: UTF-8, every line "name SP value" ended by
 * one LF (no CR, no blank lines, nothing after the last LF), values in exactly one spelling
 * (decimal without sign or leading zeros, lowercase hex, padded standard base64), so that a parsed
 * document re-encodes to the same bytes. Errors are INVALID_INPUT naming the 1-based line.
 */
final class TextLines {
    /** Longest document accepted: a proof of 64 hashes is about 4.6 KiB. */
    static final int TEXT_CHARS_MAX = 16 * 1024;
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-f]{64}");

    private final String kind;
    private final List<String> lines;
    private int next; // index of the next unread line

    private TextLines(String kind, List<String> lines) {
        this.kind = kind;
        this.lines = lines;
    }

    /** Splits {@code text} into LF-terminated lines, refusing CR, empty input and a missing final LF. */
    static TextLines split(String kind, String text) {
        if (text == null || text.isEmpty()) throw QuireException.invalid(kind + " is empty");
        if (text.length() > TEXT_CHARS_MAX) throw QuireException.invalid(kind + " is longer than " + TEXT_CHARS_MAX + " characters");
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int lf = text.indexOf('\n', start);
            int lineNo = lines.size() + 1;
            if (lf < 0) throw QuireException.invalid(kind + " line " + lineNo + ": missing LF at the end of the line");
            String line = text.substring(start, lf);
            if (line.indexOf('\r') >= 0) throw QuireException.invalid(kind + " line " + lineNo + ": CR found, lines end with LF only");
            lines.add(line);
            start = lf + 1;
        }
        return new TextLines(kind, lines);
    }

    /**
     * Checks the header line "{@code magic} v1". A higher version gets the message "… format vN is
     * newer than supported v1" so that an old reader says why it cannot read a newer file.
     */
    void header(String magic, String what) {
        String line = line("header \"" + magic + " v1\"");
        String prefix = magic + " v";
        if (line.startsWith(prefix) && DECIMAL.matcher(line.substring(prefix.length())).matches()) {
            String v = line.substring(prefix.length());
            if (v.equals("1")) return;
            if (v.length() > 1 || v.charAt(0) > '1') throw QuireException.invalid(what + " format v" + v + " is newer than supported v1");
        }
        throw error(next, "expected \"" + magic + " v1\", found \"" + shorten(line) + "\"");
    }

    /** Reads the next line, which must be "{@code name} value", and returns the value. */
    String field(String name) {
        String line = line("\"" + name + " …\"");
        if (!line.startsWith(name + " ")) throw error(next, "expected \"" + name + " …\", found \"" + shorten(line) + "\"");
        String value = line.substring(name.length() + 1);
        if (value.isEmpty()) throw error(next, name + " has no value");
        return value;
    }

    boolean hasNext(String name) { return next < lines.size() && lines.get(next).startsWith(name + " "); }

    /** Refuses anything after the last expected line. */
    void end() {
        if (next < lines.size()) throw error(next + 1, "unexpected line \"" + shorten(lines.get(next)) + "\" after the end of the " + kind);
    }

    long decimal(String name) {
        String v = field(name);
        if (!DECIMAL.matcher(v).matches()) throw error(next, name + " must be a decimal number without sign or leading zeros, found \"" + shorten(v) + "\"");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw error(next, name + " is larger than " + Long.MAX_VALUE);
        }
    }

    Hash hash(String name) {
        String v = field(name);
        if (!HEX_HASH.matcher(v).matches()) throw error(next, name + " must be 64 lowercase hex digits, found \"" + shorten(v) + "\"");
        return Hash.parse(v);
    }

    byte[] base64(String name) {
        String v = field(name);
        byte[] b;
        try {
            b = Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw error(next, name + " is not base64: " + e.getMessage());
        }
        // Only the canonical spelling is accepted, so that parse and encode round-trip byte for byte.
        if (!Base64.getEncoder().encodeToString(b).equals(v)) throw error(next, name + " is not canonical padded base64");
        return b;
    }

    /** The 1-based number of the line read last. */
    int lineNumber() { return next; }

    QuireException error(int lineNo, String message) { return QuireException.invalid(kind + " line " + lineNo + ": " + message); }

    private String line(String expected) {
        if (next >= lines.size()) throw error(next + 1, "expected " + expected + ", found the end of the " + kind);
        return lines.get(next++);
    }

    private static String shorten(String s) { return s.length() <= 80 ? s : s.substring(0, 77) + "..."; }
}
