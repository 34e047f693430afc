package io.quire.core.model;

import io.quire.core.Draft;
import io.quire.core.Durability;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.quire.core.model.TestSupport.assertSameEntry;
import static io.quire.core.model.TestSupport.expectQuire;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §3.1 "an id names one entry", on every write path: single appends, batches (ids repeated
 * inside one batch), appends racing in one group commit, and after reopen with and without the
 * persisted indexes. "Same" means same payload, key and metadata, on every path alike.
 */
class IdempotencyTest {
    @TempDir Path dir;

    private Ledger open() {
        return Ledger.open(dir, LedgerOptions.defaults().withDurability(Durability.NONE));
    }

    @Test
    void shouldTreatAnyContentDifferenceAsConflictOnSingleAppends() {
        Ledger.init(dir);
        try (Ledger l = open()) {
            Draft d = new Draft("x", "k", new java.util.TreeMap<>(Map.of("a", "1")), new byte[] {1});
            Entry e = l.append("s", d);
            assertSameEntry(e, l.append("s", new Draft("x", "k", new java.util.TreeMap<>(Map.of("a", "1")), new byte[] {1})), true, "same content");
            for (Draft other : List.of(d.withKey("k2"), d.withMetadata(Map.of("a", "2")), new Draft("x", "k", d.metadata(), new byte[] {2}))) {
                QuireException q = expectQuire(ErrorKind.CONFLICT, () -> l.append("s", other));
                assertThat(q.code()).isEqualTo("id_reused");
            }
            assertThat(l.size()).isEqualTo(1);
        }
    }

    // A batch that names one id twice: identical drafts are one entry; drafts that differ in
    // payload, key or metadata are refused like a single append would be, and nothing is written.
    @Test
    void shouldRefuseABatchThatReusesAnIdWithOtherContent() {
        Ledger.init(dir);
        try (Ledger l = open()) {
            Draft a = new Draft("dup", "k", null, new byte[] {1});
            List<Entry> same = l.appendBatch("s", List.of(a, Draft.of("between"), new Draft("dup", "k", null, new byte[] {1})));
            assertSameEntry(same.get(0), same.get(2), true, "a repeated id inside a batch");
            assertThat(l.size()).isEqualTo(2);
            for (Draft other : List.of(new Draft("dup2", "k", null, new byte[] {2}), new Draft("dup2", "other-key", null, new byte[] {1}),
                    new Draft("dup2", "k", new java.util.TreeMap<>(Map.of("m", "v")), new byte[] {1}))) {
                QuireException q = expectQuire(ErrorKind.CONFLICT,
                        () -> l.appendBatch("s", List.of(new Draft("dup2", "k", null, new byte[] {1}), other)));
                assertThat(q.code()).isEqualTo("id_reused");
                assertThat(l.size()).isEqualTo(2);
                assertThat(l.findById("s", "dup2")).isEmpty();
            }
        }
    }

    // Appends with one id submitted together (so they land in one group commit) give one entry
    // when the content is the same and one CONFLICT per different content.
    @Test
    void shouldKeepOneEntryPerIdWithinOneGroupCommit() {
        Ledger.init(dir);
        try (Ledger l = open()) {
            List<CompletableFuture<Entry>> fs = new ArrayList<>();
            for (int i = 0; i < 50; i++) fs.add(l.appendAsync("s", new Draft("race", "", null, new byte[] {(byte) (i % 2)})));
            Entry winner = null;
            int conflicts = 0;
            for (CompletableFuture<Entry> f : fs) {
                try {
                    Entry e = f.join();
                    if (winner == null) winner = e;
                    assertSameEntry(winner, e, true, "racing appends of one id");
                } catch (CompletionException x) {
                    assertThat(x.getCause()).isInstanceOfSatisfying(QuireException.class, q -> assertThat(q.code()).isEqualTo("id_reused"));
                    conflicts++;
                }
            }
            assertThat(conflicts).isEqualTo(25);
            assertThat(l.size()).isEqualTo(1);
        }
    }

    // After reopen (indexes trusted from the seal) and after reopen with the catalog removed
    // (everything re-derived from the log), every id still names its one entry.
    @Test
    void shouldKeepIdsAcrossReopenAndIndexRebuild() throws Exception {
        Ledger.init(dir);
        List<Entry> written = new ArrayList<>();
        try (Ledger l = open()) {
            for (int i = 0; i < 300; i++) written.add(l.append("s" + (i % 3), Draft.of("p" + i).withId("id-" + (i / 3))));
        }
        for (int round = 0; round < 2; round++) {
            if (round == 1) Files.delete(dir.resolve("index/catalog.bin"));
            try (Ledger l = open()) {
                for (Entry e : written) {
                    assertSameEntry(e, l.findById(e.stream(), e.id()).orElseThrow(), true, "findById round " + round);
                    assertSameEntry(e, l.append(e.stream(), new Draft(e.id(), e.key(), e.metadata(), e.payload())), true, "retry round " + round);
                }
                expectQuire(ErrorKind.CONFLICT, () -> l.append("s0", Draft.of("other").withId("id-0")));
                assertThat(l.size()).isEqualTo(300);
            }
        }
    }
}
