package io.quire.core;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a caller asks to append: an optional id (idempotency key; one is generated when null),
 * a key (filter label, "" when none), metadata and the payload. {@link #validate()} enforces
 * every limit of {@link Limits} before anything is written.
 */
public record Draft(String id, String key, SortedMap<String, String> metadata, byte[] payload) {

    public Draft {
        key = key == null ? "" : key;
        metadata = metadata == null ? Entry.sortedCopy(Map.of()) : Entry.sortedCopy(metadata);
        payload = payload == null ? new byte[0] : payload;
    }

    public static Draft of(byte[] payload) { return new Draft(null, "", null, payload); }

    public static Draft of(String utf8) { return of(utf8.getBytes(StandardCharsets.UTF_8)); }

    public Draft withId(String newId) { return new Draft(newId, key, metadata, payload); }

    public Draft withKey(String newKey) { return new Draft(id, newKey, metadata, payload); }

    public Draft withMetadata(Map<String, String> m) { return new Draft(id, key, new TreeMap<>(m), payload); }

    /** Checks every limit; throws {@link QuireException} of kind INVALID_INPUT naming the field. */
    public Draft validate() {
        if (id != null) validateId(id);
        validateKey(key);
        if (payload.length > Limits.PAYLOAD_BYTES_MAX) {
            throw QuireException.invalid("payload is " + payload.length + " bytes; the limit is "
                    + Limits.PAYLOAD_BYTES_MAX + " bytes (PAYLOAD_BYTES_MAX)");
        }
        if (metadata.size() > Limits.METADATA_ENTRIES_MAX) {
            throw QuireException.invalid("metadata has " + metadata.size() + " entries; the limit is "
                    + Limits.METADATA_ENTRIES_MAX + " (METADATA_ENTRIES_MAX)");
        }
        long bytes = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) throw QuireException.invalid("metadata keys and values must not be null");
            if (e.getKey().isEmpty()) throw QuireException.invalid("metadata key must not be empty");
            checkUtf8("metadata key", e.getKey());
            checkUtf8("metadata value of " + e.getKey(), e.getValue());
            bytes += utf8Length(e.getKey()) + utf8Length(e.getValue());
        }
        if (bytes > Limits.METADATA_BYTES_MAX) {
            throw QuireException.invalid("metadata is " + bytes + " bytes; the limit is "
                    + Limits.METADATA_BYTES_MAX + " bytes (METADATA_BYTES_MAX)");
        }
        return this;
    }

    public static void validateStreamName(String stream) {
        if (stream == null || stream.isEmpty()) throw QuireException.invalid("stream name must not be empty");
        int n = utf8Length(stream);
        if (n > Limits.STREAM_NAME_BYTES_MAX) {
            throw QuireException.invalid("stream name is " + n + " bytes; the limit is "
                    + Limits.STREAM_NAME_BYTES_MAX + " bytes (STREAM_NAME_BYTES_MAX)");
        }
        if (stream.indexOf('\0') >= 0) throw QuireException.invalid("stream name must not contain NUL");
        checkUtf8("stream name", stream);
    }

    public static void validateId(String id) {
        if (id.isEmpty()) throw QuireException.invalid("id must not be empty (omit it to have one generated)");
        int n = utf8Length(id);
        if (n > Limits.ID_BYTES_MAX) {
            throw QuireException.invalid("id is " + n + " bytes; the limit is " + Limits.ID_BYTES_MAX + " bytes (ID_BYTES_MAX)");
        }
        checkUtf8("id", id);
    }

    public static void validateKey(String key) {
        int n = utf8Length(key);
        if (n > Limits.KEY_BYTES_MAX) {
            throw QuireException.invalid("key is " + n + " bytes; the limit is " + Limits.KEY_BYTES_MAX + " bytes (KEY_BYTES_MAX)");
        }
        checkUtf8("key", key);
    }

    /** Lone surrogates cannot be encoded as UTF-8 and would not round-trip; refuse them. */
    private static void checkUtf8(String what, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw QuireException.invalid(what + " is not valid UTF-8 (lone surrogate at char " + i + ")");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw QuireException.invalid(what + " is not valid UTF-8 (lone surrogate at char " + i + ")");
            }
        }
    }

    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }
}
