package io.quire.windows.metrics;

import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.regions.MinuteSpans;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.RowCursor;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotLedger;
import io.quire.windows.slots.SlotStatus;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * One scan of both slot files at an instant {@code now}: per column, how many slots of the
 * ended windows are in each status and the column's {@code window_lag}.
 *
 * <p><b>window_lag{column}</b> (seed "Monitoring": minutes since {@code end_ts} but column empty):
 * over the symbols of the symbol map and the windows of the year that have ended by {@code now}
 * ({@code start_ts + 60 s <= now}), the whole minutes between {@code now} and the {@code end_ts} of
 * the oldest window whose column is not Filled; 0 when every ended window is Filled. A window
 * counts as empty when its slot is Empty, Pending or Cleared.
 *
 * <p>Cost: one allocation-free walk ({@code iterSymbol}) of {@code symbols × ended minutes} rows
 * per ledger; symbols never written cost nothing (their rows are not mapped).
 *
 * @param now           the instant the scan measured against
 * @param symbols       symbols scanned (ids {@code 0..symbols-1})
 * @param endedMinutes  windows of the year ended by {@code now} ({@code minute_idx 0..endedMinutes-1})
 * @param counts        per column, slots of ended windows by status
 * @param lagMinutes    per column, {@code window_lag}
 */
public record WindowsStatus(Instant now, int symbols, int endedMinutes, Map<SlotKind, long[]> counts, Map<SlotKind, Long> lagMinutes) {

    /** Slots of ended windows of {@code column} with {@code status}. */
    public long count(SlotKind column, SlotStatus status) { return counts.get(column)[status.ordinal()]; }

    /** Slots of ended windows of {@code column}: {@code symbols × endedMinutes}. */
    public long total(SlotKind column) {
        long t = 0;
        for (long c : counts.get(column)) t += c;
        return t;
    }

    /** The share of {@code column}'s ended slots with {@code status}, 0 when there are none. */
    public double ratio(SlotKind column, SlotStatus status) {
        long t = total(column);
        return t == 0 ? 0.0 : (double) count(column, status) / t;
    }

    /** Scans both ledgers (either may be null: its columns are then absent). */
    public static WindowsStatus scan(TradingCalendar cal, SlotLedger trade, SlotLedger enrichment, int symbols, Instant now) {
        int ended = MinuteSpans.firstMinuteAtOrAfter(cal, now.minusSeconds(60).plusNanos(1));
        Map<SlotKind, long[]> counts = new EnumMap<>(SlotKind.class);
        Map<SlotKind, Long> lag = new EnumMap<>(SlotKind.class);
        for (SlotLedger l : new SlotLedger[] {trade, enrichment}) {
            if (l == null) continue;
            LedgerKind kind = l.matrix().kind();
            SlotKind[] cols = SlotKind.of(kind);
            long[][] c = new long[cols.length][SlotStatus.values().length];
            int[] oldest = new int[cols.length];
            java.util.Arrays.fill(oldest, Integer.MAX_VALUE);
            int n = Math.min(symbols, l.matrix().symbolsCapacity());
            for (int s = 0; s < n; s++) {
                if (!l.matrix().isReserved(s)) {
                    // Never written: every ended window is a fresh Empty; the mapping is not touched.
                    for (int k = 0; k < cols.length; k++) {
                        c[k][SlotStatus.EMPTY.ordinal()] += ended;
                        if (ended > 0) oldest[k] = 0;
                    }
                    continue;
                }
                l.iterSymbol(s, 0, ended, (RowCursor row) -> {
                    for (int k = 0; k < cols.length; k++) {
                        SlotStatus st = row.status(cols[k]);
                        c[k][st.ordinal()]++;
                        if (st != SlotStatus.FILLED && row.minuteIdx() < oldest[k]) oldest[k] = row.minuteIdx();
                    }
                    return true;
                });
            }
            for (int k = 0; k < cols.length; k++) {
                counts.put(cols[k], c[k]);
                long lagMin = 0;
                if (oldest[k] != Integer.MAX_VALUE) {
                    Instant end = cal.minuteStart(oldest[k]).plusSeconds(60);
                    lagMin = java.time.Duration.between(end, now).toMinutes();
                }
                lag.put(cols[k], lagMin);
            }
        }
        return new WindowsStatus(now, symbols, ended, counts, lag);
    }
}
