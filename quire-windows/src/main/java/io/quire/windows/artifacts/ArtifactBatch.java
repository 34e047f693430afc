package io.quire.windows.artifacts;

import io.quire.windows.ingest.FlatRow;

import java.util.List;

/**
 * The rows of one symbol-minute, as stored in one frame. Decoded rows carry line 0 (the source
 * line is not stored; row equality ignores it).
 */
public record ArtifactBatch<R extends FlatRow>(ArtifactKind kind, String symbol, int minuteIdx, List<R> rows) {
    public ArtifactBatch {
        rows = List.copyOf(rows);
    }
}
