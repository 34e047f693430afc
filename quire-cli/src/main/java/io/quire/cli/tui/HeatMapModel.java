package io.quire.cli.tui;

import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.metrics.WindowsStatus;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The screen state of {@code quire windows tui}, with no terminal in it: which column is shown,
 * the zoom, the cursor (a symbol row and a cell), the scroll offsets, the range selection, and
 * what each visible cell shows. {@link TuiScreen} draws it; tests drive it directly.
 *
 * <p>Cells are "buckets" of market minutes at the current {@link Zoom}; bucket {@code i} covers
 * {@code [start(i), end(i))} in minute_idx. A cell shows the worst status of its minutes
 * ({@link CellStatus}). The cursor keeps its minute across zooms: zooming lands on the bucket that
 * contains the cursor's first minute. A selection is anchored at a minute and runs to the cursor,
 * on the cursor's symbol row, whole buckets at both ends.
 */
public final class HeatMapModel {
    private static final DateTimeFormatter NY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final TradingCalendar calendar;
    private SlotKind column;
    private Zoom zoom = Zoom.MINUTE;
    private int[] starts; // bucket starts of the current zoom; starts[n] = totalMinutes sentinel
    private int cursorRow, cursorCell, topRow, leftCell;
    private int viewRows = 1, viewCells = 1;
    private int anchorMinute = -1;

    public HeatMapModel(TradingCalendar calendar, SlotKind column) {
        this.calendar = calendar;
        this.column = column;
        this.starts = buckets(calendar, zoom);
    }

    // ------------------------------------------------------------------ buckets

    /** Bucket starts for a zoom, plus a final sentinel equal to the year's minute count. */
    static int[] buckets(TradingCalendar cal, Zoom zoom) {
        List<Session> sessions = cal.sessions();
        int[] out = new int[cal.totalMinutes() + 1];
        int n = 0;
        if (zoom.minutesPerCell() > 0) {
            for (Session s : sessions)
                for (int k = 0; k < s.minutes(); k += zoom.minutesPerCell()) out[n++] = s.firstMinuteIdx() + k;
        } else {
            int step = zoom == Zoom.SESSION ? 1 : 5;
            for (int i = 0; i < sessions.size(); i += step) out[n++] = sessions.get(i).firstMinuteIdx();
        }
        out[n++] = cal.totalMinutes();
        return Arrays.copyOf(out, n);
    }

    public int bucketCount() { return starts.length - 1; }

    public int bucketStart(int cell) { return starts[cell]; }

    public int bucketEnd(int cell) { return starts[cell + 1]; }

    /** The bucket containing minute_idx {@code minute}. */
    int bucketOf(int minute) {
        int i = Arrays.binarySearch(starts, 0, starts.length - 1, minute);
        return i >= 0 ? i : -i - 2;
    }

    // ------------------------------------------------------------------ viewport and cursor

    /** The number of symbol rows and cells the screen has room for (at least 1 each). */
    public void viewport(int rows, int cells) {
        viewRows = Math.max(1, rows);
        viewCells = Math.max(1, cells);
        scrollToCursor();
    }

    /** Moves the cursor by whole cells/rows, clamped to the symbols and buckets that exist. */
    public void move(int dRow, int dCell, int symbolCount) {
        cursorRow = clamp(cursorRow + dRow, 0, Math.max(0, symbolCount - 1));
        cursorCell = clamp(cursorCell + dCell, 0, bucketCount() - 1);
        scrollToCursor();
    }

    /** Puts the cursor on a symbol row (e.g. after the {@code s} prompt). */
    public void jumpToSymbol(int symbolId, int symbolCount) {
        cursorRow = clamp(symbolId, 0, Math.max(0, symbolCount - 1));
        scrollToCursor();
    }

    /** Puts the cursor on the cell holding minute_idx {@code minute}. */
    public void jumpToMinute(int minute) {
        cursorCell = bucketOf(clamp(minute, 0, calendar.totalMinutes() - 1));
        scrollToCursor();
    }

    public void zoomOut() { setZoom(zoom.out()); }

    public void zoomIn() { setZoom(zoom.in()); }

