package io.quire.windows.engines;

import io.quire.windows.slots.SetResult;
import io.quire.windows.slots.SlotKind;

/**
 * Where an engine reports each slot write it makes (result and latency): the runner passes
 * {@code WindowsMetrics::record}, so {@code window_mutations_total} and
 * {@code window_mutation_latency} count every engine write. Must not allocate or block.
 */
@FunctionalInterface
public interface MutationRecorder {
    MutationRecorder NONE = (column, result, nanos) -> {};

    void record(SlotKind column, SetResult result, long nanos);
}
