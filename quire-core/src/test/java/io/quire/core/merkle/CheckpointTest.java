package io.quire.core.merkle;

import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.QuireException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {
    static KeyPair kp;
    static KeyPair other;
    static final Hash ROOT = MerkleMath.rootOf(TestSeeds.entries(13));

    @BeforeAll
    static void keys() throws Exception {
        kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @Test
    void shouldRoundTripSignEncodeParseVerify() {
        Checkpoint c = Checkpoint.sign("ledger-a", 13, ROOT, 1_700_000_000_000_000_000L, kp);
        String text = c.encode();
        assertThat(text).startsWith("quire checkpoint v1\norigin ledger-a\nsize 13\nroot " + ROOT.hex() + "\ntimestamp_ns 1700000000000000000\nkey ")
                .endsWith("\n").doesNotContain("\r");
        assertThat(text.lines()).hasSize(7);
        Checkpoint back = Checkpoint.parse(text);
        assertThat(back).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(back.encode()).isEqualTo(text);
        assertThat(back.verifySignature()).isTrue();
        assertThat(back.verifySignature(kp.getPublic())).isTrue();
        assertThat(back.verifySignature(other.getPublic())).as("another ledger's key").isFalse();
        assertThat(back.signerKey().getEncoded()).isEqualTo(kp.getPublic().getEncoded());
        assertThat(back.toString()).contains("size=13").contains(ROOT.hex());
        // The signed bytes are exactly the text before "sig", LF included.
        assertThat(new String(back.signedBytes(), StandardCharsets.UTF_8)).isEqualTo(text.substring(0, text.indexOf("sig ")));
    }

    @Test
    void shouldFailVerificationOrParsingForEveryFlippedByte() {
        String text = Checkpoint.sign("ledger-a", 13, ROOT, 42, kp).encode();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            for (int bit : new int[] {0x01, 0x20}) {
                byte[] b = bytes.clone();
                b[i] ^= (byte) bit;
                String mutated = new String(b, StandardCharsets.UTF_8);
                boolean accepted;
                try {
                    accepted = Checkpoint.parse(mutated).verifySignature(kp.getPublic());
                } catch (QuireException e) {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.getMessage()).as("byte %d", i).containsPattern("checkpoint( line \\d+:| is|)");
                    accepted = false;
                }
                assertThat(accepted).as("byte %d bit %x of:%n%s", i, bit, mutated).isFalse();
            }
        }
    }

    @Test
    void shouldFailVerificationWhenALineChanges() {
        Checkpoint c = Checkpoint.sign("ledger-a", 13, ROOT, 42, kp);
        String text = c.encode();
        for (String[] edit : new String[][] {{"size 13", "size 14"}, {"origin ledger-a", "origin ledger-b"},
                {"timestamp_ns 42", "timestamp_ns 43"}, {"root " + ROOT.hex(), "root " + MerkleMath.EMPTY_ROOT.hex()}}) {
            Checkpoint changed = Checkpoint.parse(text.replace(edit[0], edit[1]));
            assertThat(changed.verifySignature()).as(edit[1]).isFalse();
        }
        // Someone else's key and signature over the same statement: valid, but not trusted.
        Checkpoint forged = Checkpoint.sign("ledger-a", 13, ROOT, 42, other);
        assertThat(forged.verifySignature()).isTrue();
        assertThat(forged.verifySignature(kp.getPublic())).isFalse();
    }

    @Test
    void shouldNameTheLineOfAParseError() {
        String good = Checkpoint.sign("ledger-a", 13, ROOT, 42, kp).encode();
        expectInvalid(good.replace("quire checkpoint v1", "quire checkpoint v2"), "checkpoint format v2 is newer than supported v1");
        expectInvalid(good.replace("quire checkpoint v1", "quire checkpoint v17"), "checkpoint format v17 is newer than supported v1");
        expectInvalid(good.replace("quire checkpoint v1", "quire checkpoint v0"), "line 1: expected \"quire checkpoint v1\"");
        expectInvalid(good.replace("size 13", "size 013"), "line 3: size must be a decimal");
        expectInvalid(good.replace("size 13", "size -1"), "line 3: size must be a decimal");
        expectInvalid(good.replace("size 13", "size 99999999999999999999"), "line 3: size must be a decimal");
        expectInvalid(good.replace("size 13", "size 9999999999999999999"), "line 3: size is larger than");
        expectInvalid(good.replace("root " + ROOT.hex(), "root " + ROOT.hex().toUpperCase()), "line 4: root must be 64 lowercase hex");
        expectInvalid(good.replace("timestamp_ns 42", "timestamp 42"), "line 5: expected \"timestamp_ns …\"");
        expectInvalid(good.replace("key MC", "key !!"), "line 6: key is not base64");
        expectInvalid(good.replace("key MC", "key MD"), "line 6: key is not");
        expectInvalid(good.substring(0, good.length() - 1), "line 7: missing LF");
        expectInvalid(good.replace("\n", "\r\n"), "line 1: CR found");
        expectInvalid(good + "extra\n", "line 8: unexpected line");
        expectInvalid(good.substring(0, good.indexOf("sig ")), "line 7: expected \"sig …\", found the end of the checkpoint");
        expectInvalid(good.replace("origin ledger-a", "origin "), "line 2: origin has no value");
        expectInvalid(good.replace("origin ledger-a", "origin  x"), "line 2: checkpoint origin has leading or trailing spaces");
        expectInvalid("", "checkpoint is empty");
    }

    @Test
    void shouldAcceptAnOriginAtTheLimitAndRefuseOneByteMore() {
        String max = "o".repeat(Checkpoint.ORIGIN_BYTES_MAX);
        Checkpoint c = Checkpoint.sign(max, 0, MerkleMath.EMPTY_ROOT, 0, kp);
        assertThat(Checkpoint.parse(c.encode()).verifySignature()).isTrue();
        assertThatThrownBy(() -> Checkpoint.sign(max + "o", 0, MerkleMath.EMPTY_ROOT, 0, kp))
                .isInstanceOf(QuireException.class).hasMessageContaining("256 bytes, at most 255");
        assertThatThrownBy(() -> Checkpoint.sign("a\nb", 0, MerkleMath.EMPTY_ROOT, 0, kp))
                .isInstanceOf(QuireException.class).hasMessageContaining("control");
        assertThat(Checkpoint.parse(Checkpoint.sign("grüße/日本", 1, ROOT, 1, kp).encode()).origin()).isEqualTo("grüße/日本");
    }

    @Test
    void shouldCopyByteArraysInAndOut() {
        Checkpoint c = Checkpoint.sign("ledger-a", 13, ROOT, 42, kp);
        c.signature()[0] ^= 1;
        c.publicKey()[10] ^= 1;
        assertThat(c.verifySignature()).isTrue();
    }

    @Test
    void shouldRefuseANonEd25519SigningKey() throws Exception {
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> Checkpoint.sign("x", 0, MerkleMath.EMPTY_ROOT, 0, ec)).isInstanceOf(QuireException.class);
    }

    private static void expectInvalid(String text, String message) {
        assertThatThrownBy(() -> Checkpoint.parse(text)).as(message)
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .hasMessageContaining(message);
    }
}
