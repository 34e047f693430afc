package io.quire.cli.tui;

import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The TUI's screen model without a terminal: buckets, zoom aggregation, cursor, selection, lag. */
class HeatMapModelTest {
    static final TradingCalendar CAL = TradingCalendar.nyse(2025);

    /** An in-memory source: statuses per column per symbol per minute, all Empty at first. */
    static final class ArraySource implements StatusSource {
        final Map<SlotKind, byte[][]> data = new EnumMap<>(SlotKind.class);
        final String[] symbols;

        ArraySource(String... symbols) {
            this.symbols = symbols;
            for (SlotKind k : SlotKind.values()) data.put(k, new byte[symbols.length][CAL.totalMinutes()]);
        }

        void set(SlotKind k, int sym, int from, int to, SlotStatus s) {
            for (int m = from; m < to; m++) data.get(k)[sym][m] = (byte) s.code();
        }

        @Override public int symbolCount() { return symbols.length; }

        @Override public String symbol(int id) { return symbols[id]; }

        @Override
        public void statuses(SlotKind column, int symbolId, int from, int to, byte[] out) {
            System.arraycopy(data.get(column)[symbolId], from, out, 0, to - from);
        }
    }

    @Test
    void shouldCutBucketsWithinSessionsAtEveryZoom() {
        Session early = CAL.sessions().stream().filter(Session::isEarlyClose).findFirst().orElseThrow();
        for (Zoom z : Zoom.values()) {
            int[] b = HeatMapModel.buckets(CAL, z);
            assertThat(b[0]).isZero();
            assertThat(b[b.length - 1]).isEqualTo(CAL.totalMinutes());
            for (int i = 1; i < b.length; i++) assertThat(b[i]).as("%s bucket %d", z, i).isGreaterThan(b[i - 1]);
            for (int i = 0; i + 1 < b.length; i++) {
                // No bucket crosses a session boundary below the session zooms.
                if (z.minutesPerCell() > 0)
                    assertThat(CAL.sessionOfMinute(b[i]).sessionSeq()).isEqualTo(CAL.sessionOfMinute(b[i + 1] - 1).sessionSeq());
            }
        }
        assertThat(HeatMapModel.buckets(CAL, Zoom.MINUTE)).hasSize(CAL.totalMinutes() + 1);
        assertThat(HeatMapModel.buckets(CAL, Zoom.SESSION)).hasSize(CAL.sessionCount() + 1);
        assertThat(HeatMapModel.buckets(CAL, Zoom.WEEK)).hasSize((CAL.sessionCount() + 4) / 5 + 1);
        // 390/30 = 13 cells a day; an early close (210 minutes) has 7.
        assertThat(HeatMapModel.buckets(CAL, Zoom.THIRTY)).hasSize(13 * (CAL.sessionCount() - 3) + 7 * 3 + 1);
        assertThat(early.minutes()).isEqualTo(210);
    }

    @Test
    void shouldShowTheWorstStatusOfTheMinutesACellCovers() {
        ArraySource src = new ArraySource("AAPL");
        src.set(SlotKind.TRADE_REF, 0, 0, 30, SlotStatus.FILLED);
        src.set(SlotKind.TRADE_REF, 0, 30, 60, SlotStatus.FILLED);
        src.set(SlotKind.TRADE_REF, 0, 40, 41, SlotStatus.PENDING);
        src.set(SlotKind.TRADE_REF, 0, 60, 90, SlotStatus.PENDING);
        src.set(SlotKind.TRADE_REF, 0, 75, 76, SlotStatus.CLEARED);
        HeatMapModel m = new HeatMapModel(CAL, SlotKind.TRADE_REF);
        m.viewport(1, 100);
        CellStatus[] minute = m.grid(src)[0];
        assertThat(minute[0]).isEqualTo(CellStatus.FILLED);
        assertThat(minute[40]).isEqualTo(CellStatus.PENDING);
        assertThat(minute[75]).isEqualTo(CellStatus.CLEARED);
        assertThat(minute[95]).isEqualTo(CellStatus.EMPTY);
        m.zoomOut();
        m.zoomOut(); // 30m
        assertThat(m.zoom()).isEqualTo(Zoom.THIRTY);
        CellStatus[] thirty = m.grid(src)[0];
        assertThat(thirty[0]).isEqualTo(CellStatus.FILLED);   // 0..29 all Filled
        assertThat(thirty[1]).isEqualTo(CellStatus.PENDING);  // one Pending among Filled
        assertThat(thirty[2]).isEqualTo(CellStatus.CLEARED);  // one Cleared beats Pending
        assertThat(thirty[3]).isEqualTo(CellStatus.EMPTY);
        m.zoomOut(); // session: mostly Empty
        assertThat(m.grid(src)[0][0]).isEqualTo(CellStatus.CLEARED);
        // Other columns are independent.
        m.column(SlotKind.GREEKS_REF);
        assertThat(m.grid(src)[0][0]).isEqualTo(CellStatus.EMPTY);
    }

