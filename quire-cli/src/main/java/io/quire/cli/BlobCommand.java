package io.quire.cli;

import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.QuireException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

@Command(name = "blob", mixinStandardHelpOptions = true,
        description = {"The content-addressed blob store: blobs are named by their SHA-256, stored once,",
                "and verified on every read."},
        subcommands = {BlobCommand.Put.class, BlobCommand.Get.class},
        footerHeading = "%nExamples:%n",
        footer = {"  d=$(quire blob put schema.json) && quire blob get \"$d\" -o copy.json"})
final class BlobCommand extends BaseCommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = {"Store FILE as a blob and print its SHA-256 digest (64 hex digits).",
                    "Storing the same bytes again stores nothing and prints the same digest."},
            footerHeading = "%nExamples:%n",
            footer = {"  quire blob put release.tar.gz", "  tar c conf/ | quire blob put -"})
    static final class Put extends BaseCommand {
        @Mixin LedgerFlags ledgerFlags;

        @Parameters(index = "0", paramLabel = "FILE", description = "File to store ('-' for stdin).")
        Path file;

        @Override
        public Integer call() {
            boolean stdin = file.toString().equals("-");
            if (!stdin && !Files.isRegularFile(file)) throw new UncheckedIOException(new NoSuchFileException(file.toString()));
            try (Ledger ledger = open();
                 InputStream in = stdin ? io().in() : Files.newInputStream(file)) {
                Hash digest = ledger.blobs().put(in);
                println(digest.hex());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Write the blob DIGEST to FILE, verifying its SHA-256 while streaming. The file",
                    "is written next to FILE under a temporary name and renamed only once the digest",
                    "verified, so a damaged blob (exit 2) or a missing one (exit 3) leaves no FILE."},
            footerHeading = "%nExamples:%n",
            footer = {"  quire blob get 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 -o out.bin"})
    static final class Get extends BaseCommand {
        @Parameters(index = "0", paramLabel = "DIGEST", converter = Converters.HashConverter.class,
                description = "SHA-256 of the blob, 64 hex digits (as 'blob put' prints it).")
        Hash digest;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
                description = "File to write ('-' for stdout, which cannot be taken back if the blob is damaged). Required.")
        Path output;

        @Override
        public Integer call() {
            try (Ledger ledger = openReadOnly()) {
                if (!ledger.blobs().contains(digest)) throw QuireException.notFound("no blob " + digest.hex());
                if (output.toString().equals("-")) {
                    ledger.blobs().get(digest, out());
                    out().flush();
                } else {
                    AtomicFiles.write(output, o -> ledger.blobs().get(digest, o));
                    io().err().println("wrote blob " + digest.hex() + " to " + output);
                }
            }
            return ExitCodes.OK;
        }
    }
}