    private void setZoom(Zoom z) {
        int minute = bucketStart(cursorCell);
        zoom = z;
        starts = buckets(calendar, z);
        cursorCell = bucketOf(minute);
        // Keep the cursor where it was on screen when possible.
        leftCell = Math.max(0, cursorCell - viewCells / 2);
        scrollToCursor();
    }

    public void column(SlotKind c) { column = c; }

    /** The next column in SlotKind order (the {@code x} key), wrapping. */
    public void nextColumn() { column = SlotKind.values()[(column.ordinal() + 1) % SlotKind.values().length]; }

    private void scrollToCursor() {
        if (cursorRow < topRow) topRow = cursorRow;
        if (cursorRow >= topRow + viewRows) topRow = cursorRow - viewRows + 1;
        if (cursorCell < leftCell) leftCell = cursorCell;
        if (cursorCell >= leftCell + viewCells) leftCell = cursorCell - viewCells + 1;
        leftCell = clamp(leftCell, 0, Math.max(0, bucketCount() - 1));
    }

    private static int clamp(int v, int lo, int hi) { return Math.max(lo, Math.min(hi, v)); }

    // ------------------------------------------------------------------ selection

    /** Starts a selection at the cursor, or ends (drops) the one in progress. */
    public void toggleSelection() { anchorMinute = anchorMinute < 0 ? bucketStart(cursorCell) : -1; }

    public boolean selecting() { return anchorMinute >= 0; }

    public void clearSelection() { anchorMinute = -1; }

    /** The selected minutes {@code [from, to)}: the anchor's bucket through the cursor's, either order. */
    public int[] selectionMinutes() {
        if (anchorMinute < 0) return new int[] {bucketStart(cursorCell), bucketEnd(cursorCell)};
        int a = bucketOf(anchorMinute);
        int lo = Math.min(a, cursorCell), hi = Math.max(a, cursorCell);
        return new int[] {bucketStart(lo), bucketEnd(hi)};
    }

    /** The selection as region instants: first minute's start to the last minute's end. */
    public Instant[] selectionInstants() {
        int[] m = selectionMinutes();
        return new Instant[] {calendar.minuteStart(m[0]), calendar.minuteStart(m[1] - 1).plusSeconds(60)};
    }

    boolean selected(int cell) {
        if (anchorMinute < 0) return false;
        int a = bucketOf(anchorMinute);
        return cell >= Math.min(a, cursorCell) && cell <= Math.max(a, cursorCell);
    }

    // ------------------------------------------------------------------ cells

    /**
     * The statuses of the visible cells: {@code [row][cell]} for symbol rows
     * {@code topRow..} and buckets {@code leftCell..}, NONE past the last symbol or bucket.
     */
    public CellStatus[][] grid(StatusSource src) {
        CellStatus[][] g = new CellStatus[viewRows][viewCells];
        int lastCell = Math.min(bucketCount(), leftCell + viewCells);
        int from = bucketStart(leftCell), to = leftCell < lastCell ? bucketStart(lastCell) : from;
        byte[] codes = new byte[Math.max(0, to - from)];
        for (int r = 0; r < viewRows; r++) {
            Arrays.fill(g[r], CellStatus.NONE);
            int sym = topRow + r;
            if (sym >= src.symbolCount() || to <= from) continue;
            src.statuses(column, sym, from, to, codes);
            for (int c = leftCell; c < lastCell; c++) {
                CellStatus w = CellStatus.NONE;
                for (int m = bucketStart(c); m < bucketEnd(c); m++) w = w.worst(CellStatus.of(SlotStatus.ofCode(codes[m - from])));
                g[r][c - leftCell] = w;
            }
        }
        return g;
    }

    // ------------------------------------------------------------------ lag

    /** Minutes whose end is at or before {@code now} (a prefix of minute_idx). */
    static int minutesEndedBy(TradingCalendar cal, Instant now) {
        int n = 0;
        for (Session s : cal.sessions()) {
            if (!s.closeUtc().isAfter(now)) n = s.firstMinuteIdx() + s.minutes();
            else {
                if (now.isAfter(s.openUtc())) n = s.firstMinuteIdx() + (int) (Duration.between(s.openUtc(), now).toSeconds() / 60);
                break;
            }
        }
        return n;
    }

