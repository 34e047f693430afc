package io.quire.windows.engines;

import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.slots.SlotKind;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.OptionalInt;

/** Another process adding a priority region (as the TUI or 'quire region add' would). Args: ledger year ticker id start end priority column. */
public final class RegionAddChild {
    public static void main(String[] a) {
        String ticker = a[2];
        int id = Integer.parseInt(a[3]);
        PriorityRegionStore s = PriorityRegionStore.open(Path.of(a[0]), TradingCalendar.nyse(Integer.parseInt(a[1])),
                t -> t.equals(ticker) ? OptionalInt.of(id) : OptionalInt.empty(), Clock.systemUTC());
        var r = s.add(ticker, Instant.parse(a[4]), Instant.parse(a[5]), Integer.parseInt(a[6]), EnumSet.of(SlotKind.ofColumn(a[7])), "region-child");
        System.out.println("region " + r.id());
    }
}
