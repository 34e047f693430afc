package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

/**
 * The owner of one payload record's body bytes: big-endian, versioned by the frame's schema
 * version. {@link #decode} accepts exactly the bytes {@link #encode} produces (so decode then
 * encode is the identity), throws only {@link io.quire.core.QuireException} on malformed input
 * (INTEGRITY, code {@code payload_malformed}), and refuses schema versions it does not know:
 * newer than {@link #schemaVersion()} is INVALID_INPUT with code {@code schema_too_new} (the file
 * was written by a newer Quire; upgrade), anything else INTEGRITY ({@code schema_unknown}).
 */
public interface PayloadCodec<T extends PayloadRecord> {
    PayloadType type();

    Class<T> recordClass();

    /** The schema version this build writes (and the newest it reads). */
    int schemaVersion();

    byte[] encode(T record);

    T decode(int schemaVersion, byte[] body);
}
