package io.quire.windows.ingest;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams the rows of one Polygon/Massive flat file: gzipped CSV (or plain CSV when the name does
 * not end in {@code .gz}) with a header line.
 *
 * <ul>
 *   <li><b>Header</b>: columns by name, case-insensitively, trimmed, in any order; a UTF-8 BOM is
 *       skipped; unknown columns are ignored. A missing required column, a repeated column or an
 *       empty file is fatal: INVALID_INPUT ({@code flatfile_header}) naming the file and the
 *       column, before any row is read.</li>
 *   <li><b>Rows</b>: a malformed row (wrong field count, a required field empty, a number that
 *       does not parse or is out of range, a bad ticker or option ticker, a stray quote, too long)
 *       is counted and reported as a {@link RowProblem} with file, line and column — never
 *       silently dropped, never fatal to the file. The first
 *       {@link IngestLimits#PROBLEM_SAMPLES_MAX} are kept, all are counted.</li>
 *   <li><b>Memory</b>: one read buffer and one record buffer per file, whatever its size; a ticker
 *       equal to the previous row's reuses its String.</li>
 *   <li><b>Damage</b>: a gzip stream that is corrupt or ends early is INTEGRITY
 *       ({@code flatfile_truncated}) naming file and line; rows before it were already returned.</li>
 * </ul>
 */
public final class FlatFileReader implements Closeable {
    private final String file;
    private final FlatFileKind kind;
    private final InputStream in;
    private final CsvRecordReader csv;
    private final int headerFields;
    private final int[] col; // index by Col ordinal → field index, −1 when absent
    private final List<RowProblem> samples = new ArrayList<>();
    private long malformedTotal;
    private long rows;
    private byte[] lastTicker = new byte[0];
    private String lastTickerString = "";

    /** Column ids across both kinds; the order is irrelevant. */
    private enum Col {
        TICKER("ticker"), CONDITIONS("conditions"), CORRECTION("correction"), EXCHANGE("exchange"), ID("id"), PARTICIPANT_TS("participant_timestamp"),
        PRICE("price"), SEQUENCE("sequence_number"), SIP_TS("sip_timestamp"), SIZE("size"), TAPE("tape"), TRF_ID("trf_id"), TRF_TS("trf_timestamp"),
        ASK_EXCHANGE("ask_exchange"), ASK_PRICE("ask_price"), ASK_SIZE("ask_size"), BID_EXCHANGE("bid_exchange"), BID_PRICE("bid_price"),
        BID_SIZE("bid_size"), INDICATORS("indicators");

        final String name;

        Col(String name) { this.name = name; }
    }

    private FlatFileReader(String file, FlatFileKind kind, InputStream in) throws IOException {
        this.file = file;
        this.kind = kind;
        this.in = in;
        this.csv = new CsvRecordReader(in);
        if (!csv.next()) throw header("the file is empty; expected a header line with " + kind.required());
        if (csv.defect != null) throw header("header line: " + csv.defect);
        headerFields = csv.fields;
        Map<String, Integer> names = new HashMap<>();
        for (int f = 0; f < csv.fields; f++) {
            String n = csv.text(f);
            if (f == 0 && n.startsWith("\u00EF\u00BB\u00BF")) n = n.substring(3); // UTF-8 BOM read as ISO-8859-1
            n = n.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) throw header("header column " + (f + 1) + " is empty");
            if (names.put(n, f) != null) throw header("header names column '" + n + "' twice");
        }
        col = new int[Col.values().length];
        Arrays.fill(col, -1);
        for (Col c : Col.values()) {
            if (kind.required().contains(c.name) || kind.optional().contains(c.name)) col[c.ordinal()] = names.getOrDefault(c.name, -1);
        }
        for (String r : kind.required()) {
            if (!names.containsKey(r)) throw header("required column '" + r + "' is missing from the header of this " + kind.name().toLowerCase(Locale.ROOT)
                    + " file (columns: " + names.keySet().stream().sorted().toList() + ")");
        }
    }

    /** Opens {@code path}: gzip when its name ends in {@code .gz}. NOT_FOUND when missing. */
    public static FlatFileReader open(Path path, FlatFileKind kind) {
        InputStream raw = null;
        try {
            raw = Files.newInputStream(path);
            InputStream in = path.getFileName().toString().endsWith(".gz")
                    ? new GZIPInputStream(raw, IngestLimits.READ_BUFFER_BYTES) : new BufferedInputStream(raw, IngestLimits.READ_BUFFER_BYTES);
            return new FlatFileReader(path.toString(), kind, in);
        } catch (NoSuchFileException e) {
            throw QuireException.notFound("flat file " + path + " does not exist");
        } catch (ZipException | EOFException e) {
            close(raw);
            throw new QuireException(io.quire.core.ErrorKind.INTEGRITY, "flat file " + path + " is not a valid gzip stream: " + e.getMessage(),
                    Where.file(path.toString(), -1), e).withCode("flatfile_truncated");
        } catch (IOException e) {
            close(raw);
            throw QuireException.io("cannot read flat file " + path + ": " + e.getMessage(), Where.file(path.toString(), -1), e);
        } catch (RuntimeException e) {
            close(raw);
            throw e;
        }
    }

    /** Reads from a stream (already decompressed); {@code name} names it in messages. */
    public static FlatFileReader open(String name, InputStream in, FlatFileKind kind) {
        try {
            return new FlatFileReader(name, kind, in);
        } catch (IOException e) {
            throw QuireException.io("cannot read flat file " + name + ": " + e.getMessage(), Where.file(name, -1), e);
        }
    }

    public FlatFileKind kind() { return kind; }

    public String file() { return file; }

    /** Which optional columns the header has (for reports). */
    public boolean hasColumn(String name) {
        for (Col c : Col.values()) if (c.name.equals(name)) return col[c.ordinal()] >= 0;
        return false;
    }

    /** The next well-formed row (a {@link TradeRow} or {@link QuoteRow}), or null at the end. Malformed rows are recorded and skipped. */
    public FlatRow next() {
        try {
            while (csv.next()) {
                if (csv.defect != null) {
                    problem(csv.line, null, csv.defect);
                    continue;
                }
                if (csv.fields != headerFields) {
                    problem(csv.line, null, csv.fields + " fields; the header has " + headerFields);
                    continue;
                }
                try {
                    FlatRow r = kind == FlatFileKind.TRADES ? trade() : quote();
                    rows++;
                    return r;
                } catch (BadField b) {
                    problem(csv.line, b.column, b.getMessage());
                }
            }
            return null;
        } catch (ZipException | EOFException e) {
            throw new QuireException(io.quire.core.ErrorKind.INTEGRITY, "flat file " + file + " is cut short or corrupt after line " + csv.line
                    + " (" + csv.bytesRead + " bytes decompressed): " + e.getMessage() + "; the rows before it were read", Where.file(file, -1), e)
                    .withCode("flatfile_truncated");
        } catch (IOException e) {
            throw QuireException.io("cannot read flat file " + file + " after line " + csv.line + ": " + e.getMessage(), Where.file(file, -1), e);
        }
    }

    /** Well-formed rows returned so far. */
    public long rows() { return rows; }

    /** Malformed rows so far (all of them). */
    public long malformedTotal() { return malformedTotal; }

    /** The first {@link IngestLimits#PROBLEM_SAMPLES_MAX} malformed rows. */
    public List<RowProblem> problemSamples() { return List.copyOf(samples); }

    /** Records a problem found by a caller (the partitioner: order) under the same bound. */
    void problem(long line, String column, String message) {
        malformedTotal++;
        if (samples.size() < IngestLimits.PROBLEM_SAMPLES_MAX) samples.add(new RowProblem(file, line, column, message));
    }

    @Override
    public void close() {
        close(in);
    }

    private static void close(InputStream s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // Reading only: nothing is lost by a failed close.
        }
    }

    private QuireException header(String message) {
        return QuireException.invalid("flat file " + file + ": " + message).withCode("flatfile_header");
    }

    // ---- row decoding -------------------------------------------------------------------------

    private static final class BadField extends RuntimeException {
        final String column;

        BadField(String column, String message) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    private int field(Col c) { return col[c.ordinal()]; }

    private boolean empty(Col c) {
        int f = field(c);
        return f < 0 || csv.length(f) == 0;
    }

    private String ticker() {
        int f = field(Col.TICKER);
        int s = csv.start[f], e = csv.end[f], n = e - s;
        if (n == 0) throw new BadField("ticker", "ticker is empty");
        if (n > IngestLimits.TICKER_BYTES_MAX) throw new BadField("ticker", "ticker is " + n + " bytes; the limit is " + IngestLimits.TICKER_BYTES_MAX);
        if (Arrays.equals(csv.rec, s, e, lastTicker, 0, lastTicker.length)) return lastTickerString;
        for (int i = s; i < e; i++) {
            int b = csv.rec[i] & 0xFF;
            if (b < 0x21 || b > 0x7E) throw new BadField("ticker", "ticker '" + FieldParse.str(csv.rec, s, e) + "' has a byte 0x" + Integer.toHexString(b) + " outside printable ASCII");
        }
        String t = new String(csv.rec, s, n, StandardCharsets.US_ASCII);
        if (OptionTicker.isOption(t) && OptionTicker.tryParse(t).isEmpty()) {
            throw new BadField("ticker", "'" + t + "' starts with O: but is not an option ticker (O:<root><YYMMDD><C|P><strike×1000, 8 digits>)");
        }
        lastTicker = Arrays.copyOfRange(csv.rec, s, e);
        lastTickerString = t;
        return t;
    }

    private long reqLong(Col c, long min) {
        int f = field(c);
        long v;
        try {
            v = FieldParse.parseLong(csv.rec, csv.start[f], csv.end[f], c.name);
        } catch (FieldParse.Bad b) {
            throw new BadField(c.name, b.getMessage());
        }
        if (v < min) throw new BadField(c.name, c.name + " " + v + " is below " + min);
        return v;
    }

    private long optLong(Col c, long min) { return empty(c) ? Rows.ABSENT_LONG : reqLong(c, min); }

    /** An optional timestamp: empty or 0 (how "not set" is sometimes written) is absent; negative is malformed. */
    private long optTs(Col c) {
        if (empty(c)) return Rows.ABSENT_LONG;
        long v = reqLong(c, 0);
        return v == 0 ? Rows.ABSENT_LONG : v;
    }

    private int optInt(Col c) {
        if (empty(c)) return Rows.ABSENT_INT;
        long v = reqLong(c, 0);
        if (v > Integer.MAX_VALUE) throw new BadField(c.name, c.name + " " + v + " is above " + Integer.MAX_VALUE);
        return (int) v;
    }

    private double reqDouble(Col c, boolean positive) {
        int f = field(c);
        double v;
        try {
            v = FieldParse.parseDouble(csv.rec, csv.start[f], csv.end[f], c.name);
        } catch (FieldParse.Bad b) {
            throw new BadField(c.name, b.getMessage());
        }
        if (positive ? !(v > 0) : !(v >= 0)) throw new BadField(c.name, c.name + " " + v + (positive ? " must be > 0" : " must be ≥ 0"));
        return v;
    }

    private int[] list(Col c) {
        if (empty(c)) return Rows.NO_CODES;
        int f = field(c);
        try {
            return FieldParse.parseList(csv.rec, csv.start[f], csv.end[f], c.name);
        } catch (FieldParse.Bad b) {
            throw new BadField(c.name, b.getMessage());
        }
    }

    private String optText(Col c, int max) {
        if (empty(c)) return "";
        int f = field(c);
        if (csv.length(f) > max) throw new BadField(c.name, c.name + " is " + csv.length(f) + " bytes; the limit is " + max);
        for (int i = csv.start[f]; i < csv.end[f]; i++) {
            int b = csv.rec[i] & 0xFF;
            if (b < 0x20 || b > 0x7E) throw new BadField(c.name, c.name + " has a byte 0x" + Integer.toHexString(b) + " outside printable ASCII");
        }
        return csv.text(f);
    }

    private TradeRow trade() {
        String ticker = ticker();
        long sip = reqLong(Col.SIP_TS, 1);
        double price = reqDouble(Col.PRICE, true);
        double size = reqDouble(Col.SIZE, false);
        return new TradeRow(ticker, sip, optTs(Col.PARTICIPANT_TS), price, size, optInt(Col.EXCHANGE), list(Col.CONDITIONS),
                optInt(Col.CORRECTION), optText(Col.ID, IngestLimits.TRADE_ID_BYTES_MAX), optLong(Col.SEQUENCE, 0), optInt(Col.TAPE),
                optInt(Col.TRF_ID), optTs(Col.TRF_TS), csv.line);
    }

    private QuoteRow quote() {
        String ticker = ticker();
        long sip = reqLong(Col.SIP_TS, 1);
        return new QuoteRow(ticker, sip, optTs(Col.PARTICIPANT_TS), reqDouble(Col.BID_PRICE, false), reqDouble(Col.BID_SIZE, false),
                optInt(Col.BID_EXCHANGE), reqDouble(Col.ASK_PRICE, false), reqDouble(Col.ASK_SIZE, false), optInt(Col.ASK_EXCHANGE),
                list(Col.CONDITIONS), list(Col.INDICATORS), optLong(Col.SEQUENCE, 0), optInt(Col.TAPE), optTs(Col.TRF_TS), csv.line);
    }
}
