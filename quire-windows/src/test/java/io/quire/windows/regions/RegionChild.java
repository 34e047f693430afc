package io.quire.windows.regions;

import io.quire.windows.calendar.TradingCalendar;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.OptionalInt;

import static io.quire.windows.slots.SlotKind.TRADE_REF;

/** A second process for {@code RegionProcessTest}: adds {@code n} regions to the store of {@code dir}. */
public final class RegionChild {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        PriorityRegionStore s = PriorityRegionStore.open(dir, TradingCalendar.nyse(2025), x -> OptionalInt.of(7), Clock.systemUTC());
        for (int i = 0; i < n; i++) s.add("CHILD", Instant.parse("2025-03-07T15:00:00Z"), Instant.parse("2025-03-07T15:01:00Z"), 1 + i, EnumSet.of(TRADE_REF), "child");
        System.exit(0);
    }
}
