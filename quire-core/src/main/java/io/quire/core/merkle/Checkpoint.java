package io.quire.core.merkle;

import io.quire.core.Hash;

/**
 * A signed statement "the ledger had {@code size} entries with Merkle root {@code root} at
 * {@code timestampNs}", signed with the ledger's Ed25519 key. TODO(merkle): text encoding,
 * parse, verify.
 */
public record Checkpoint(String origin, long size, Hash root, long timestampNs, byte[] publicKey, byte[] signature) {}
