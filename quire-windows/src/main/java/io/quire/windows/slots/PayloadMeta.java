package io.quire.windows.slots;

import io.quire.core.QuireException;

import java.util.Objects;

/**
 * What a setter stores in a slot (the seed's {@code payload_meta}). {@code payloadId},
 * {@code version} and {@code checksum} are u32 on disk: id and version are carried in a
 * {@code long} and checked to fit; the checksum is the raw 32 bits in an {@code int}. The
 * checksum covers the dereferenced payload bytes (verified by the mapping file), not the slot.
 *
 * @param payloadType   the mapping file that owns the payload; must be the slot's type
 * @param payloadId     index into that mapping file, 1..2^32-1 (0 means "no payload")
 * @param version       the payload's version (e.g. the treasury curve version), 0..2^32-1
 * @param checksum      checksum of the payload bytes
 * @param lastUpdatedNs when the producer wrote it, epoch nanoseconds
 */
public record PayloadMeta(PayloadType payloadType, long payloadId, long version, int checksum, long lastUpdatedNs) {
    public PayloadMeta {
        Objects.requireNonNull(payloadType, "payloadType");
        if (payloadType == PayloadType.NONE) throw QuireException.invalid("payload_meta: payload_type NONE names no mapping file");
        if (payloadId < 1 || payloadId > SlotLimits.U32_MAX)
            throw QuireException.invalid("payload_meta: payload_id " + payloadId + " out of range 1.." + SlotLimits.U32_MAX + " (0 means empty)");
        if (version < 0 || version > SlotLimits.U32_MAX)
            throw QuireException.invalid("payload_meta: version " + version + " out of range 0.." + SlotLimits.U32_MAX);
    }
}
