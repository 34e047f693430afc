package io.quire.windows.slots;

/**
 * One slot repaired: found with an odd sequence whose writer is dead (a write cut short by a
 * crash or {@code kill -9}), or with content that fails its check. The slot is published as
 * Cleared, keeping the version it held, so producers refill it.
 *
 * @param reason     why it was repaired
 * @param foundWord  the seqlock word found (odd for a torn write; owner session in bits 40..63)
 * @param after      the slot as published by the repair
 * @param duringOpen true when found by the scan on open, false when found lazily by an access
 */
public record RepairRecord(LedgerKind ledger, Reason reason, long foundWord, SlotView after, boolean duringOpen, long atNs) {
    public enum Reason {
        /** Sequence odd and the session that claimed the slot no longer exists. */
        TORN_WRITE_DEAD_OWNER,
        /** Sequence even but the content fails its check or has an impossible status/type. */
        INVALID_CONTENT
    }
}
