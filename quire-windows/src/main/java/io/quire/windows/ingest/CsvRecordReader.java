package io.quire.windows.ingest;

import java.io.IOException;
import java.io.InputStream;

/**
 * A streaming, allocation-free CSV record reader over bytes (RFC 4180 subset: comma separator,
 * optional double quotes with {@code ""} as an escaped quote, LF or CRLF line ends, a quoted field
 * may hold commas and line breaks). Fields are unquoted in place into one reused buffer; a caller
 * reads them with {@link #start}/{@link #end} and the parse helpers. No regex, no String per field.
 *
 * <p>A record longer than {@link IngestLimits#RECORD_BYTES_MAX} or with more than
 * {@link IngestLimits#FIELDS_MAX} fields, or with a stray quote, is still consumed to its end and
 * flagged ({@link #defect}) so the caller can report it with its line and go on.
 */
final class CsvRecordReader {
    private final InputStream in;
    private final byte[] buf = new byte[IngestLimits.READ_BUFFER_BYTES];
    private int pos, lim;
    private boolean eof;

    final byte[] rec = new byte[IngestLimits.RECORD_BYTES_MAX];
    private int len;
    final int[] start = new int[IngestLimits.FIELDS_MAX];
    final int[] end = new int[IngestLimits.FIELDS_MAX];
    final boolean[] quoted = new boolean[IngestLimits.FIELDS_MAX];
    int fields;
    private int fieldStart;
    private boolean fieldQuoted;
    /** Null when the record is well-formed, else what is wrong with it. */
    String defect;
    /** 1-based line on which the current record starts. */
    long line;
    private long nextLine = 1;
    long bytesRead;

    CsvRecordReader(InputStream in) { this.in = in; }

    private int read() throws IOException {
        if (pos == lim) {
            if (eof) return -1;
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                eof = true;
                return -1;
            }
            bytesRead += n;
            pos = 0;
            lim = n;
        }
        return buf[pos++] & 0xFF;
    }

    private int peek() throws IOException {
        int b = read();
        if (b >= 0) pos--;
        return b;
    }

    private void put(int b) {
        if (len < rec.length) rec[len++] = (byte) b;
        else if (defect == null) defect = "record longer than " + IngestLimits.RECORD_BYTES_MAX + " bytes (RECORD_BYTES_MAX)";
    }

    private void endField() {
        if (fields < start.length) {
            start[fields] = fieldStart;
            end[fields] = len;
            quoted[fields] = fieldQuoted;
        } else if (defect == null) {
            defect = "more than " + IngestLimits.FIELDS_MAX + " fields (FIELDS_MAX)";
        }
        fields++;
        fieldStart = len;
        fieldQuoted = false;
    }

    /** Reads the next record; false at the end of input. Blank lines are skipped. */
    boolean next() throws IOException {
        while (true) {
            len = 0;
            fields = 0;
            fieldStart = 0;
            fieldQuoted = false;
            defect = null;
            line = nextLine;
            int b = read();
            if (b < 0) return false;
            boolean inQuotes = false, afterQuote = false;
            while (true) {
                if (b < 0) {
                    if (inQuotes && defect == null) defect = "unterminated quoted field";
                    endField();
                    break;
                }
                if (inQuotes) {
                    if (b == '"') {
                        if (peek() == '"') {
                            read();
                            put('"');
                        } else {
                            inQuotes = false;
                            afterQuote = true;
                        }
                    } else {
                        if (b == '\n') nextLine++;
                        put(b);
                    }
                } else if (b == ',') {
                    endField();
                    afterQuote = false;
                } else if (b == '\n' || (b == '\r' && peek() == '\n')) {
                    if (b == '\r') read();
                    nextLine++;
                    endField();
                    break;
                } else if (b == '"' && len == fieldStart && !afterQuote && !fieldQuoted) {
                    inQuotes = true;
                    fieldQuoted = true;
                } else {
                    if ((afterQuote || b == '"') && defect == null) defect = "stray quote in field " + (fields + 1);
                    put(b);
                    // Fast path: the ordinary bytes that follow are copied straight from the read buffer.
                    int p = pos;
                    while (p < lim) {
                        byte c = buf[p];
                        if (c == ',' || c == '\n' || c == '\r' || c == '"') break;
                        p++;
                    }
                    int n = p - pos;
                    if (n > 0) {
                        if (afterQuote && defect == null) defect = "stray quote in field " + (fields + 1);
                        int fit = Math.min(n, rec.length - len);
                        System.arraycopy(buf, pos, rec, len, fit);
                        len += fit;
                        if (fit < n && defect == null) defect = "record longer than " + IngestLimits.RECORD_BYTES_MAX + " bytes (RECORD_BYTES_MAX)";
                        pos = p;
                    }
                }
                b = read();
            }
            if (fields == 1 && end[0] == start[0] && !quoted[0] && defect == null) continue; // blank line
            return true;
        }
    }

    int length(int f) { return end[f] - start[f]; }

    String text(int f) { return new String(rec, start[f], end[f] - start[f], java.nio.charset.StandardCharsets.ISO_8859_1); }
}
