package io.quire.windows.pricing;

import io.quire.core.QuireException;
import io.quire.windows.calendar.Session;
import io.quire.windows.slots.AggWindow;

import java.util.List;

/**
 * OHLCV + trade count + VWAP for the 1m … 4h windows, anchored at the source minute.
 *
 * <p><b>Windows</b>: a window of k minutes is a bucket of the session aligned to its open: the
 * source minute with {@code minute_seq} m (1-based) belongs to bucket {@code (m − 1) / k}, which
 * covers minute_seq {@code [b·k + 1, min(b·k + k, session minutes)]} — clipped at the close, so the
 * 4h windows of a full day are 09:30–13:30 and 13:30–16:00, and of a 13:00 early close 09:30–13:00.
 * Each source minute's {@code aggs_*} slot refers to the window that covers it; the window is
 * complete (and may be written) once every minute of it has its {@code trade_ref}.
 *
 * <p><b>Math</b>: open = first trade's price, close = last (trades in timestamp order; ties keep
 * input order), high/low = max/min, volume = Σ size, VWAP = Σ price·size / Σ size (the plain mean
 * of prices when every size is 0), count = trades. A window without trades has no bar.
 */
public final class Aggregates {
    private Aggregates() {}

    /** Minutes in {@code w}. */
    public static int minutes(AggWindow w) {
        return switch (w) {
            case M1 -> 1;
            case M5 -> 5;
            case M10 -> 10;
            case M30 -> 30;
            case H1 -> 60;
            case H4 -> 240;
        };
    }

    /** The minutes (minute_idx, inclusive) of the window of kind {@code w} that covers {@code minuteIdx}. */
    public record Bucket(AggWindow window, int firstMinuteIdx, int lastMinuteIdx, long startTsNs) {
        public int minutes() { return lastMinuteIdx - firstMinuteIdx + 1; }
    }

    public static Bucket bucket(AggWindow w, Session session, int minuteIdx) {
        if (!session.containsMinute(minuteIdx)) throw QuireException.invalid("minute_idx " + minuteIdx + " is not in session " + session.date());
        int k = minutes(w);
        int seq0 = minuteIdx - session.firstMinuteIdx();
        int first0 = seq0 / k * k;
        int last0 = Math.min(first0 + k - 1, session.minutes() - 1);
        long start = (session.openUtc().getEpochSecond() + 60L * first0) * 1_000_000_000L;
        return new Bucket(w, session.firstMinuteIdx() + first0, session.firstMinuteIdx() + last0, start);
    }

    /** The bar of {@code trades} (timestamp order) for {@code bucket}, or null when there are none. */
    public static Bar bar(Bucket bucket, List<TradeTick> trades) {
        if (trades.isEmpty()) return null;
        double open = trades.getFirst().price(), close = trades.getLast().price();
        double high = Double.NEGATIVE_INFINITY, low = Double.POSITIVE_INFINITY, vol = 0, pv = 0, psum = 0;
        long prevTs = Long.MIN_VALUE;
        for (TradeTick t : trades) {
            if (t.tsNs() < prevTs) throw QuireException.invalid("trades are not in timestamp order at " + t.tsNs());
            prevTs = t.tsNs();
            if (!(t.price() > 0) || !Double.isFinite(t.price()) || !(t.size() >= 0) || !Double.isFinite(t.size())) {
                throw QuireException.invalid("trade at " + t.tsNs() + " has price " + t.price() + " size " + t.size());
            }
            high = Math.max(high, t.price());
            low = Math.min(low, t.price());
            vol += t.size();
            pv += t.price() * t.size();
            psum += t.price();
        }
        double vwap = vol > 0 ? pv / vol : psum / trades.size();
        return new Bar(bucket.window(), bucket.startTsNs(), bucket.firstMinuteIdx(), bucket.lastMinuteIdx(), open, high, low, close, vol, trades.size(), vwap);
    }
}
