package io.quire.windows.artifacts;

import io.quire.windows.ingest.QuoteRow;
import io.quire.windows.ingest.Rows;
import io.quire.windows.ingest.TradeRow;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Rows derived from a seed, so a child process and the test can agree on a frame's content. */
final class ArtifactSamples {
    private ArtifactSamples() {}

    static final long OPEN = 1_762_957_800_000_000_000L; // 2025-11-12 09:30 New York
    static final int MINUTE0 = 0;

    static List<TradeRow> trades(long seed, String symbol, int minute) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1 + r.nextInt(40);
        long ts = OPEN + minute * 60_000_000_000L + r.nextLong(1_000_000_000L);
        List<TradeRow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ts += r.nextLong(500_000_000L);
            double price = r.nextInt(10) == 0 ? 1 + r.nextDouble() * 100 : (1 + r.nextInt(100_000)) / 100.0; // sometimes not decimal: raw f64 column
            double size = r.nextBoolean() ? 100 * (1 + r.nextInt(5)) : (1 + r.nextInt(99_999)) / 10_000.0;
            int[] cond = switch (r.nextInt(3)) {
                case 0 -> Rows.NO_CODES;
                case 1 -> new int[] {37};
                default -> new int[] {12, 37, r.nextInt(1000)};
            };
            boolean trf = r.nextInt(4) == 0;
            tsCheck(ts);
            out.add(new TradeRow(symbol, ts, r.nextBoolean() ? ts - r.nextLong(1_000_000) : Rows.ABSENT_LONG, price, size, r.nextInt(30), cond,
                    r.nextInt(5) == 0 ? Rows.ABSENT_INT : 0, r.nextBoolean() ? Long.toString(r.nextLong(1L << 50)) : "", r.nextInt(3) == 0 ? Rows.ABSENT_LONG : 1000 + i * 3L,
                    1 + r.nextInt(3), trf ? 201 + r.nextInt(3) : Rows.ABSENT_INT, trf ? ts - r.nextLong(1_000_000) : Rows.ABSENT_LONG, 0));
        }
        return out;
    }

    static List<QuoteRow> quotes(long seed, String symbol, int minute) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1 + r.nextInt(60);
        long ts = OPEN + minute * 60_000_000_000L;
        List<QuoteRow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ts += r.nextLong(900_000_000L);
            long bid = 1 + r.nextInt(50_000);
            out.add(new QuoteRow(symbol, ts, r.nextInt(7) == 0 ? Rows.ABSENT_LONG : ts - r.nextLong(2_000_000), bid / 100.0, 1 + r.nextInt(30), r.nextInt(22),
                    (bid + r.nextInt(5)) / 100.0, 1 + r.nextInt(30), r.nextInt(22), r.nextInt(20) == 0 ? new int[] {1} : Rows.NO_CODES,
                    r.nextInt(50) == 0 ? new int[] {604, 606} : Rows.NO_CODES, 5_000 + i, 3, Rows.ABSENT_LONG, 0));
        }
        return out;
    }

    private static void tsCheck(long ts) {
        if (ts <= 0) throw new IllegalStateException("bad math in ArtifactSamples");
    }
}
