package io.quire.windows.slots;

/**
 * One consistent snapshot of one slot: every field comes from the same published write.
 *
 * @param slot          which column
 * @param symbolId      row's symbol
 * @param minuteIdx     row's minute
 * @param status        Empty | Pending | Filled | Cleared
 * @param payloadType   NONE unless Filled
 * @param payloadId     0 unless Filled
 * @param version       payload version; kept (never lowered) across Pending and Cleared
 * @param checksum      payload checksum (0 unless Filled)
 * @param lastUpdatedNs epoch ns of the last change (producer time for fills, ledger clock otherwise)
 * @param seq           the slot's mutation sequence (even; +2 per published change): a change
 *                      counter for followers such as {@code quire tail}
 */
public record SlotView(SlotKind slot, int symbolId, int minuteIdx, SlotStatus status, PayloadType payloadType,
                       long payloadId, long version, int checksum, long lastUpdatedNs, long seq) {

    /** The payload meta of a Filled slot, or null otherwise. */
    public PayloadMeta meta() {
        return status == SlotStatus.FILLED ? new PayloadMeta(payloadType, payloadId, version, checksum, lastUpdatedNs) : null;
    }
}
