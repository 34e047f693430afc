package io.quire.core.blob;

import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileBlobStoreTest {
    private static final long SEED = Long.getLong("quire.test.seed", System.nanoTime());

    @TempDir Path ledger;

    private Path blobsDir() { return ledger.resolve("blobs"); }

    private static byte[] randomBytes(int n, long salt) {
        byte[] b = new byte[n];
        new Random(SEED ^ salt).nextBytes(b);
        return b;
    }

    private static String seedNote() { return "seed=" + SEED + " (replay with -Dquire.test.seed=" + SEED + ")"; }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, FileBlobStore.CHUNK_BYTES - 1, FileBlobStore.CHUNK_BYTES, FileBlobStore.CHUNK_BYTES + 1, 5 * 1024 * 1024})
    void shouldRoundTripBlobsOfEverySizeAroundTheChunk(int size) {
        FileBlobStore store = new FileBlobStore(blobsDir());
        byte[] data = randomBytes(size, size);

        Hash digest = store.put(new ByteArrayInputStream(data));

        assertThat(digest).as(seedNote()).isEqualTo(Hash.sha256(data));
        assertThat(store.getBytes(digest)).as(seedNote()).isEqualTo(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.get(digest, out);
        assertThat(out.toByteArray()).as(seedNote()).isEqualTo(data);
        assertThat(store.size(digest)).contains((long) size);
        assertThat(store.contains(digest)).isTrue();
        assertThat(store.check(digest)).isEmpty();
        assertThat(store.list()).containsExactly(digest);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void shouldStoreAbcAtItsKnownSha256Path() throws IOException {
        FileBlobStore store = new FileBlobStore(blobsDir());
        Hash digest = store.put("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        // FIPS 180-2, appendix B.1.
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(digest.hex()).isEqualTo(abc);
        Path expected = blobsDir().resolve("sha256").resolve("ba").resolve(abc.substring(2));
        assertThat(store.pathOf(digest)).isEqualTo(expected.toAbsolutePath());
        assertThat(Files.readString(expected)).isEqualTo("abc");
    }

    @Test
    void shouldKeepOneFileAndNoTempWhenTheSameBytesArePutTwice() throws IOException {
        FileBlobStore store = new FileBlobStore(blobsDir());
        byte[] data = randomBytes(100_000, 7);

        Hash first = store.put(data);
        Hash second = store.put(new ByteArrayInputStream(data));

        assertThat(second).isEqualTo(first);
        assertThat(blobFiles()).hasSize(1);
        assertThat(tmpFiles()).isEmpty();
        assertThat(store.getBytes(first)).as(seedNote()).isEqualTo(data);
    }

    @Test
    void shouldReportIntegrityNamingTheFileWhenAStoredByteFlips() throws IOException {
        FileBlobStore store = new FileBlobStore(blobsDir());
        byte[] data = randomBytes(3 * FileBlobStore.CHUNK_BYTES + 5, 11);
        Hash digest = store.put(data);
        Path file = store.pathOf(digest);
        byte[] stored = Files.readAllBytes(file);
        int at = new Random(SEED).nextInt(stored.length);
        stored[at] ^= 0x01;
        Files.write(file, stored);

        assertThatThrownBy(() -> store.getBytes(digest)).as(seedNote() + " flipped byte " + at)
                .isInstanceOfSatisfying(QuireException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                    assertThat(e.getMessage()).contains(file.toString());
                });
        assertThat(store.check(digest)).hasValueSatisfying(m -> assertThat(m).contains(file.toString()).contains("corrupt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> store.get(digest, out))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
        // Documented: the streamed bytes were already written when the mismatch is found.
        assertThat(out.toByteArray()).isEqualTo(stored);
    }

    @Test
    void shouldHealADamagedCopyOfDifferentSizeWhenTheSameBytesArePutAgain() throws IOException {
        FileBlobStore store = new FileBlobStore(blobsDir());
        byte[] data = randomBytes(1000, 13);
        Hash digest = store.put(data);
        Files.write(store.pathOf(digest), new byte[10]);

        store.put(data);

        assertThat(store.check(digest)).isEmpty();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
            "",
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
            "Ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0",
            "ba/7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
            "../../../../../../../../../../../../../../../../../../etc/passwd.",
            "ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            " a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    })
    void shouldRefuseNonCanonicalDigestStrings(String hex) {
        assertThatThrownBy(() -> FileBlobStore.parseDigest(hex))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }

    @Test
    void shouldAcceptTheCanonicalDigestString() {
        String hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(FileBlobStore.parseDigest(hex).hex()).isEqualTo(hex);
    }

    @Test
    void shouldNeverListOrServeFilesWhosePathIsNotCanonical() throws IOException {
        FileBlobStore store = new FileBlobStore(blobsDir());
        Hash real = store.put("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path sha = blobsDir().resolve("sha256");
        String hex = real.hex();
        Path upper = sha.resolve(hex.substring(0, 2).toUpperCase()).resolve(hex.substring(2).toUpperCase());
        Files.createDirectories(upper.getParent());
        Files.writeString(upper, "abc");
        Path shortName = sha.resolve("ba").resolve("7816");
        Files.writeString(shortName, "x");
        Path tooDeep = sha.resolve("ba").resolve("nested").resolve(hex.substring(2));
        Files.createDirectories(tooDeep.getParent());
        Files.writeString(tooDeep, "abc");
        Path topLevel = sha.resolve(hex);
        Files.writeString(topLevel, "abc");

        assertThat(store.list()).containsExactly(real);
        assertThat(store.strays()).extracting(Path::getFileName).extracting(Path::toString)
                .contains(upper.getFileName().toString(), "7816", "nested", hex);
    }

    @Test
    void shouldNotServeASymlinkPlantedAtABlobPath() throws IOException {
        FileBlobStore store = new FileBlobStore(blobsDir());
        byte[] data = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Path elsewhere = ledger.resolve("elsewhere");
        Files.write(elsewhere, data);
        Hash digest = Hash.sha256(data);
        Path link = store.pathOf(digest);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, elsewhere);

        assertThat(store.contains(digest)).isFalse();
        assertThat(store.size(digest)).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThat(store.strays()).containsExactly(link);
        assertThatThrownBy(() -> store.getBytes(digest))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @ParameterizedTest(name = "max = {0}")
    @ValueSource(ints = {0, 1000, FileBlobStore.CHUNK_BYTES, FileBlobStore.CHUNK_BYTES + 1})
    void shouldAcceptABlobAtTheLimitAndRefuseOneByteMoreLeavingNothing(int max) throws IOException {
        FileBlobStore store = new FileBlobStore(blobsDir(), max);
        byte[] atMax = randomBytes(max, 17);
        byte[] overMax = randomBytes(max + 1, 19);

        Hash ok = store.put(atMax);
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(overMax)))
                .isInstanceOfSatisfying(QuireException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("BLOB_BYTES_MAX");
                });

        assertThat(store.list()).containsExactly(ok);
        assertThat(store.contains(Hash.sha256(overMax))).isFalse();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void shouldDefaultTheLimitToOneGibibyte() {
        assertThat(new FileBlobStore(blobsDir()).blobBytesMax()).isEqualTo(1L << 30).isEqualTo(FileBlobStore.BLOB_BYTES_MAX);
    }

    @Test
    void shouldDeleteStaleTempFilesOnOpenAndKeepBlobs() throws IOException {
        Hash kept = new FileBlobStore(blobsDir()).put(randomBytes(10, 23));
        Path stale = blobsDir().resolve("tmp").resolve("0123456789abcdef.tmp");
        Files.write(stale, randomBytes(5000, 29));

        FileBlobStore reopened = new FileBlobStore(blobsDir());

        assertThat(stale).doesNotExist();
        assertThat(tmpFiles()).isEmpty();
        assertThat(reopened.list()).containsExactly(kept);
    }

    @Test
    void shouldLeaveNoTempWhenTheInputFails() {
        FileBlobStore store = new FileBlobStore(blobsDir());
        InputStream failing = new InputStream() {
            private int left = 100_000;
            @Override public int read() throws IOException {
                if (left == 0) throw new IOException("network gone");
                left--;
                return 42;
            }
        };

        assertThatThrownBy(() -> store.put(failing))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.IO));
        assertThat(tmpFiles()).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void shouldReportNotFoundForAnAbsentBlob() {
        FileBlobStore store = new FileBlobStore(blobsDir());
        Hash absent = Hash.sha256(new byte[] {1});
        assertThatThrownBy(() -> store.getBytes(absent))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(store.check(absent)).hasValueSatisfying(m -> assertThat(m).contains("missing"));
        assertThat(store.size(absent)).isEmpty();
    }

    @Test
    void shouldStoreOneCopyWhenEightThreadsPutTheSameBytesAtOnce() throws Exception {
        // Invariants checked: every put returns the same digest, exactly one blob file exists,
        // no temp file is left, and the stored bytes verify.
        FileBlobStore store = new FileBlobStore(blobsDir());
        byte[] data = randomBytes(2 * FileBlobStore.CHUNK_BYTES + 3, 31);
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Hash> digests = new ConcurrentLinkedQueue<>();
        List<Thread> workers = Stream.generate(() -> Thread.ofPlatform().unstarted(() -> {
            try {
                start.await(10, TimeUnit.SECONDS);
                digests.add(store.put(new ByteArrayInputStream(data)));
            } catch (Throwable t) {
                failures.add(t);
            }
        })).limit(threads).toList();
        workers.forEach(Thread::start);
        for (Thread t : workers) t.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(failures).as(seedNote()).isEmpty();
        assertThat(digests).hasSize(threads).containsOnly(Hash.sha256(data));
        assertThat(blobFiles()).hasSize(1);
        assertThat(tmpFiles()).isEmpty();
        assertThat(store.getBytes(Hash.sha256(data))).isEqualTo(data);
    }

    @Test
    void shouldStoreEveryBlobWhenEightThreadsPutDifferentBytesIntoSharedFanOutDirectories() throws Exception {
        // Invariants checked: 8 threads x 64 distinct small blobs (so fan-out directories are
        // created concurrently) all end up stored and verifiable, with no temp file left.
        FileBlobStore store = new FileBlobStore(blobsDir());
        int threads = 8, perThread = 64;
        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Hash> digests = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random rnd = new Random(SEED + t); // one Random per thread, derived from the seed
            workers.add(Thread.ofPlatform().unstarted(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        byte[] b = new byte[1 + rnd.nextInt(300)];
                        rnd.nextBytes(b);
                        Hash h = store.put(b);
                        if (!h.equals(Hash.sha256(b))) throw new AssertionError("wrong digest " + h);
                        digests.add(h);
                    }
                } catch (Throwable x) {
                    failures.add(x);
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread t : workers) t.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(failures).as(seedNote()).isEmpty();
        assertThat(store.list()).as(seedNote()).containsExactlyInAnyOrderElementsOf(new java.util.HashSet<>(digests));
        for (Hash h : digests) assertThat(store.check(h)).isEmpty();
        assertThat(tmpFiles()).isEmpty();
    }

    private List<Path> tmpFiles() {
        try (Stream<Path> s = Files.list(blobsDir().resolve("tmp"))) {
            return s.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<Path> blobFiles() throws IOException {
        try (Stream<Path> s = Files.walk(blobsDir().resolve("sha256"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