    @Test
    void shouldAgreeWithABruteForceWorstOverRandomData() {
        long seed = Long.getLong("quire.test.seed", System.nanoTime());
        Random rnd = new Random(seed);
        ArraySource src = new ArraySource("A", "B", "C");
        SlotStatus[] all = SlotStatus.values();
        for (int s = 0; s < 3; s++)
            for (int i = 0; i < 400; i++) {
                int from = rnd.nextInt(CAL.totalMinutes() - 50);
                src.set(SlotKind.QUOTE_REF, s, from, from + rnd.nextInt(50), all[rnd.nextInt(all.length)]);
            }
        HeatMapModel m = new HeatMapModel(CAL, SlotKind.QUOTE_REF);
        m.viewport(5, 120);
        for (Zoom z : Zoom.values()) {
            m.jumpToMinute(rnd.nextInt(CAL.totalMinutes()));
            CellStatus[][] g = m.grid(src);
            for (int r = 0; r < 5; r++)
                for (int c = 0; c < 120; c++) {
                    int cell = m.leftCell() + c;
                    CellStatus want = CellStatus.NONE;
                    if (r + m.topRow() < 3 && cell < m.bucketCount())
                        for (int x = m.bucketStart(cell); x < m.bucketEnd(cell); x++)
                            want = want.worst(CellStatus.of(SlotStatus.ofCode(src.data.get(SlotKind.QUOTE_REF)[r][x])));
                    assertThat(g[r][c]).as("seed=%d zoom=%s row=%d cell=%d", seed, z, r, cell).isEqualTo(want);
                }
            m.zoomOut();
        }
    }

    @Test
    void shouldClampTheCursorToSymbolsAndBuckets() {
        HeatMapModel m = new HeatMapModel(CAL, SlotKind.TRADE_REF);
        m.viewport(2, 10);
        m.move(-1, -1, 3);
        assertThat(m.cursorRow()).isZero();
        assertThat(m.cursorCell()).isZero();
        m.move(5, 0, 3);
        assertThat(m.cursorRow()).isEqualTo(2);
        assertThat(m.topRow()).isEqualTo(1); // scrolled so row 2 is visible in 2 rows
        m.move(0, Integer.MAX_VALUE / 2, 3);
        assertThat(m.cursorCell()).isEqualTo(CAL.totalMinutes() - 1);
        assertThat(m.leftCell()).isEqualTo(CAL.totalMinutes() - 10);
        m.move(0, 1, 3);
        assertThat(m.cursorCell()).isEqualTo(CAL.totalMinutes() - 1);
        m.move(0, 0, 0); // no symbols at all
        assertThat(m.cursorRow()).isZero();
    }

    @Test
    void shouldKeepTheCursorMinuteAcrossZooms() {
        HeatMapModel m = new HeatMapModel(CAL, SlotKind.TRADE_REF);
        m.viewport(1, 50);
        int minute = CAL.session(3).firstMinuteIdx() + 47; // session 3, 10:17
        m.jumpToMinute(minute);
        m.zoomOut(); // 5m: 10:15
        assertThat(m.bucketStart(m.cursorCell())).isEqualTo(minute - 2);
        m.zoomOut(); // 30m: 10:00
        assertThat(m.bucketStart(m.cursorCell())).isEqualTo(minute - 17);
        m.zoomOut(); // session
        assertThat(m.bucketStart(m.cursorCell())).isEqualTo(CAL.session(3).firstMinuteIdx());
        m.zoomOut();
        m.zoomOut(); // stays at WEEK
        assertThat(m.zoom()).isEqualTo(Zoom.WEEK);
        assertThat(m.bucketStart(m.cursorCell())).isEqualTo(0);
        for (int i = 0; i < 6; i++) m.zoomIn();
        assertThat(m.zoom()).isEqualTo(Zoom.MINUTE);
        assertThat(m.bucketStart(m.cursorCell())).isEqualTo(0);
    }

