package io.quire.windows.slots;

/**
 * What {@code clearSlot} did, handed to {@link SlotAudit#onClear} and returned to the caller.
 *
 * @param before   the slot just before the clear
 * @param after    the slot as published (Cleared, or Empty when it was never touched)
 * @param cause    the operator's reason
 * @param operator who asked
 * @param atNs     ledger clock at the clear, epoch ns
 */
public record ClearRecord(LedgerKind ledger, SlotView before, SlotView after, String cause, String operator, long atNs) {}
