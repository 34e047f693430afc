package io.quire.windows.metrics;

import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.regions.MinuteSpans;
import io.quire.windows.slots.RowCursor;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotLedger;
import io.quire.windows.slots.SlotStatus;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * One scan of both slot files at an instant {@code now}: per column, how many slots of the
 * windows the ledger is working on are in each status, and the column's {@code window_lag}.
 *
 * <p><b>The windows scanned (the active windows).</b> A window {@code (symbol, minute)} counts when
 * <ol>
 *   <li>it has ended by {@code now} ({@code start_ts + 60 s <= now}) and lies in the scanned
 *       minute range (default: the whole year);</li>
 *   <li>its symbol has any slot that is not Empty, in either ledger, somewhere in the window's
 *       session: the session is one the pipeline has started for that symbol (the treasury
 *       fan-out or ingest touches every minute of a session it works). A session nobody has
 *       started — a day not ingested yet, a symbol that did not exist that day — is not lag of
 *       any column; it is simply not in the ledger;</li>
 *   <li>the column applies to the symbol: {@code greeks_ref} only to option symbols (the
 *       {@code hasGreeks} predicate); every other column to every symbol.</li>
 * </ol>
 *
 * <p><b>window_lag{column}</b> (seed "Monitoring": minutes since {@code end_ts} but column empty):
 * the whole minutes between {@code now} and the {@code end_ts} of the oldest active window whose
 * column is not Filled (Empty, Pending or Cleared); 0 when every active window is Filled. Every
 * engine writes a payload for every window it completes, also when there is nothing in it (zero
 * rows, zero trades), so a finished session has no Empty slot in a column that applies.
 *
 * <p>Cost: one allocation-free walk ({@code iterSymbol}) per session of each reserved symbol's
 * rows; symbols never written cost nothing (their rows are not mapped). Reading a whole year of a
 * reserved symbol touches its reserved (zero) pages: pass a range to bound it.
 *
 * @param now            the instant the scan measured against
 * @param symbols        symbols scanned (ids {@code 0..symbols-1})
 * @param endedMinutes   windows of the scanned range ended by {@code now}
 * @param activeSessions (symbol, session) pairs with any non-Empty slot among the ended windows
 * @param counts         per column, slots of active windows by status
 * @param lagMinutes     per column, {@code window_lag}
 */
