package io.quire.cli;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-only commands open the ledger shared and read-only, so they run while a writer holds
 * it: here a {@link Ledger} held open in this JVM stands for {@code quire append} in another shell.
 */
class CliReadOnlyTest {

    @TempDir Path tmp;
    Path dir;

    @BeforeEach
    void init() {
        dir = tmp.resolve("ledger.state");
        assertThat(Run.in(dir, "init").code()).isZero();
    }

    private static Draft draft(String payload) {
        return new Draft(null, "", Entry.sortedCopy(Map.of()), payload.getBytes(StandardCharsets.UTF_8));
    }

    private static Run ok(Run r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReadAndWatchWhatALiveWriterAppends() throws Exception {
        try (Ledger writer = Ledger.open(dir)) {
            writer.append("s", draft("one"));
            List<String> read = ok(Run.in(dir, "read", "s")).lines();
            assertThat(read).singleElement().asString().startsWith("1 ").endsWith(" one");

            // A watch for three more entries; the writer appends them while it waits.
            CompletableFuture<Run> watch = CompletableFuture.supplyAsync(
                    () -> Run.in(dir, "watch", "s", "--after", "1", "--count", "3"));
            Thread.sleep(500); // Usually the watch is following live by now; either way it must see all three.
            writer.append("s", draft("two"));
            writer.append("s", draft("three"));
            writer.append("s", draft("four"));
            Run w = ok(watch.get(30, TimeUnit.SECONDS));
            assertThat(w.lines()).hasSize(3);
            assertThat(w.lines().get(0)).startsWith("2 ").endsWith(" two");
            assertThat(w.lines().get(2)).startsWith("4 ").endsWith(" four");

            // Entries appended after one read are seen by the next.
            writer.append("s", draft("five"));
            assertThat(ok(Run.in(dir, "read", "s", "--after", "4")).lines())
                    .singleElement().asString().startsWith("5 ").endsWith(" five");
        }
    }

    @Test
    void shouldRunEveryReadOnlyCommandWhileAWriterHoldsTheLedger() throws Exception {
        try (Ledger writer = Ledger.open(dir)) {
            writer.append("s", draft("one"));
            writer.append("s", draft("two"));
            Hash blob = writer.blobs().put(new ByteArrayInputStream("blob".getBytes(StandardCharsets.UTF_8)));
            writer.checkpoint();

            assertThat(ok(Run.in(dir, "streams")).out()).startsWith("s 2 ");
            ok(Run.in(dir, "status"));
            ok(Run.in(dir, "verify"));
            ok(Run.in(dir, "prove", "1"));
            ok(Run.in(dir, "snapshot", "s", "-o", tmp.resolve("s.snap").toString()));
            ok(Run.in(dir, "blob", "get", blob.hex(), "-o", tmp.resolve("blob.out").toString()));
            assertThat(Files.readString(tmp.resolve("blob.out"))).isEqualTo("blob");
            assertThat(ok(Run.in(dir, "watch", "s", "--count", "2")).lines()).hasSize(2);

            // A second writer is still refused while the first holds the ledger.
            Run append = Run.withStdin(dir, "x", "append", "s");
            assertThat(append.code()).as(append.toString()).isEqualTo(4);
        }
    }
}
