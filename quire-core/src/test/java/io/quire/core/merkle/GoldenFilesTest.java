package io.quire.core.merkle;

import io.quire.core.Hash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checked-in files in src/test/resources/golden/merkle/: a checkpoint over the 13 test entries
 * signed by the key in ledger.pub, and two proofs over the same tree. Each is decoded and
 * re-encoded byte for byte and verified against roots recomputed in memory; the proofs must also
 * be what the tile store generates today. A change here is a format change: bump the version.
 */
class GoldenFilesTest {
    static final int ENTRIES = 13;

    @TempDir Path tmp;

    static String golden(String name) throws IOException {
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/merkle/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldDecodeAndReencodeTheGoldenCheckpoint() throws Exception {
        String text = golden("checkpoint-v1.txt");
        Checkpoint c = Checkpoint.parse(text);
        assertThat(c.encode()).isEqualTo(text);
        assertThat(c.origin()).isEqualTo("quire.example/ledger-1");
        assertThat(c.size()).isEqualTo(ENTRIES);
        assertThat(c.timestampNs()).isEqualTo(1767225600123456789L);
        assertThat(c.root()).isEqualTo(MerkleMath.rootOf(TestSeeds.entries(ENTRIES)));
        Path pub = tmp.resolve("ledger.pub");
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/merkle/ledger.pub")) {
            Files.write(pub, in.readAllBytes());
        }
        assertThat(c.verifySignature(LedgerKeys.loadPublic(pub))).isTrue();
    }

    @Test
    void shouldDecodeReencodeAndRegenerateTheGoldenProofs() throws Exception {
        List<Hash> entries = TestSeeds.entries(ENTRIES);
        String inclusionText = golden("inclusion-proof-v1.txt");
        String consistencyText = golden("consistency-proof-v1.txt");
        InclusionProof inclusion = InclusionProof.parse(inclusionText);
        ConsistencyProof consistency = ConsistencyProof.parse(consistencyText);
        assertThat(inclusion.encode()).isEqualTo(inclusionText);
        assertThat(consistency.encode()).isEqualTo(consistencyText);
        Hash root13 = MerkleMath.rootOf(entries);
        Hash root6 = MerkleMath.rootOf(entries.subList(0, 6));
        assertThat(MerkleMath.verifyInclusion(inclusion, root13)).isTrue();
        assertThat(MerkleMath.verifyConsistency(consistency, root6, root13)).isTrue();
        try (TileStore store = TileStore.open(tmp.resolve("merkle"))) {
            for (Hash e : entries) store.append(e);
            store.flush();
            assertThat(store.proveInclusion(5, ENTRIES, entries.get(5)).encode()).isEqualTo(inclusionText);
            assertThat(store.proveConsistency(6, ENTRIES).encode()).isEqualTo(consistencyText);
        }
    }

    /** The worked example of docs/FORMAT.md "Level files": if this changes, so must the document. */
    @Test
    void shouldMatchTheWorkedExampleOfTheFormatDocument() throws Exception {
        String l0 = "0862a701ab073a29364311391ba1b574a5e34ecc51ea0598ee670779623fc9a1";
        String l1 = "0957cdb367a0873d0e83d952244ded3f1c1ce46f4193596002f0b75890588a3a";
        String l2 = "4431305a7eb62f3b4976ecf0522b84f021f5b9381e418f758040cc2bc5235f53";
        String n01 = "fa890212440d52eb2e64eb65f64aa36eb0107cee9b4d4d3251968e0703698039";
        List<Hash> entries = TestSeeds.entries(3);
        assertThat(entries.get(0).hex()).isEqualTo("ed70272f7ee94744d884d0d7239ddec88767d425d91ead5f8c08bd59554f7737");
        Path dir = tmp.resolve("merkle");
        try (TileStore store = TileStore.open(dir)) {
            for (Hash e : entries) store.append(e);
            store.flush();
            assertThat(store.root(2).hex()).isEqualTo(n01);
            assertThat(store.root(3).hex()).isEqualTo("6ce4b9e5998d710735d3d0d499d770f1c38109d4dc40255e23f88495df34fb89");
            assertThat(store.proveInclusion(2, 3, entries.get(2)).path()).containsExactly(Hash.parse(n01));
            assertThat(store.proveConsistency(2, 3).path()).containsExactly(Hash.parse(l2));
        }
        java.util.HexFormat hex = java.util.HexFormat.of();
        assertThat(dir.resolve("level-00.hashes")).hasBinaryContent(hex.parseHex(l0 + l1 + l2));
        assertThat(dir.resolve("level-01.hashes")).hasBinaryContent(hex.parseHex(n01));
        assertThat(dir.resolve("level-02.hashes")).doesNotExist();
    }
}
