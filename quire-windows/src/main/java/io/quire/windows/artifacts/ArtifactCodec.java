package io.quire.windows.artifacts;

import io.quire.core.QuireException;
import io.quire.windows.ingest.FlatRow;
import io.quire.windows.ingest.QuoteRow;
import io.quire.windows.ingest.Rows;
import io.quire.windows.ingest.TradeRow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frame body (encoding 1): the rows of one symbol-minute stored column by column, each column
 * delta- or offset-encoded as LEB128 varints (zigzag for signed values). Columns, in order:
 *
 * <pre>
 * trades: sip_ts, participant_ts, price, size, exchange, conditions, correction, id, sequence, tape, trf_id, trf_ts
 * quotes: sip_ts, participant_ts, bid_price, bid_size, bid_exchange, ask_price, ask_size, ask_exchange,
 *         conditions, indicators, sequence, tape, trf_ts
 *
 * sip_ts         zigzag(v[0] − first_sip_ts), then zigzag(v[i] − v[i−1])
 * OPTIONAL cols  a presence byte: 0 = absent in every row, 1 = present in every row,
 *                2 = a bitmap of ⌈rows/8⌉ bytes follows (bit i%8 of byte i/8 set = row i present);
 *                then the values of the present rows only:
 *   participant_ts, trf_ts   zigzag(v − sip_ts of the row)
 *   exchange, correction, tape, trf_id, bid/ask_exchange   varint(v), v ≥ 0
 *   sequence                 zigzag(v − previous present value), the first against 0
 * DECIMAL cols   a scale byte s: 0..9 → every value is exactly k/10^s with |k| &lt; 2^53, and
 *                zigzag(k[i] − k[i−1]) follows (the first against 0);
 *                255 → raw IEEE-754 f64, 8 bytes little-endian each
 * CODES cols     per row: varint(count ≤ 32), then count varints
 * TEXT col (id)  per row: varint(length ≤ 64), then the ASCII bytes ("" = absent)
 * </pre>
 *
 * A decimal is stored exactly: the scale is accepted only if {@code k / 10^s} gives back the very
 * same double bits, so decode(encode(rows)) equals rows.
 */
final class ArtifactCodec {
    private ArtifactCodec() {}

    static final int SCALE_RAW = 255;
    static final int SCALE_MAX = 9;
    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

    // ---- writing -------------------------------------------------------------------------

    static final class Sink {
        byte[] b = new byte[256];
        int n;

        void room(int k) {
            if (n + k > b.length) {
                if ((long) n + k > ArtifactLimits.FRAME_BYTES_MAX) {
                    throw QuireException.invalid("a frame would exceed " + ArtifactLimits.FRAME_BYTES_MAX + " bytes (FRAME_BYTES_MAX)").withCode("frame_too_large");
                }
                long want = Math.min(Math.max((long) b.length * 2, (long) n + k), ArtifactLimits.FRAME_BYTES_MAX);
                b = Arrays.copyOf(b, (int) want);
            }
        }

        void u8(int v) {
            room(1);
            b[n++] = (byte) v;
        }

