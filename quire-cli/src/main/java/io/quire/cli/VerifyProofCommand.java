package io.quire.cli;

import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.merkle.ConsistencyProof;
import io.quire.core.merkle.InclusionProof;
import io.quire.core.merkle.LedgerKeys;
import io.quire.core.merkle.MerkleMath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Base64;
import java.util.function.Function;

@Command(name = "verify-proof", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a proof offline: needs no ledger directory, only the files.",
                "1. The checkpoint's signature, against --key if given, else the key embedded in",
                "   the checkpoint (which only shows the checkpoint is self-consistent).",
                "2. An inclusion proof against the checkpoint's root, or, with --old-checkpoint,",
                "   a consistency proof from the old checkpoint to the new one.",
                "Exit 0 when everything holds, 2 with the reason when anything does not."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire verify-proof proof.txt --checkpoint cp.txt --key ledger.pub",
                "  quire verify-proof cons.txt --old-checkpoint cp-june.txt --checkpoint cp-july.txt"})
final class VerifyProofCommand extends BaseCommand implements JsonOutput {

    /** Proof and checkpoint files are small text; anything larger is not one of them. */
    static final int PROOF_TEXT_BYTES_MAX = 1024 * 1024;

    @Parameters(index = "0", paramLabel = "PROOF", description = "Proof file from 'quire prove'.")
    Path proofFile;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "Checkpoint file from 'quire checkpoint' (the newer one for consistency). Required.")
    Path checkpointFile;

    @Option(names = "--old-checkpoint", paramLabel = "FILE",
            description = "Older checkpoint: PROOF is then a consistency proof. Default: none (inclusion proof).")
    Path oldCheckpointFile;

    @Option(names = "--key", paramLabel = "PUBFILE",
            description = "The ledger's public key file to check signatures with. Default: the key embedded in the checkpoint.")
    Path keyFile;

    @Option(names = "--json", description = "Print {\"valid\":true,\"checks\":[...]} on success. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        List<String> checks = new ArrayList<>();
        PublicKey key = keyFile == null ? null : LedgerKeys.loadPublic(keyFile);
        String keyName = keyFile == null ? "the key embedded in the checkpoint (pass --key to check who signed it)"
                : "the key in " + keyFile;
        Checkpoint cp = parse(checkpointFile, "checkpoint", Checkpoint::parse);
        checkSignature(cp, checkpointFile, key, keyName, checks);
        if (oldCheckpointFile == null) {
            InclusionProof p = parse(proofFile, "inclusion proof", InclusionProof::parse);
            if (p.size() != cp.size()) {
                fail("the proof is for tree size " + p.size() + " but the checkpoint has size " + cp.size()
                        + " (make the proof with 'quire prove " + p.index() + " --size " + cp.size() + "')");
            }
            if (!MerkleMath.verifyInclusion(p, cp.root())) {
                fail("inclusion proof does not verify: its path from entry " + p.entryHash().hex()
                        + " does not lead to the checkpoint's root " + cp.root().hex());
            }
            checks.add("entry " + p.entryHash().hex() + " is at position " + p.index()
                    + " of the tree of size " + cp.size() + " with root " + cp.root().hex());
        } else {
            Checkpoint old = parse(oldCheckpointFile, "old checkpoint", Checkpoint::parse);
            checkSignature(old, oldCheckpointFile, key, keyName, checks);
            ConsistencyProof p = parse(proofFile, "consistency proof", ConsistencyProof::parse);
            if (p.oldSize() != old.size() || p.newSize() != cp.size()) {
                fail("the proof is for sizes " + p.oldSize() + " -> " + p.newSize() + " but the checkpoints have sizes "
                        + old.size() + " -> " + cp.size());
            }
            if (!MerkleMath.verifyConsistency(p, old.root(), cp.root())) {
                fail("consistency proof does not verify: the tree of size " + cp.size() + " (root " + cp.root().hex()
                        + ") does not extend the tree of size " + old.size() + " (root " + old.root().hex() + ")");
            }
            checks.add("the tree of size " + cp.size() + " extends the tree of size " + old.size()
                    + " (history was only appended to)");
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("valid", true);
            m.put("key", keyFile == null ? "embedded" : keyFile.toString());
            m.put("checks", checks);
            println(Json.line(m));
        } else {
            for (String c : checks) println("ok: " + c);
            println("valid");
        }
        return ExitCodes.OK;
    }

    private static void checkSignature(Checkpoint cp, Path file, PublicKey key, String keyName, List<String> checks) {
        if (key != null && !java.util.Arrays.equals(key.getEncoded(), cp.publicKey())) {
            fail("checkpoint " + file + " is signed by another key than " + keyName + " (it embeds key "
                    + Base64.getEncoder().encodeToString(cp.publicKey()) + ")");
        }
        if (!cp.verifySignature()) fail("signature of " + file + " does not verify with " + keyName);
        checks.add("signature of " + file + " (size " + cp.size() + ") verifies with " + keyName);
    }

    private static <T> T parse(Path file, String what, Function<String, T> parser) {
        String text = readSmall(file, what);
        try {
            return parser.apply(text);
        } catch (QuireException | IllegalArgumentException e) {
            String reason = e instanceof QuireException q ? q.reason() : e.getMessage();
            throw new QuireException(io.quire.core.ErrorKind.INTEGRITY, file + " is not a valid " + what + ": " + reason,
                    Where.file(file.toString(), -1));
        }
    }

    private static String readSmall(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(PROOF_TEXT_BYTES_MAX + 1);
            if (b.length > PROOF_TEXT_BYTES_MAX) {
                throw new QuireException(io.quire.core.ErrorKind.INTEGRITY, file + " is over " + PROOF_TEXT_BYTES_MAX
                        + " bytes, too large to be a " + what, Where.file(file.toString(), -1));
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fail(String reason) {
        throw new QuireException(io.quire.core.ErrorKind.INTEGRITY, reason);
    }
}
