package io.quire.windows.mapping;

/**
 * One record as stored, frame verified but body not decoded.
 *
 * @param payloadId     its id
 * @param offset        where its frame starts in the file
 * @param schemaVersion the body's schema version
 * @param body          the body bytes (a copy)
 * @param checksum      CRC32C of the body — what a slot stores
 */
public record RawRecord(long payloadId, long offset, int schemaVersion, byte[] body, int checksum) {}