        void varint(long v) {
            room(10);
            while ((v & ~0x7FL) != 0) {
                b[n++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            b[n++] = (byte) v;
        }

        void zigzag(long v) { varint((v << 1) ^ (v >> 63)); }

        void i32(int v) {
            room(4);
            b[n++] = (byte) v;
            b[n++] = (byte) (v >>> 8);
            b[n++] = (byte) (v >>> 16);
            b[n++] = (byte) (v >>> 24);
        }

        void i64(long v) {
            i32((int) v);
            i32((int) (v >>> 32));
        }

        void bytes(byte[] x) {
            room(x.length);
            System.arraycopy(x, 0, b, n, x.length);
            n += x.length;
        }
    }

    /** The whole frame for {@code rows} (non-empty, SIP-timestamp order not required). */
    static byte[] encodeFrame(ArtifactKind kind, String symbol, int minuteIdx, List<? extends FlatRow> rows) {
        checkArgs(kind, symbol, minuteIdx, rows);
        int n = rows.size();
        long first = rows.getFirst().sipTs(), last = first;
        for (FlatRow r : rows) {
            first = Math.min(first, r.sipTs());
            last = Math.max(last, r.sipTs());
        }
        byte[] sym = symbol.getBytes(StandardCharsets.US_ASCII);
        Sink s = new Sink();
        s.bytes(ArtifactLayout.FRAME_MAGIC);
        s.i32(0); // frame_bytes, patched below
        s.u8(kind.code());
        s.u8(ArtifactLayout.ENCODING_V1);
        s.u8(0);
        s.u8(0);
        s.i32(minuteIdx);
        s.i32(n);
        s.i64(first);
        s.i64(last);
        s.u8(sym.length);
        s.bytes(sym);
        long[] sip = new long[n];
        for (int i = 0; i < n; i++) sip[i] = rows.get(i).sipTs();
        long prev = first;
        for (long v : sip) {
            s.zigzag(v - prev);
            prev = v;
        }
        if (kind == ArtifactKind.TRADES) {
            List<TradeRow> t = cast(rows, TradeRow.class);
            relative(s, t.stream().mapToLong(TradeRow::participantTs).toArray(), sip);
            decimal(s, t.stream().mapToDouble(TradeRow::price).toArray());
            decimal(s, t.stream().mapToDouble(TradeRow::size).toArray());
            small(s, t.stream().mapToInt(TradeRow::exchange).toArray());
            for (TradeRow r : t) codes(s, r.conditions());
            small(s, t.stream().mapToInt(TradeRow::correction).toArray());
            for (TradeRow r : t) text(s, r.id());
            sequence(s, t.stream().mapToLong(TradeRow::sequence).toArray());
            small(s, t.stream().mapToInt(TradeRow::tape).toArray());
            small(s, t.stream().mapToInt(TradeRow::trfId).toArray());
            relative(s, t.stream().mapToLong(TradeRow::trfTs).toArray(), sip);
        } else {
            List<QuoteRow> q = cast(rows, QuoteRow.class);
            relative(s, q.stream().mapToLong(QuoteRow::participantTs).toArray(), sip);
            decimal(s, q.stream().mapToDouble(QuoteRow::bidPrice).toArray());
            decimal(s, q.stream().mapToDouble(QuoteRow::bidSize).toArray());
            small(s, q.stream().mapToInt(QuoteRow::bidExchange).toArray());
            decimal(s, q.stream().mapToDouble(QuoteRow::askPrice).toArray());
            decimal(s, q.stream().mapToDouble(QuoteRow::askSize).toArray());
            small(s, q.stream().mapToInt(QuoteRow::askExchange).toArray());
            for (QuoteRow r : q) codes(s, r.conditions());
            for (QuoteRow r : q) codes(s, r.indicators());
            sequence(s, q.stream().mapToLong(QuoteRow::sequence).toArray());
            small(s, q.stream().mapToInt(QuoteRow::tape).toArray());
            relative(s, q.stream().mapToLong(QuoteRow::trfTs).toArray(), sip);
        }
        s.room(4);
        int total = s.n + 4;
        if (total > ArtifactLimits.FRAME_BYTES_MAX) {
            throw QuireException.invalid("the frame of " + symbol + " minute " + minuteIdx + " would be " + total + " bytes; the limit is "
                    + ArtifactLimits.FRAME_BYTES_MAX + " (FRAME_BYTES_MAX)").withCode("frame_too_large");
        }
        byte[] b = s.b;
        b[4] = (byte) total;
        b[5] = (byte) (total >>> 8);
        b[6] = (byte) (total >>> 16);
        b[7] = (byte) (total >>> 24);
        s.i32(ArtifactLayout.crc(b, 0, s.n));
        return Arrays.copyOf(s.b, s.n);
    }

    private static void checkArgs(ArtifactKind kind, String symbol, int minuteIdx, List<? extends FlatRow> rows) {
        if (rows.isEmpty()) throw QuireException.invalid("a frame needs at least one row");
        if (rows.size() > ArtifactLimits.ROWS_PER_FRAME_MAX) {
            throw QuireException.invalid(rows.size() + " rows in one frame; the limit is " + ArtifactLimits.ROWS_PER_FRAME_MAX + " (ROWS_PER_FRAME_MAX)");
        }
        if (minuteIdx < 0) throw QuireException.invalid("minute_idx " + minuteIdx + " is negative");
        int len = symbol.length();
        if (len < 1 || len > ArtifactLimits.SYMBOL_BYTES_MAX || symbol.chars().anyMatch(c -> c < 0x21 || c > 0x7E)) {
            throw QuireException.invalid("symbol '" + symbol + "' must be 1.." + ArtifactLimits.SYMBOL_BYTES_MAX + " printable ASCII characters without spaces");
        }
        Class<?> want = kind == ArtifactKind.TRADES ? TradeRow.class : QuoteRow.class;
        for (FlatRow r : rows) {
            if (!want.isInstance(r)) throw QuireException.invalid("a " + kind.label() + " frame cannot hold a " + r.getClass().getSimpleName());
            if (!r.ticker().equals(symbol)) throw QuireException.invalid("row of " + r.ticker() + " in the frame of " + symbol);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<? extends FlatRow> rows, Class<T> c) { return (List<T>) rows; }

    private static void presence(Sink s, boolean[] present) {
        int count = 0;
        for (boolean p : present) if (p) count++;
        if (count == 0) s.u8(0);
        else if (count == present.length) s.u8(1);
        else {
            s.u8(2);
            byte[] bits = new byte[(present.length + 7) / 8];
            for (int i = 0; i < present.length; i++) if (present[i]) bits[i >> 3] |= (byte) (1 << (i & 7));
            s.bytes(bits);
        }
    }

    private static void relative(Sink s, long[] v, long[] sip) {
        boolean[] p = new boolean[v.length];
        for (int i = 0; i < v.length; i++) p[i] = v[i] != Rows.ABSENT_LONG;
        presence(s, p);
        for (int i = 0; i < v.length; i++) if (p[i]) s.zigzag(v[i] - sip[i]);
    }

    private static void sequence(Sink s, long[] v) {
        boolean[] p = new boolean[v.length];
        for (int i = 0; i < v.length; i++) p[i] = v[i] != Rows.ABSENT_LONG;
        presence(s, p);
        long prev = 0;
        for (int i = 0; i < v.length; i++) {
            if (p[i]) {
                s.zigzag(v[i] - prev);
                prev = v[i];
            }
        }
    }

    private static void small(Sink s, int[] v) {
        boolean[] p = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < Rows.ABSENT_INT) throw QuireException.invalid("a small integer column holds " + v[i] + "; values are ≥ 0 or ABSENT_INT");
            p[i] = v[i] != Rows.ABSENT_INT;
        }
        presence(s, p);
        for (int i = 0; i < v.length; i++) if (p[i]) s.varint(v[i]);
    }