    /**
     * {@code window_lag} of each column over every symbol for the session holding {@code minute}
     * (the day on screen), with the rule of {@code quire windows status} (docs/WINDOWS.md
     * "Metrics"): a symbol counts once any of its slots that day is not Empty, {@code greeks_ref}
     * only for option tickers; the lag is the minutes from the end of the earliest ended window
     * that is not Filled to {@code now}, 0 when all are Filled. Indexed by {@link SlotKind#ordinal()}.
     */
    public long[] dayLag(StatusSource src, int minute, Instant now) {
        SlotKind[] cols = SlotKind.values();
        long[] out = new long[cols.length];
        Session day = calendar.sessionOfMinute(minute);
        int lo = day.firstMinuteIdx(), hi = Math.min(day.lastMinuteIdx() + 1, minutesEndedBy(calendar, now));
        if (hi <= lo) return out;
        byte[][] codes = new byte[cols.length][hi - lo];
        int[] oldest = new int[cols.length];
        java.util.Arrays.fill(oldest, Integer.MAX_VALUE);
        byte empty = (byte) SlotStatus.EMPTY.code(), filled = (byte) SlotStatus.FILLED.code();
        for (int sym = 0; sym < src.symbolCount(); sym++) {
            boolean touched = false;
            for (SlotKind k : cols) {
                src.statuses(k, sym, lo, hi, codes[k.ordinal()]);
                for (byte c : codes[k.ordinal()]) touched |= c != empty;
            }
            if (!touched) continue; // nothing of this symbol's day written yet: not lag
            boolean option = WindowsStatus.isOptionTicker(src.symbol(sym));
            for (SlotKind k : cols) {
                if (k == SlotKind.GREEKS_REF && !option) continue;
                byte[] c = codes[k.ordinal()];
                for (int i = 0; i < c.length && lo + i < oldest[k.ordinal()]; i++) {
                    if (c[i] != filled) {
                        oldest[k.ordinal()] = lo + i;
                        break;
                    }
                }
            }
        }
        for (SlotKind k : cols) {
            if (oldest[k.ordinal()] == Integer.MAX_VALUE) continue;
            Instant end = calendar.minuteStart(oldest[k.ordinal()]).plusSeconds(60);
            out[k.ordinal()] = Math.max(0, Duration.between(end, now).toMinutes());
        }
        return out;
    }

    // ------------------------------------------------------------------ text

    /** New York wall-clock text of a minute's start, e.g. {@code 2025-01-02 09:30}. */
    public String nyTime(int minute) {
        return NY.format(ZonedDateTime.ofInstant(calendar.minuteStart(minute), TradingCalendar.NEW_YORK));
    }

    /** The header line: column, zoom, the time range on screen, the cursor. */
    public String header(StatusSource src) {
        int last = Math.min(bucketCount(), leftCell + viewCells) - 1;
        String sym = cursorRow < src.symbolCount() ? src.symbol(cursorRow) : "-";
        return "column " + column.column() + " | zoom " + zoom.label() + " | " + nyTime(bucketStart(leftCell)) + " .. "
                + nyTime(bucketEnd(last) - 1) + " NY | cursor " + sym + " " + nyTime(bucketStart(cursorCell))
                + (selecting() ? " | selecting " + nyTime(selectionMinutes()[0]) + " .. " + nyTime(selectionMinutes()[1] - 1) : "");
    }

    /** Labels of the symbol rows on screen. */
    public List<String> rowLabels(StatusSource src) {
        List<String> out = new ArrayList<>(viewRows);
        for (int r = 0; r < viewRows; r++) out.add(topRow + r < src.symbolCount() ? src.symbol(topRow + r) : "");
        return out;
    }

    public TradingCalendar calendar() { return calendar; }

    public SlotKind column() { return column; }

    public Zoom zoom() { return zoom; }

    public int cursorRow() { return cursorRow; }

    public int cursorCell() { return cursorCell; }

    public int topRow() { return topRow; }

    public int leftCell() { return leftCell; }

    public int viewRows() { return viewRows; }

    public int viewCells() { return viewCells; }
}
