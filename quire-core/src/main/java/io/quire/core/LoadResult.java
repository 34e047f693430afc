package io.quire.core;

/** The outcome of loading a snapshot: how many entries were appended and the stream's last seq. */
public record LoadResult(long entriesRestored, long latestSeq) {}
