package io.quire.core.merkle;

import io.quire.core.Hash;

import java.util.List;

/** RFC 6962 §2.1.2 consistency proof between tree sizes {@code oldSize} and {@code newSize}. TODO(merkle). */
public record ConsistencyProof(long oldSize, long newSize, List<Hash> path) {}
