package io.quire.cli;

import io.quire.core.Ledger;
import picocli.CommandLine.Command;

import java.nio.file.Path;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create a new, empty ledger directory with its Ed25519 signing key.",
                "Refuses (exit 4) if a ledger already exists there."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire init                         # ./ledger.state, or $QUIRE_DIR",
                "  quire --dir /var/lib/quire init"})
final class InitCommand extends BaseCommand {
    @Override
    public Integer call() {
        Path dir = dir();
        Ledger.init(dir);
        println("initialized ledger at " + dir.toAbsolutePath().normalize());
        println("public key (give it to whoever checks proofs: quire verify-proof --key): " + dir.resolve("keys").resolve(io.quire.core.merkle.LedgerKeys.PUBLIC_KEY_FILE).toAbsolutePath().normalize());
        return ExitCodes.OK;
    }
}