public record WindowsStatus(Instant now, int symbols, int endedMinutes, long activeSessions, Map<SlotKind, long[]> counts,
                            Map<SlotKind, Long> lagMinutes) {

    /** Slots of active windows of {@code column} with {@code status}. */
    public long count(SlotKind column, SlotStatus status) { return counts.get(column)[status.ordinal()]; }

    /** Active windows of {@code column}. */
    public long total(SlotKind column) {
        long t = 0;
        for (long c : counts.get(column)) t += c;
        return t;
    }

    /** The share of {@code column}'s active slots with {@code status}, 0 when there are none. */
    public double ratio(SlotKind column, SlotStatus status) {
        long t = total(column);
        return t == 0 ? 0.0 : (double) count(column, status) / t;
    }

    /** Whether a symbol has option Greeks: an OCC option ticker ({@code O:...}). */
    public static boolean isOptionTicker(String ticker) { return ticker.startsWith("O:"); }

    /**
     * Scans the minutes {@code [fromMinute, toMinute)} of both ledgers (either may be null: its
     * columns are then absent).
     *
     * @param hasGreeks whether {@code greeks_ref} applies to a symbol id
     */
    public static WindowsStatus scan(TradingCalendar cal, SlotLedger trade, SlotLedger enrichment, int symbols, IntPredicate hasGreeks,
                                     int fromMinute, int toMinute, Instant now) {
        if (fromMinute < 0 || toMinute > cal.totalMinutes() || fromMinute > toMinute)
            throw new IllegalArgumentException("minute range [" + fromMinute + ", " + toMinute + ") is outside 0.." + cal.totalMinutes());
        int ended = Math.min(toMinute, MinuteSpans.firstMinuteAtOrAfter(cal, now.minusSeconds(60).plusNanos(1)));
        int from = Math.min(fromMinute, ended);
        SlotLedger[] ledgers = {trade, enrichment};
        SlotKind[][] cols = new SlotKind[2][];
        long[][][] total = new long[2][][];
        long[][][] here = new long[2][][];
        int[][] oldest = new int[2][];
        int[][] oldestHere = new int[2][];
        for (int l = 0; l < 2; l++) {
            if (ledgers[l] == null) continue;
            cols[l] = SlotKind.of(ledgers[l].matrix().kind());
            total[l] = new long[cols[l].length][SlotStatus.values().length];
            here[l] = new long[cols[l].length][SlotStatus.values().length];
            oldest[l] = new int[cols[l].length];
            oldestHere[l] = new int[cols[l].length];
            java.util.Arrays.fill(oldest[l], Integer.MAX_VALUE);
        }
        boolean[] touched = new boolean[1];
        long active = 0;
        List<Session> sessions = cal.sessions();
        for (int s = 0; s < symbols; s++) {
            boolean[] reserved = new boolean[2];
            for (int l = 0; l < 2; l++) reserved[l] = ledgers[l] != null && s < ledgers[l].matrix().symbolsCapacity() && ledgers[l].matrix().isReserved(s);
            if (!reserved[0] && !reserved[1]) continue; // never written: no session of it is active
            boolean greeks = hasGreeks.test(s);
            for (Session sess : sessions) {
                int lo = Math.max(from, sess.firstMinuteIdx()), hi = Math.min(ended, sess.lastMinuteIdx() + 1);
                if (lo >= hi) {
                    if (sess.firstMinuteIdx() >= ended) break;
                    continue;
                }
                touched[0] = false;
                for (int l = 0; l < 2; l++) {
                    if (ledgers[l] == null) continue;
                    for (long[] c : here[l]) java.util.Arrays.fill(c, 0);
                    java.util.Arrays.fill(oldestHere[l], Integer.MAX_VALUE);
                    if (!reserved[l]) {
                        for (long[] c : here[l]) c[SlotStatus.EMPTY.ordinal()] = hi - lo;
                        java.util.Arrays.fill(oldestHere[l], lo);
                        continue;
                    }
                    SlotKind[] cs = cols[l];
                    long[][] h = here[l];
                    int[] o = oldestHere[l];
                    ledgers[l].iterSymbol(s, lo, hi, (RowCursor row) -> {
                        for (int k = 0; k < cs.length; k++) {
                            SlotStatus st = row.status(cs[k]);
                            h[k][st.ordinal()]++;
                            if (st != SlotStatus.EMPTY) touched[0] = true;
                            if (st != SlotStatus.FILLED && row.minuteIdx() < o[k]) o[k] = row.minuteIdx();
                        }
                        return true;
                    });
                }
                if (!touched[0]) continue;
                active++;
                for (int l = 0; l < 2; l++) {
                    if (ledgers[l] == null) continue;
                    for (int k = 0; k < cols[l].length; k++) {
                        if (cols[l][k] == SlotKind.GREEKS_REF && !greeks) continue;
                        for (int st = 0; st < total[l][k].length; st++) total[l][k][st] += here[l][k][st];
                        oldest[l][k] = Math.min(oldest[l][k], oldestHere[l][k]);
                    }
                }
            }
        }
        Map<SlotKind, long[]> counts = new EnumMap<>(SlotKind.class);
        Map<SlotKind, Long> lag = new EnumMap<>(SlotKind.class);
        for (int l = 0; l < 2; l++) {
            if (ledgers[l] == null) continue;
            for (int k = 0; k < cols[l].length; k++) {
                counts.put(cols[l][k], total[l][k]);
                long lagMin = 0;
                if (oldest[l][k] != Integer.MAX_VALUE) {
                    Instant end = cal.minuteStart(oldest[l][k]).plusSeconds(60);
                    lagMin = java.time.Duration.between(end, now).toMinutes();
                }
                lag.put(cols[l][k], lagMin);
            }
        }
        return new WindowsStatus(now, symbols, ended - from, active, counts, lag);
    }
}