    @Test
    void shouldTurnASelectionIntoWholeBucketMinutesInEitherDirection() {
        HeatMapModel m = new HeatMapModel(CAL, SlotKind.TRADE_REF);
        m.viewport(1, 50);
        m.zoomOut(); // 5m
        m.move(0, 3, 1); // 09:45
        m.toggleSelection();
        m.move(0, 2, 1); // 09:55
        assertThat(m.selectionMinutes()).containsExactly(15, 30);
        m.move(0, -4, 1); // 09:35, before the anchor
        assertThat(m.selectionMinutes()).containsExactly(5, 20);
        Instant[] t = m.selectionInstants();
        assertThat(t[0]).isEqualTo(CAL.minuteStart(5));
        assertThat(t[1]).isEqualTo(CAL.minuteStart(19).plusSeconds(60));
        m.zoomOut(); // 30m: anchor 09:45 lies in 09:30..09:59, cursor too
        assertThat(m.selectionMinutes()).containsExactly(0, 30);
        m.toggleSelection();
        assertThat(m.selecting()).isFalse();
        assertThat(m.selectionMinutes()).containsExactly(0, 30); // no selection: the cursor cell
    }

    @Test
    void shouldMeasureTheDaysLagOverActiveSymbolsAsWindowsStatusDoes() {
        ArraySource src = new ArraySource("AAPL", "O:AAPL250117C00150000", "MSFT");
        Instant now = CAL.minuteStart(100); // 100 minutes of session 1 have ended
        HeatMapModel m = new HeatMapModel(CAL, SlotKind.TRADE_REF);
        assertThat(HeatMapModel.minutesEndedBy(CAL, now)).isEqualTo(100);
        assertThat(HeatMapModel.minutesEndedBy(CAL, CAL.minuteStart(0))).isZero();
        assertThat(HeatMapModel.minutesEndedBy(CAL, CAL.session(2).openUtc().minusSeconds(1))).isEqualTo(390);
        src.set(SlotKind.TRADE_REF, 0, 0, 100, SlotStatus.FILLED);
        src.set(SlotKind.QUOTE_REF, 0, 0, 60, SlotStatus.FILLED);
        src.set(SlotKind.TRADE_REF, 1, 0, 100, SlotStatus.FILLED);
        src.set(SlotKind.QUOTE_REF, 1, 0, 100, SlotStatus.FILLED);
        src.set(SlotKind.GREEKS_REF, 1, 0, 50, SlotStatus.FILLED);
        // MSFT (2) has nothing written that day: not lag.
        long[] lag = m.dayLag(src, 0, now);
        assertThat(lag[SlotKind.TRADE_REF.ordinal()]).isZero();
        assertThat(lag[SlotKind.QUOTE_REF.ordinal()]).isEqualTo(39); // AAPL's minute 60 ended at minuteStart(61)
        assertThat(lag[SlotKind.GREEKS_REF.ordinal()]).isEqualTo(49); // the option's minute 50; AAPL has no Greeks
        assertThat(lag[SlotKind.RF_RATE_REF.ordinal()]).isEqualTo(99); // nobody's rf_rate_ref: minute 0
        // A Pending slot is not Filled: lag from it.
        src.set(SlotKind.TRADE_REF, 1, 20, 21, SlotStatus.PENDING);
        assertThat(m.dayLag(src, 0, now)[SlotKind.TRADE_REF.ordinal()]).isEqualTo(79);
        // Once MSFT has a slot written, its empty minutes count too.
        src.set(SlotKind.TRADE_REF, 2, 5, 6, SlotStatus.FILLED);
        assertThat(m.dayLag(src, 0, now)[SlotKind.TRADE_REF.ordinal()]).isEqualTo(99);
        // The next day has not started at now: nothing ended there.
        assertThat(m.dayLag(src, CAL.session(2).firstMinuteIdx(), now)).containsOnly(0L);
    }
}
