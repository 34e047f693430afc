package io.quire.bench;

import io.quire.core.Hash;
import io.quire.core.merkle.InclusionProof;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The one place W7 calls the pure verifier {@code io.quire.core.merkle.MerkleMath.verifyInclusion}.
 *
 * <p>TODO(merkle-merge): MerkleMath is being written on another branch. Until it is merged into
 * main this binds to it reflectively (once, into a MethodHandle: no per-call reflection cost) and
 * reports "unavailable" when it is absent. After the merge replace the body of {@link #verify} by
 * the direct call {@code MerkleMath.verifyInclusion(proof, root)} and delete the lookup.
 */
final class MerkleVerify {
    private static final MethodHandle VERIFY;
    private static final boolean RETURNS_BOOLEAN;
    private static final String MISSING;

    static {
        MethodHandle h = null;
        boolean bool = false;
        String missing = null;
        try {
            Class<?> c = Class.forName("io.quire.core.merkle.MerkleMath");
            Method found = null;
            for (Method m : c.getMethods()) {
                if (m.getName().equals("verifyInclusion") && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 2
                        && m.getParameterTypes()[0].isAssignableFrom(InclusionProof.class)
                        && m.getParameterTypes()[1].isAssignableFrom(Hash.class)) {
                    found = m;
                }
            }
            if (found == null) {
                missing = "io.quire.core.merkle.MerkleMath has no static verifyInclusion(InclusionProof, Hash)";
            } else {
                h = MethodHandles.publicLookup().unreflect(found);
                bool = found.getReturnType() == boolean.class || found.getReturnType() == Boolean.class;
            }
        } catch (ClassNotFoundException e) {
            missing = "io.quire.core.merkle.MerkleMath is not merged yet";
        } catch (IllegalAccessException e) {
            missing = "MerkleMath.verifyInclusion is not accessible: " + e;
        }
        VERIFY = h;
        RETURNS_BOOLEAN = bool;
        MISSING = missing;
    }

    private MerkleVerify() {}

    /** Null when the verifier is there, else why not. */
    static String missing() { return MISSING; }

    /** Verifies; throws when the proof does not verify (or, for a boolean verifier, it says false). */
    static void verify(InclusionProof proof, Hash root) {
        if (VERIFY == null) throw new UnsupportedOperationException(MISSING);
        try {
            Object r = VERIFY.invoke(proof, root);
            if (RETURNS_BOOLEAN && !((Boolean) r)) {
                throw new IllegalStateException("inclusion proof of position " + proof.index() + " in size " + proof.size() + " did not verify");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
