package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;

/**
 * A durable append: what a writer passes on to the ledger setter.
 *
 * @param type          the mapping file
 * @param payloadId     the record's id, 1, 2, 3, … in append order
 * @param checksum      CRC32C of the record body — the value to store in the slot
 * @param schemaVersion the body's schema version
 * @param offset        where the record's frame starts in the file
 */
public record Appended(PayloadType type, long payloadId, int checksum, int schemaVersion, long offset) {
    /** The slot metadata for this payload, with the payload's {@code version} and the producer's clock. */
    public PayloadMeta meta(long version, long lastUpdatedNs) {
        return new PayloadMeta(type, payloadId, version, checksum, lastUpdatedNs);
    }
}
