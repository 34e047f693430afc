package io.quire.core.merkle;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerKeysTest {
    @TempDir Path tmp;

    @Test
    void shouldCreateLoadAndSignWithTheLedgerKey() throws Exception {
        Path keys = tmp.resolve("ledger.state").resolve("keys");
        KeyPair created = LedgerKeys.create(keys);
        assertThat(keys.resolve("ledger.pub")).hasBinaryContent(created.getPublic().getEncoded());
        assertThat(Files.size(keys.resolve("ledger.pub"))).isEqualTo(44);
        if (keys.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("ledger.key")))).isEqualTo("rw-------");
        }
        try (var s = Files.list(keys)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ledger.key", "ledger.pub");
        }
        KeyPair loaded = LedgerKeys.load(keys);
        assertThat(loaded.getPublic().getEncoded()).isEqualTo(created.getPublic().getEncoded());
        assertThat(loaded.getPrivate().getEncoded()).isEqualTo(created.getPrivate().getEncoded());
        Checkpoint c = Checkpoint.sign("o", 0, MerkleMath.EMPTY_ROOT, 0, loaded);
        assertThat(c.verifySignature(LedgerKeys.loadPublic(keys.resolve("ledger.pub")))).isTrue();
    }

    @Test
    void shouldRefuseToOverwriteAKey() {
        Path keys = tmp.resolve("keys");
        LedgerKeys.create(keys);
        assertThatThrownBy(() -> LedgerKeys.create(keys))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("ledger.key");
    }

    @Test
    void shouldNameTheMissingOrDamagedFile() throws Exception {
        Path keys = tmp.resolve("keys");
        assertThatThrownBy(() -> LedgerKeys.load(keys))
                .isInstanceOfSatisfying(QuireException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                    assertThat(e.where().file()).endsWith("ledger.pub");
                });
        LedgerKeys.create(keys);
        byte[] key = Files.readAllBytes(keys.resolve("ledger.key"));
        Files.write(keys.resolve("ledger.key"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> LedgerKeys.load(keys))
                .isInstanceOfSatisfying(QuireException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                    assertThat(e.where().file()).endsWith("ledger.key");
                });
        Files.write(keys.resolve("ledger.key"), key);
        Path otherKeys = tmp.resolve("other");
        LedgerKeys.create(otherKeys);
        Files.copy(otherKeys.resolve("ledger.pub"), keys.resolve("ledger.pub"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> LedgerKeys.load(keys)).isInstanceOf(QuireException.class).hasMessageContaining("not one key pair");
        Files.write(keys.resolve("ledger.pub"), new byte[44]);
        assertThatThrownBy(() -> LedgerKeys.loadPublic(keys.resolve("ledger.pub")))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY))
                .hasMessageContaining("not an X.509 Ed25519 public key");
        Files.delete(keys.resolve("ledger.key"));
        Files.write(keys.resolve("ledger.pub"), Files.readAllBytes(otherKeys.resolve("ledger.pub")));
        assertThatThrownBy(() -> LedgerKeys.load(keys))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("private key is missing");
    }
}
