package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

/**
 * A payload stored in a mapping file ({@code payload_id → PayloadRecord}, seed "Payload
 * Indirection"). Each kind has one codec that owns its bytes ({@link PayloadCodec}); records
 * validate their fields on construction (INVALID_INPUT), so whatever exists can be encoded.
 */
public sealed interface PayloadRecord
        permits RfRatePayload, TradePayload, QuotePayload, AggressorPayload, GreeksPayload, AggregatePayload {

    /** The mapping file this record belongs in. */
    PayloadType type();
}
