package io.quire.core.log;

import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real writer process ({@link WriterChild}) appends while this process follows read-only.
 * Invariants checked: the watch delivers seq 1..n exactly once, in order, with the hashes the
 * writer acknowledged; verify beside the live writer finds nothing; this process cannot open
 * writable while the child holds the lock; a refused second writer in this JVM leaves the lock
 * in force for other processes; and the reader wrote nothing.
 */
class ReadOnlyFollowProcessTest {
    static final int ENTRIES = 200;
    static final long LIVENESS_MS = 120_000;

    @TempDir Path tmp;

    private static Process child(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-ea", "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), WriterChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String line(BufferedReader r) throws Exception {
        String s = r.readLine();
        if (s == null) fail("the writer process ended early");
        return s;
    }

    @Test
    void shouldFollowAWriterProcessGaplessly() throws Exception {
        Path dir = tmp.resolve("ledger");
        Ledger.init(dir);
        Process p = child("append", dir.toString(), Integer.toString(ENTRIES), "7");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = p.getOutputStream()) {
            assertThat(line(out)).isEqualTo("opened");
            // The child holds the writer lock: no writable open here, a read-only one is fine.
            try {
                Ledger.open(dir, LedgerOptions.defaults()).close();
                fail("a second writer opened beside the writer process");
            } catch (QuireException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
            }
            Map<String, String> before;
            try (Ledger ro = Ledger.open(dir, LedgerOptions.defaults().withReadOnly(true))) {
                ReadOnlyLedgerTest.Recorder all = new ReadOnlyLedgerTest.Recorder();
                ReadOnlyLedgerTest.Recorder odd = new ReadOnlyLedgerTest.Recorder();
                ro.watch("s", 0, null, all);
                ro.watch("s", 0, "odd", odd);
                in.write("go\n".getBytes(StandardCharsets.US_ASCII));
                in.flush();
                List<String> acked = new ArrayList<>();
                boolean verified = false;
                for (String s = line(out); !s.equals("done"); s = line(out)) {
                    acked.add(s);
                    if (acked.size() == ENTRIES / 2) {
                        assertThat(ro.verify(ProgressListener.NONE, true).failures()).as("verify beside the writer").isEmpty();
                        verified = true;
                    }
                }
                assertThat(verified).isTrue();
                assertThat(acked).hasSize(ENTRIES);
                ReadOnlyLedgerTest.await("the watch reaches " + ENTRIES, () -> all.got.size() >= ENTRIES);
                ReadOnlyLedgerTest.await("the filtered watch", () -> odd.got.size() >= ENTRIES / 2);
                List<Entry> got = all.received();
                assertThat(got).hasSize(ENTRIES);
                for (int i = 0; i < ENTRIES; i++) {
                    assertThat(got.get(i).seq() + " " + got.get(i).hash().hex()).as("delivery " + i).isEqualTo(acked.get(i));
                }
                assertThat(odd.received()).extracting(Entry::seq).allMatch(q -> q % 2 == 0).hasSize(ENTRIES / 2);
                assertThat(all.end).isNotDone();
                assertThat(ro.verify(ProgressListener.NONE, true).failures()).isEmpty();
                before = DirSnapshot.of(dir);
            }
            // Closing the reader changed nothing either (the writer is idle now).
            assertThat(DirSnapshot.of(dir)).isEqualTo(before);
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(LIVENESS_MS, TimeUnit.MILLISECONDS)) p.destroyForcibly();
        }
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void shouldKeepTheLockForOtherProcessesAfterRefusingASecondWriterInThisJvm() throws Exception {
        Path dir = tmp.resolve("ledger");
        Ledger.init(dir);
        try (Ledger w = Ledger.open(dir, LedgerOptions.defaults())) {
            try {
                Ledger.open(dir, LedgerOptions.defaults()).close();
                fail("a second writer opened in this JVM");
            } catch (QuireException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
            }
            Ledger.open(dir, LedgerOptions.defaults().withReadOnly(true)).close();
            Process p = child("tryopen", dir.toString());
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(line(out)).isEqualTo("refused CONFLICT");
            }
            assertThat(p.waitFor(LIVENESS_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(w.size()).isZero();
        }
    }

}
