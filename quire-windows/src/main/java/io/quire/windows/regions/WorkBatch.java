package io.quire.windows.regions;

import java.util.List;

/**
 * The answer of {@link PriorityRegionStore#nextWork}: minutes to do first, in order, and the
 * regions this call found complete and retired (so the caller can report them).
 */
public record WorkBatch(List<WorkItem> items, List<Long> retiredRegionIds) {
    public WorkBatch {
        items = List.copyOf(items);
        retiredRegionIds = List.copyOf(retiredRegionIds);
    }

    public boolean isEmpty() { return items.isEmpty(); }
}
