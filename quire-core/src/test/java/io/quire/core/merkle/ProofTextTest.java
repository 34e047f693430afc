package io.quire.core.merkle;

import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProofTextTest {
    static final Hash A = TestSeeds.entry(1);
    static final Hash B = TestSeeds.entry(2);

    @Test
    void shouldRoundTripInclusionProofs() {
        for (InclusionProof p : List.of(new InclusionProof(0, 1, A, List.of()), new InclusionProof(5, 13, A, List.of(A, B, A)))) {
            String text = p.encode();
            assertThat(InclusionProof.parse(text)).isEqualTo(p);
            assertThat(InclusionProof.parse(text).encode()).isEqualTo(text);
        }
        assertThat(new InclusionProof(0, 2, A, List.of(B)).encode())
                .isEqualTo("quire inclusion-proof v1\nindex 0\nsize 2\nentry " + A.hex() + "\npath " + B.hex() + "\n");
        assertThat(new InclusionProof(0, 1, A, List.of()).leafHash()).isEqualTo(MerkleMath.leafHash(A));
    }

    @Test
    void shouldRoundTripConsistencyProofs() {
        for (ConsistencyProof p : List.of(new ConsistencyProof(0, 0, List.of()), new ConsistencyProof(6, 13, List.of(A, B)))) {
            String text = p.encode();
            assertThat(ConsistencyProof.parse(text)).isEqualTo(p);
            assertThat(ConsistencyProof.parse(text).encode()).isEqualTo(text);
        }
        assertThat(new ConsistencyProof(1, 2, List.of(B)).encode()).isEqualTo("quire consistency-proof v1\nold_size 1\nnew_size 2\npath " + B.hex() + "\n");
    }

    @Test
    void shouldNameTheLineOfAnInclusionParseError() {
        String good = new InclusionProof(5, 13, A, List.of(A, B)).encode();
        expectInvalid(() -> InclusionProof.parse(good.replace("v1", "v2")), "inclusion proof format v2 is newer than supported v1");
        expectInvalid(() -> InclusionProof.parse(good.replace("index 5", "index 13")), "inclusion proof line 3: index 13 is not below size 13");
        expectInvalid(() -> InclusionProof.parse(good.replace("entry ", "entry x")), "inclusion proof line 4: entry must be 64 lowercase hex");
        expectInvalid(() -> InclusionProof.parse(good.replace("path " + B.hex(), "path " + B.hex() + "0")), "inclusion proof line 6: path must be");
        expectInvalid(() -> InclusionProof.parse(good + "size 3\n"), "inclusion proof line 7: unexpected line");
        expectInvalid(() -> InclusionProof.parse(good.replace("size 13\n", "")), "inclusion proof line 3: expected \"size …\"");
        String many = new InclusionProof(0, 2, A, List.of()).encode() + ("path " + A.hex() + "\n").repeat(65);
        expectInvalid(() -> InclusionProof.parse(many), "inclusion proof line 69: more than 64 path hashes");
    }

    @Test
    void shouldNameTheLineOfAConsistencyParseError() {
        String good = new ConsistencyProof(6, 13, List.of(A)).encode();
        expectInvalid(() -> ConsistencyProof.parse(good.replace("v1", "v3")), "consistency proof format v3 is newer than supported v1");
        expectInvalid(() -> ConsistencyProof.parse(good.replace("new_size 13", "new_size 5")), "consistency proof line 3: new_size 5 is below old_size 6");
        expectInvalid(() -> ConsistencyProof.parse(good.replace("old_size 6", "old_size +6")), "consistency proof line 2: old_size must be a decimal");
        expectInvalid(() -> ConsistencyProof.parse(good.replace("path", "paths")), "consistency proof line 4: unexpected line");
        expectInvalid(() -> ConsistencyProof.parse("quire inclusion-proof v1\n"), "consistency proof line 1: expected \"quire consistency-proof v1\"");
    }

    private static void expectInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).as(message)
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .hasMessageContaining(message);
    }
}
