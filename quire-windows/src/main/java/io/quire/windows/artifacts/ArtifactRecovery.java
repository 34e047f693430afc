package io.quire.windows.artifacts;

/** A torn tail cut off when a segment was opened for appending: the bytes from {@code offset} to the old end. */
public record ArtifactRecovery(String file, long offset, long bytesDropped, String reason) {}
