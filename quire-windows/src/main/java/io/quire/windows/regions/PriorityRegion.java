package io.quire.windows.regions;

import io.quire.windows.slots.SlotKind;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;

/**
 * One operator request to repair or refetch {@code [startTs, endTs)} of one symbol first.
 *
 * @param id            store-assigned, from 1, never reused within a year's store
 * @param symbol        the symbol text as given
 * @param symbolId      its dense id (resolved when the region was added)
 * @param startTs       inclusive; minutes are those whose start lies in {@code [floor_to_minute(startTs), endTs)}
 * @param endTs         exclusive
 * @param priority      {@link RegionLimits#PRIORITY_MIN}..{@link RegionLimits#PRIORITY_MAX}; higher goes first
 * @param columns       the columns the region targets (one column, or {@link #ALL_COLUMNS})
 * @param doneColumns   targeted columns already found healthy on every minute
 * @param createdAt     when it was added (ties in priority: older first)
 * @param creator       who added it (operator identity, e.g. {@code alice@tui})
 */
public record PriorityRegion(long id, String symbol, int symbolId, Instant startTs, Instant endTs, int priority,
                             Set<SlotKind> columns, Set<SlotKind> doneColumns, Instant createdAt, String creator) {

    /** Every column of both ledgers: the region retires only when every column is healthy. */
    public static final Set<SlotKind> ALL_COLUMNS = Collections.unmodifiableSet(EnumSet.allOf(SlotKind.class));

    /** Work order: higher priority first, then older first, then lower id. */
    public static final Comparator<PriorityRegion> ORDER = Comparator.comparingInt(PriorityRegion::priority).reversed()
            .thenComparing(PriorityRegion::createdAt).thenComparingLong(PriorityRegion::id);

    public PriorityRegion {
        columns = Collections.unmodifiableSet(columns.isEmpty() ? EnumSet.noneOf(SlotKind.class) : EnumSet.copyOf(columns));
        doneColumns = Collections.unmodifiableSet(doneColumns.isEmpty() ? EnumSet.noneOf(SlotKind.class) : EnumSet.copyOf(doneColumns));
    }

    /** Whether a worker of {@code column} still has something to check here. */
    public boolean openFor(SlotKind column) { return columns.contains(column) && !doneColumns.contains(column); }

    /** Whether every targeted column has been found healthy: the region is retired. */
    public boolean complete() { return doneColumns.containsAll(columns); }

    PriorityRegion withDone(SlotKind column) {
        EnumSet<SlotKind> d = doneColumns.isEmpty() ? EnumSet.noneOf(SlotKind.class) : EnumSet.copyOf(doneColumns);
        d.add(column);
        return new PriorityRegion(id, symbol, symbolId, startTs, endTs, priority, columns, d, createdAt, creator);
    }

    static int mask(Set<SlotKind> s) {
        int m = 0;
        for (SlotKind k : s) m |= 1 << k.ordinal();
        return m;
    }

    static Set<SlotKind> unmask(int m) {
        EnumSet<SlotKind> s = EnumSet.noneOf(SlotKind.class);
        for (SlotKind k : SlotKind.values()) if ((m & (1 << k.ordinal())) != 0) s.add(k);
        return s;
    }
}
