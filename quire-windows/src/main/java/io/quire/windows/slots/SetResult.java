package io.quire.windows.slots;

/**
 * The outcome of a setter or {@code markPending}: refusals (wrong type, illegal transition,
 * version conflicts) are values carrying the slot's current state, never exceptions.
 * Exceptions are kept for bad arguments (INVALID_INPUT), I/O (IO) and damaged slots (INTEGRITY).
 */
public sealed interface SetResult {
    /** The slot as it is now (after the write for Ok, unchanged for Conflict). */
    SlotView slot();

    default boolean ok() { return this instanceof Ok; }

    /** The write was published; {@code slot} is what it wrote. */
    record Ok(SlotView slot) implements SetResult {}

    /** Nothing was written; {@code slot} is the state that caused the refusal. */
    record Conflict(ConflictReason reason, String detail, SlotView slot) implements SetResult {}
}
