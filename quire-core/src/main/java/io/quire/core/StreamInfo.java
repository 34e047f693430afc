package io.quire.core;

/** A stream's head: its name, id in the catalog, last sequence, last hash and last position. */
public record StreamInfo(String name, int streamId, long lastSeq, Hash lastHash, long lastPosition) {}
