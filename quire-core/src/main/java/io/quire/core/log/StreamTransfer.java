package io.quire.core.log;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.Hash;
import io.quire.core.LoadResult;
import io.quire.core.QuireException;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.snapshot.Snapshot;
import io.quire.core.snapshot.SnapshotCodec;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Snapshot and load of one stream with the rules of DESIGN §3.3: load verifies everything first,
 * restores exactly into an empty stream, appends only the missing suffix when the stream is a
 * prefix of the snapshot, refuses divergent history, never renumbers or duplicates. The
 * comparison and the append happen in one writer step, so no append can slip in between.
 */
final class StreamTransfer {
    private final LocalLedger l;

    StreamTransfer(LocalLedger l) { this.l = l; }

    /** Writes the stream's snapshot; reads only, so it serves read-only ledgers too. */
    static void snapshot(LogView l, String stream, OutputStream out) {
        l.ensureOpen();
        Draft.validateStreamName(stream);
        StreamState s = l.streamByName(stream);
        if (s == null || !s.defined || s.lastSeq == 0) throw QuireException.notFound("stream '" + stream + "' has no entries to snapshot");
        long last = s.lastSeq;
        List<Entry> entries = new ArrayList<>();
        long after = 0;
        while (after < last) after = l.scanStream(s, after, (int) Math.min(last - after, 10_000), null, entries);
        while (entries.size() > last) entries.remove(entries.size() - 1);
        byte[] cp = l.latestCheckpoint().map(Checkpoint::encode).map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
        SnapshotCodec.write(out, stream, entries, cp);
    }

    LoadResult load(String stream, InputStream in, boolean failIfExists) {
        l.ensureOpen();
        Draft.validateStreamName(stream);
        Snapshot snap = SnapshotCodec.read(in);
        List<Entry> entries = snap.entries();
        if (!snap.stream().equals(stream)) {
            // Moving a stream: its own chain was verified by read(); re-chain under the new name.
            List<Entry> moved = new ArrayList<>(entries.size());
            Hash prev = Hash.ZERO;
            for (Entry e : entries) {
                Entry m = e.rechain(stream, prev);
                moved.add(m);
                prev = m.hash();
            }
            entries = moved;
        }
        CompletableFuture<LoadResult> f = new CompletableFuture<>();
        l.writer.submit(new GroupCommitWriter.LoadEntries(stream, entries, failIfExists, f));
        return Futures.join(f);
    }
}