    private static void decimal(Sink s, double[] v) {
        int scale = SCALE_RAW;
        outer:
        for (int sc = 0; sc <= SCALE_MAX; sc++) {
            for (double x : v) {
                double k = Math.rint(x * POW10[sc]);
                if (Math.abs(k) >= 0x1p53 || Double.doubleToRawLongBits(k / POW10[sc]) != Double.doubleToRawLongBits(x)) continue outer;
            }
            scale = sc;
            break;
        }
        s.u8(scale);
        if (scale == SCALE_RAW) {
            for (double x : v) s.i64(Double.doubleToRawLongBits(x));
            return;
        }
        long prev = 0;
        for (double x : v) {
            long k = (long) Math.rint(x * POW10[scale]);
            s.zigzag(k - prev);
            prev = k;
        }
    }

    private static void codes(Sink s, int[] c) {
        if (c.length > ArtifactLimits.CODES_PER_ROW_MAX) throw QuireException.invalid(c.length + " codes in a row; the limit is " + ArtifactLimits.CODES_PER_ROW_MAX);
        s.varint(c.length);
        for (int x : c) {
            if (x < 0) throw QuireException.invalid("code " + x + " is negative");
            s.varint(x);
        }
    }

    private static void text(Sink s, String t) {
        byte[] b = t.getBytes(StandardCharsets.US_ASCII);
        if (b.length > ArtifactLimits.TEXT_BYTES_MAX) throw QuireException.invalid("text of " + b.length + " bytes; the limit is " + ArtifactLimits.TEXT_BYTES_MAX);
        s.varint(b.length);
        s.bytes(b);
    }

