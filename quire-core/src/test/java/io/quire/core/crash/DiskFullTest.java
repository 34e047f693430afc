package io.quire.core.crash;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
import io.quire.core.QuireException;
import io.quire.core.blob.FileBlobStore;
import io.quire.core.crash.CrashSupport.Ack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A real full disk: a 12 MiB tmpfs mounted for the test (Linux, root; skipped otherwise).
 *
 * <p>Invariants checked: appends on a full disk fail with IO and a message that says so; every
 * append acknowledged before stays readable in the same session; after freeing space and
 * reopening, everything acknowledged is present, the ledger verifies and accepts appends; a blob
 * put that cannot fit fails with IO and leaves no temp file.
 */
class DiskFullTest {
    static final String TMPFS_SIZE = "12m";
    static final int FILLER_BYTES = 2 << 20;

    @TempDir Path tmp;
    private Path mnt;
    private boolean mounted;

    @BeforeEach
    void mount() throws Exception {
        assumeThat(System.getProperty("os.name")).as("tmpfs disk-full test needs Linux").startsWithIgnoringCase("linux");
        assumeThat(run("id", "-u").trim()).as("mounting a tmpfs needs root").isEqualTo("0");
        mnt = tmp.resolve("full");
        Files.createDirectories(mnt);
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", mnt.toString());
        mounted = out != null;
        assumeThat(mounted).as("cannot mount a tmpfs at " + mnt + " (no CAP_SYS_ADMIN in this container?); skipping the disk-full test").isTrue();
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted && run("umount", mnt.toString()) == null) run("umount", "-l", mnt.toString());
    }

    /** Runs a command; its stdout, or null when it fails. */
    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) { p.destroyForcibly(); return null; }
        return p.exitValue() == 0 ? out : null;
    }

    @Test
    void shouldFailAppendsWithIoOnFullDiskAndKeepEverythingAcknowledged() {
        CrashSupport.withSeed(seed -> {
            Random rnd = new Random(seed);
            Path dir = mnt.resolve("ledger");
            Path filler = mnt.resolve("filler");
            Files.write(filler, new byte[FILLER_BYTES]);
            Ledger.init(dir);
            Map<Long, Ack> acked = new TreeMap<>();
            LedgerOptions opts = LedgerOptions.defaults().withSegmentBytes(Limits.SEGMENT_BYTES_MIN);
            QuireException failure = null;
            Ledger l = Ledger.open(dir, opts);
            try {
                for (int i = 0; i < 10_000 && failure == null; i++) {
                    byte[] p = new byte[rnd.nextInt(64 * 1024)];
                    rnd.nextBytes(p);
                    try {
                        Entry e = l.append("s" + (i % 3), Draft.of(p));
                        acked.put(e.position(), Ack.of(e));
                    } catch (QuireException q) {
                        failure = q;
                    }
                }
                assertThat(failure).as("appends on a %s tmpfs must fail at some point", TMPFS_SIZE).isNotNull();
                assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(ErrorKind.IO);
                assertThat(failure.getMessage()).as("says the disk is full").containsIgnoringCase("space");
                // Still readable in this session.
                for (Ack a : acked.values()) assertThat(Ack.of(l.readPosition(a.position()))).isEqualTo(a);
                System.out.println(acked.size() + " acknowledged, then: " + failure.getMessage());
            } finally {
                try {
                    l.close();
                } catch (QuireException q) {
                    // Closing seals; on a full disk that may fail too, and must fail as IO.
                    assertThat(q.kind()).as(q.getMessage()).isEqualTo(ErrorKind.IO);
                }
            }
            Files.delete(filler);
            try (Ledger again = Ledger.open(dir, opts)) {
                CrashSupport.checkLedger(again, acked);
                Entry e = again.append("s0", Draft.of("after the disk was freed"));
                assertThat(e.position()).isEqualTo(again.size() - 1);
            }
        });
    }

    @Test
    void shouldFailBlobPutOnFullDiskWithoutLeavingATempFile() throws IOException {
        FileBlobStore blobs = new FileBlobStore(mnt.resolve("blobs"));
        byte[] big = new byte[16 << 20];
        new Random(1).nextBytes(big);
        try {
            blobs.put(new ByteArrayInputStream(big));
            throw new AssertionError("a 16 MiB blob cannot fit a " + TMPFS_SIZE + " tmpfs");
        } catch (QuireException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.IO);
            assertThat(e.getMessage()).containsIgnoringCase("space");
        }
        try (var s = Files.list(mnt.resolve("blobs/tmp"))) {
            assertThat(s.toList()).as("temp files left behind").isEmpty();
        }
        assertThat(blobs.list()).isEmpty();
        // The space is back: a small blob goes in.
        byte[] small = "fits".getBytes();
        assertThat(blobs.getBytes(blobs.put(small))).isEqualTo(small);
    }
}
