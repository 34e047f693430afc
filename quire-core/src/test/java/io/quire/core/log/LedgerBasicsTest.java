package io.quire.core.log;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.QuireException;
import io.quire.core.StreamInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerBasicsTest {
    @TempDir Path dir;

    @Test
    void shouldAppendReadAndChainAcrossReopen() {
        Ledger.init(dir);
        Entry a, b;
        try (Ledger l = Ledger.open(dir)) {
            a = l.append("s1", Draft.of("one").withKey("facts").withMetadata(Map.of("k", "v")));
            b = l.append("s1", Draft.of("two"));
            Entry c = l.append("s2", Draft.of("three"));
            assertThat(a.seq()).isEqualTo(1);
            assertThat(a.position()).isEqualTo(0);
            assertThat(b.seq()).isEqualTo(2);
            assertThat(b.prevHash()).isEqualTo(a.hash());
            assertThat(a.prevHash()).isEqualTo(Hash.ZERO);
            assertThat(c.seq()).isEqualTo(1);
            assertThat(c.position()).isEqualTo(2);
            assertThat(l.read("s1", 0, 0, null)).extracting(Entry::hash).containsExactly(a.hash(), b.hash());
            assertThat(l.read("s1", 0, 0, "facts")).extracting(Entry::seq).containsExactly(1L);
            assertThat(l.read("s1", 1, 0, null)).extracting(Entry::seq).containsExactly(2L);
            assertThat(l.read("nope", 0, 0, null)).isEmpty();
            assertThat(l.size()).isEqualTo(3);
        }
        try (Ledger l = Ledger.open(dir)) {
            assertThat(l.recovery().cleanShutdown()).isTrue();
            assertThat(l.size()).isEqualTo(3);
            List<Entry> s1 = l.read("s1", 0, 0, null);
            assertThat(s1).hasSize(2);
            assertThat(s1.get(0).hashMatches()).isTrue();
            assertThat(new String(s1.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("one");
            assertThat(s1.get(0).metadata()).containsEntry("k", "v");
            Entry d = l.append("s1", Draft.of("four"));
            assertThat(d.seq()).isEqualTo(3);
            assertThat(d.prevHash()).isEqualTo(b.hash());
            assertThat(d.position()).isEqualTo(3);
            assertThat(l.streams()).extracting(StreamInfo::name).containsExactly("s1", "s2");
        }
    }

    @Test
    void shouldReturnExistingEntryForRepeatedIdAndRefuseDifferentPayload() {
        Ledger.init(dir);
        try (Ledger l = Ledger.open(dir)) {
            Entry a = l.append("s", Draft.of("x").withId("id-1"));
            Entry again = l.append("s", Draft.of("x").withId("id-1"));
            assertThat(again.seq()).isEqualTo(a.seq());
            assertThat(again.hash()).isEqualTo(a.hash());
            assertThat(l.size()).isEqualTo(1);
            assertThatThrownBy(() -> l.append("s", Draft.of("y").withId("id-1")))
                    .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
            assertThat(l.size()).isEqualTo(1);
            // the same id in another stream is another entry
            assertThat(l.append("t", Draft.of("y").withId("id-1")).seq()).isEqualTo(1);
            assertThat(l.findById("s", "id-1")).map(Entry::hash).contains(a.hash());
        }
        try (Ledger l = Ledger.open(dir)) {
            assertThat(l.append("s", Draft.of("x").withId("id-1")).position()).isEqualTo(0);
            assertThat(l.size()).isEqualTo(2);
        }
    }

    @Test
    void shouldGroupConcurrentAppendsWithGaplessSequences() throws Exception {
        Ledger.init(dir);
        try (Ledger l = Ledger.open(dir)) {
            List<CompletableFuture<Entry>> fs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) fs.add(l.appendAsync("s" + (i % 3), Draft.of("p" + i)));
            for (var f : fs) f.get();
            for (int s = 0; s < 3; s++) {
                List<Entry> es = l.read("s" + s, 0, 0, null);
                for (int i = 0; i < es.size(); i++) assertThat(es.get(i).seq()).isEqualTo(i + 1);
            }
            assertThat(l.size()).isEqualTo(2000);
        }
    }

    @Test
    void shouldRollSegmentsAndReopen() {
        Ledger.init(dir);
        LedgerOptions small = LedgerOptions.defaults().withSegmentBytes(io.quire.core.Limits.SEGMENT_BYTES_MIN);
        byte[] big = new byte[1024 * 1024];
        try (Ledger l = Ledger.open(dir, small)) {
            for (int i = 0; i < 20; i++) l.append("big", Draft.of(big).withKey("k" + i));
        }
        try (Ledger l = Ledger.open(dir, small)) {
            assertThat(l.size()).isEqualTo(20);
            assertThat(l.read("big", 0, 0, "k19")).hasSize(1);
            assertThat(l.verify(io.quire.core.ProgressListener.NONE, true).failures()).isEmpty();
        }
        assertThat(dir.resolve("log").toFile().list()).hasSizeGreaterThan(2);
    }

    @Test
    void shouldRefuseSecondOpenOfTheSameDirectory() {
        Ledger.init(dir);
        try (Ledger l = Ledger.open(dir)) {
            assertThatThrownBy(() -> Ledger.open(dir)).isInstanceOfSatisfying(QuireException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        }
    }
}