    // ---- reading -------------------------------------------------------------------------

    /** Thrown for a body that passed its CRC but does not decode: never written by Quire. */
    static final class Malformed extends RuntimeException {
        Malformed(String m) { super(m, null, false, false); }
    }

    static final class Source {
        final byte[] b;
        int p;
        final int end;

        Source(byte[] b, int p, int end) {
            this.b = b;
            this.p = p;
            this.end = end;
        }

        int u8() {
            if (p >= end) throw new Malformed("body ends early at byte " + p);
            return b[p++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = u8();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) return v;
            }
            throw new Malformed("varint longer than 10 bytes at byte " + p);
        }

        long zigzag() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        long i64() {
            if (end - p < 8) throw new Malformed("body ends early at byte " + p);
            long v = ArtifactLayout.i64le(b, p);
            p += 8;
            return v;
        }

        int bounded(long max, String what) {
            long v = varint();
            if (v < 0 || v > max) throw new Malformed(what + " " + v + " exceeds " + max);
            return (int) v;
        }
    }

    /** Decodes a frame already checked by {@link ArtifactLayout#intact}. */
    static ArtifactBatch<? extends FlatRow> decodeFrame(byte[] f, int off, int len) {
        int kindCode = f[off + ArtifactLayout.OFF_KIND_8] & 0xFF;
        ArtifactKind kind = ArtifactKind.ofCode(kindCode);
        if (kind == null) throw new Malformed("unknown kind " + kindCode);
        if ((f[off + ArtifactLayout.OFF_ENCODING_8] & 0xFF) != ArtifactLayout.ENCODING_V1) throw new Malformed("unknown encoding " + (f[off + ArtifactLayout.OFF_ENCODING_8] & 0xFF));
        if (f[off + ArtifactLayout.OFF_RESERVED_16] != 0 || f[off + ArtifactLayout.OFF_RESERVED_16 + 1] != 0) throw new Malformed("reserved bytes are not 0");
        int minute = ArtifactLayout.u32le(f, off + ArtifactLayout.OFF_MINUTE_32);
        int n = ArtifactLayout.u32le(f, off + ArtifactLayout.OFF_ROWS_32);
        long first = ArtifactLayout.i64le(f, off + ArtifactLayout.OFF_FIRST_TS_64), last = ArtifactLayout.i64le(f, off + ArtifactLayout.OFF_LAST_TS_64);
        int symLen = f[off + ArtifactLayout.OFF_SYMBOL_LEN_8] & 0xFF;
        if (minute < 0) throw new Malformed("negative minute_idx " + minute);
        if (n < 1 || n > ArtifactLimits.ROWS_PER_FRAME_MAX) throw new Malformed("row count " + n);
        if (symLen < 1 || symLen > ArtifactLimits.SYMBOL_BYTES_MAX || ArtifactLayout.OFF_SYMBOL + symLen + 4 > len) throw new Malformed("symbol length " + symLen);
        if (first > last) throw new Malformed("first_sip_ts after last_sip_ts");
        String symbol = new String(f, off + ArtifactLayout.OFF_SYMBOL, symLen, StandardCharsets.US_ASCII);
        if (symbol.chars().anyMatch(c -> c < 0x21 || c > 0x7E)) throw new Malformed("symbol is not printable ASCII");
        Source s = new Source(f, off + ArtifactLayout.OFF_SYMBOL + symLen, off + len - 4);
        // Each row needs at least one byte per column: refuse impossible counts before allocating.
        if ((long) n > (s.end - s.p)) throw new Malformed(n + " rows cannot fit " + (s.end - s.p) + " body bytes");
        long[] sip = new long[n];
        long prev = first;
        for (int i = 0; i < n; i++) {
            sip[i] = prev + s.zigzag();
            prev = sip[i];
            if (sip[i] < first || sip[i] > last) throw new Malformed("sip_ts " + sip[i] + " outside [first, last]");
        }
        List<FlatRow> rows = new ArrayList<>(n);
        if (kind == ArtifactKind.TRADES) {
            long[] part = relative(s, n, sip);
            double[] price = decimal(s, n), size = decimal(s, n);
            int[] exch = small(s, n);
            int[][] cond = codes(s, n);
            int[] corr = small(s, n);
            String[] id = new String[n];
            for (int i = 0; i < n; i++) id[i] = text(s);
            long[] seq = sequence(s, n);
            int[] tape = small(s, n), trfId = small(s, n);
            long[] trfTs = relative(s, n, sip);
            for (int i = 0; i < n; i++) {
                rows.add(new TradeRow(symbol, sip[i], part[i], price[i], size[i], exch[i], cond[i], corr[i], id[i], seq[i], tape[i], trfId[i], trfTs[i], 0));
            }
        } else {
            long[] part = relative(s, n, sip);
            double[] bid = decimal(s, n), bidSize = decimal(s, n);
            int[] bidEx = small(s, n);
            double[] ask = decimal(s, n), askSize = decimal(s, n);
            int[] askEx = small(s, n);
            int[][] cond = codes(s, n), ind = codes(s, n);
            long[] seq = sequence(s, n);
            int[] tape = small(s, n);
            long[] trfTs = relative(s, n, sip);
            for (int i = 0; i < n; i++) {
                rows.add(new QuoteRow(symbol, sip[i], part[i], bid[i], bidSize[i], bidEx[i], ask[i], askSize[i], askEx[i], cond[i], ind[i], seq[i], tape[i], trfTs[i], 0));
            }
        }
        if (s.p != s.end) throw new Malformed((s.end - s.p) + " bytes left after the last column");
        return new ArtifactBatch<>(kind, symbol, minute, rows);
    }

