package io.quire.cli;

import io.quire.core.ProgressListener;

import java.nio.file.Path;

/**
 * The offline maintenance entry points of the core ({@code io.quire.core.ops.Restore.restore}
 * and {@code io.quire.core.ops.Repair.truncateAfter}), behind one small adapter so the CLI
 * compiles before they are merged.
 *
 * <p>TODO(merge main): the bodies below are placeholders until the ops code is merged.
 */
final class CoreOps {
    private CoreOps() {}

    /** What a repair did, and the report file it wrote. */
    record RepairOutcome(String summary, Path reportFile) {}

    /** Copies a backup at {@code source} into the absent or empty directory {@code dir}. */
    static void restore(Path source, Path dir, ProgressListener progress) {
        throw new UnsupportedOperationException("Restore.restore is not in this build yet (ops code not merged)");
    }

    /** Cuts every entry after {@code position} (keeps 0..position) and writes a report. */
    static RepairOutcome truncateAfter(Path dir, long position) {
        throw new UnsupportedOperationException("Repair.truncateAfter is not in this build yet (ops code not merged)");
    }
}
