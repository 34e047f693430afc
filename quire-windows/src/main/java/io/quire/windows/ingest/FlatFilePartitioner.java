package io.quire.windows.ingest;

import io.quire.core.QuireException;
import io.quire.windows.calendar.MinuteLookup;
import io.quire.windows.calendar.TradingCalendar;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Splits one flat file into (symbol, minute) groups in one streaming pass.
 *
 * <p>Polygon/Massive files are sorted by ticker, then by SIP timestamp. A group is complete when
 * the next row has another ticker or a later minute, and is then handed to the sink — so memory is
 * one group, never the file. The SIP timestamp decides the minute (it is always present; the
 * participant timestamp is optional). Order is checked, never assumed:
 * <ul>
 *   <li>a row earlier than the previous one but in the same (ticker, minute) group is sorted into
 *       place (counted in {@code reordered});</li>
 *   <li>a row whose group was already handed over (an earlier minute of the same ticker, or a
 *       ticker that sorts before the previous one) cannot be added without rewriting that group:
 *       it is a malformed row "out of order", reported with its line.</li>
 * </ul>
 * Rows outside every session are counted by reason and not grouped. A group larger than
 * {@link IngestLimits#GROUP_ROWS_MAX} is INVALID_INPUT ({@code group_too_large}).
 */
public final class FlatFilePartitioner {
    private FlatFilePartitioner() {}

    @SuppressWarnings("unchecked")
    public static <R extends FlatRow> IngestReport run(FlatFileReader reader, TradingCalendar calendar, SymbolMinuteSink<R> sink) {
        MinuteClock clock = new MinuteClock(calendar);
        Map<MinuteLookup.Reason, Long> outside = new EnumMap<>(MinuteLookup.Reason.class);
        List<R> group = new ArrayList<>();
        String gTicker = null;
        int gMinute = -1;
        long lastTs = Long.MIN_VALUE, partitioned = 0, groups = 0, reordered = 0;
        boolean unsorted = false;
        for (FlatRow row; (row = reader.next()) != null; ) {
            int m = clock.minuteOf(row.sipTs());
            if (m < 0) {
                outside.merge(MinuteClock.reasonOf(m), 1L, Long::sum);
                continue;
            }
            String t = row.ticker();
            boolean sameTicker = t.equals(gTicker);
            if (gTicker != null && (!sameTicker && t.compareTo(gTicker) < 0 || sameTicker && m < gMinute)) {
                reader.problem(row.line(), sameTicker ? "sip_timestamp" : "ticker", "out of order: " + (sameTicker
                        ? "minute " + m + " of " + t + " comes after minute " + gMinute + " was complete"
                        : "ticker " + t + " comes after " + gTicker + " (files are sorted by ticker)") + "; row not used");
                continue;
            }
            if (!sameTicker || m != gMinute) {
                if (!group.isEmpty()) {
                    flush(sink, gTicker, gMinute, group, unsorted);
                    partitioned += group.size();
                    groups++;
                    group = new ArrayList<>();
                }
                gTicker = t;
                gMinute = m;
                unsorted = false;
                lastTs = Long.MIN_VALUE;
            }
            if (row.sipTs() < lastTs) {
                unsorted = true;
                reordered++;
            }
            lastTs = Math.max(lastTs, row.sipTs());
            if (group.size() >= IngestLimits.GROUP_ROWS_MAX) {
                throw QuireException.invalid("flat file " + reader.file() + " line " + row.line() + ": " + t + " has more than " + IngestLimits.GROUP_ROWS_MAX
                        + " rows in minute " + m + " (GROUP_ROWS_MAX)").withCode("group_too_large");
            }
            group.add((R) row);
        }
        if (!group.isEmpty()) {
            flush(sink, gTicker, gMinute, group, unsorted);
            partitioned += group.size();
            groups++;
        }
        return new IngestReport(reader.file(), reader.rows(), partitioned, groups, outside, reordered, reader.malformedTotal(), reader.problemSamples());
    }

    private static <R extends FlatRow> void flush(SymbolMinuteSink<R> sink, String ticker, int minute, List<R> group, boolean unsorted) {
        if (unsorted) group.sort(Comparator.comparingLong(FlatRow::sipTs)); // stable: equal timestamps keep file order
        sink.accept(ticker, minute, group);
    }
}
