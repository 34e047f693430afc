package io.quire.core.merkle;

import io.quire.core.Hash;

import java.util.List;

/** RFC 6962 §2.1.1 audit path for leaf {@code index} in a tree of {@code size} leaves. TODO(merkle). */
public record InclusionProof(long index, long size, Hash entryHash, List<Hash> path) {}
