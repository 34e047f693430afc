package io.quire.core;

import java.util.List;

/**
 * What {@code verify} found. {@code failures} is empty when everything checks; each failure
 * names its region (frame, payload, hash, chain, index, tile, blob, checkpoint) and where.
 */
public record VerifyReport(long entries, long streams, long segments, long blobs, long tiles,
                           List<Failure> failures) {
    public record Failure(String region, String message, Where where) {
        @Override public String toString() {
            String w = where.toString();
            return region + ": " + message + (w.isEmpty() ? "" : " (" + w + ")");
        }
    }

    public boolean ok() { return failures.isEmpty(); }
}