    private static boolean[] presence(Source s, int n) {
        int mode = s.u8();
        boolean[] p = new boolean[n];
        switch (mode) {
            case 0 -> { }
            case 1 -> Arrays.fill(p, true);
            case 2 -> {
                for (int i = 0; i < (n + 7) / 8; i++) {
                    int bits = s.u8();
                    for (int j = 0; j < 8 && i * 8 + j < n; j++) p[i * 8 + j] = (bits & (1 << j)) != 0;
                }
            }
            default -> throw new Malformed("presence mode " + mode);
        }
        return p;
    }

    private static long[] relative(Source s, int n, long[] sip) {
        boolean[] p = presence(s, n);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = p[i] ? sip[i] + s.zigzag() : Rows.ABSENT_LONG;
        return v;
    }

    private static long[] sequence(Source s, int n) {
        boolean[] p = presence(s, n);
        long[] v = new long[n];
        long prev = 0;
        for (int i = 0; i < n; i++) {
            if (p[i]) {
                prev += s.zigzag();
                v[i] = prev;
            } else {
                v[i] = Rows.ABSENT_LONG;
            }
        }
        return v;
    }

    private static int[] small(Source s, int n) {
        boolean[] p = presence(s, n);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = p[i] ? s.bounded(Integer.MAX_VALUE, "small integer") : Rows.ABSENT_INT;
        return v;
    }

    private static double[] decimal(Source s, int n) {
        int scale = s.u8();
        double[] v = new double[n];
        if (scale == SCALE_RAW) {
            for (int i = 0; i < n; i++) v[i] = Double.longBitsToDouble(s.i64());
            return v;
        }
        if (scale > SCALE_MAX) throw new Malformed("decimal scale " + scale);
        long prev = 0;
        for (int i = 0; i < n; i++) {
            prev += s.zigzag();
            v[i] = prev / POW10[scale];
        }
        return v;
    }

    private static int[][] codes(Source s, int n) {
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            int c = s.bounded(ArtifactLimits.CODES_PER_ROW_MAX, "codes count");
            if (c == 0) {
                out[i] = Rows.NO_CODES;
                continue;
            }
            int[] x = new int[c];
            for (int j = 0; j < c; j++) x[j] = s.bounded(Integer.MAX_VALUE, "code");
            out[i] = x;
        }
        return out;
    }

    private static String text(Source s) {
        int len = s.bounded(ArtifactLimits.TEXT_BYTES_MAX, "text length");
        if (s.end - s.p < len) throw new Malformed("text runs past the body");
        String t = new String(s.b, s.p, len, StandardCharsets.US_ASCII);
        s.p += len;
        return t;
    }
}
