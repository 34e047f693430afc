package io.quire.core.crash;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.crash.LogMap.Frame;
import io.quire.core.ops.Repair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Repair.truncateAfter}: the only way to cut history.
 *
 * <p>Invariants checked: after cutting after position k (mid-batch or at a batch end) the ledger
 * opens with size k + 1, every kept entry is unchanged and verifies, every removed one is gone
 * and listed (position, seq, id, hash) in the report file, and appending continues each stream's
 * chain from its last kept entry; an open ledger, a position past the end and a damaged log before
 * k are refused with CONFLICT, NOT_FOUND/INVALID_INPUT and INTEGRITY.
 */
class RepairTest {
    static final int BATCHES = 4;
    static final int BATCH_ENTRIES = 5;

    @TempDir Path dir;
    private final List<Entry> entries = new ArrayList<>();

    @BeforeEach
    void build() {
        Ledger.init(dir);
        try (Ledger l = Ledger.open(dir)) {
            for (int b = 0; b < BATCHES; b++) {
                List<Draft> ds = new ArrayList<>();
                for (int i = 0; i < BATCH_ENTRIES; i++) ds.add(Draft.of("b" + b + "e" + i).withId("id-" + b + "-" + i));
                entries.addAll(l.appendBatch(b % 2 == 0 ? "x" : "y", ds));
            }
        }
    }

    /** 7: mid-batch (third of the second batch); 9, 14: batch ends; 0: first entry; 19: the last. */
    @ParameterizedTest
    @ValueSource(longs = {7, 9, 14, 0, 19})
    void shouldCutAfterPositionAndReportWhatWasRemoved(long k) throws IOException {
        Repair.RepairReport rep = Repair.truncateAfter(dir, k);
        long removed = entries.size() - (k + 1);
        assertThat(rep.keptEntries()).isEqualTo(k + 1);
        assertThat(rep.removedEntries()).isEqualTo(removed);
        String report = Files.readString(rep.reportFile());
        for (Entry e : entries) {
            String line = "entry position=" + e.position() + " ";
            if (e.position() > k) {
                assertThat(report).as("report lists removed %s", e.position()).contains(line).contains("id=" + e.id()).contains(e.hash().hex());
            } else {
                assertThat(report).as("report does not list kept %s", e.position()).doesNotContain(line);
            }
        }
        try (Ledger l = Ledger.open(dir)) {
            assertThat(l.size()).isEqualTo(k + 1);
            for (Entry e : entries) {
                if (e.position() <= k) {
                    assertThat(l.readPosition(e.position()).hash()).isEqualTo(e.hash());
                } else {
                    assertThat(l.findById(e.stream(), e.id())).as("removed id %s", e.id()).isEmpty();
                }
            }
            assertThatThrownBy(() -> l.readPosition(k + 1)).isInstanceOfSatisfying(QuireException.class,
                    q -> assertThat(q.kind()).isEqualTo(ErrorKind.NOT_FOUND));
            CrashSupport.checkLedger(l, Map.of());
            // Each stream continues from its last kept entry.
            for (String s : List.of("x", "y")) {
                Entry lastKept = entries.stream().filter(e -> e.stream().equals(s) && e.position() <= k).reduce((a, b) -> b).orElse(null);
                Entry next = l.append(s, Draft.of("after repair"));
                assertThat(next.seq()).isEqualTo(lastKept == null ? 1 : lastKept.seq() + 1);
                if (lastKept != null) assertThat(next.prevHash()).isEqualTo(lastKept.hash());
            }
            assertThat(l.verify(ProgressListener.NONE, true).failures()).isEmpty();
        }
    }

    @Test
    void shouldRefuseToRepairAnOpenLedger() {
        try (Ledger l = Ledger.open(dir)) {
            assertThatThrownBy(() -> Repair.truncateAfter(dir, 3)).isInstanceOfSatisfying(QuireException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                assertThat(e.getMessage()).contains("open");
            });
            assertThat(l.size()).isEqualTo(entries.size());
        }
    }

    @Test
    void shouldRefusePositionPastTheEndWithAClearMessage() throws IOException {
        byte[] before = Files.readAllBytes(LogMap.lastSegment(dir));
        for (long k : new long[] {entries.size(), entries.size() + 100L}) {
            assertThatThrownBy(() -> Repair.truncateAfter(dir, k)).isInstanceOfSatisfying(QuireException.class, e -> {
                assertThat(e.kind()).isIn(ErrorKind.NOT_FOUND, ErrorKind.INVALID_INPUT);
                assertThat(e.getMessage()).contains(Long.toString(k));
            });
        }
        assertThatThrownBy(() -> Repair.truncateAfter(dir, -1)).isInstanceOfSatisfying(QuireException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThat(Files.readAllBytes(LogMap.lastSegment(dir))).as("a refused repair changes nothing").isEqualTo(before);
        try (Ledger l = Ledger.open(dir)) {
            assertThat(l.size()).isEqualTo(entries.size());
        }
    }

    @Test
    void shouldRefuseWhenTheLogIsDamagedBeforeThePosition() throws IOException {
        Path seg = LogMap.lastSegment(dir);
        Frame f = LogMap.of(seg).entryAt(4);
        try (RandomAccessFile r = new RandomAccessFile(seg.toFile(), "rw")) {
            r.seek(f.offset() + 60);
            int b = r.read();
            r.seek(f.offset() + 60);
            r.write(b ^ 1);
        }
        assertThatThrownBy(() -> Repair.truncateAfter(dir, 12)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.where().file()).isEqualTo(seg.toString());
            assertThat(e.where().offset()).isEqualTo(f.offset());
        });
    }
}
