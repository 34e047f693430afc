package io.quire.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code quire context}: a client of a running {@code quire serve} (Converge ContextService over gRPC). Wiring
 * only; each subcommand lives in its own class and shares {@link ContextBase}. Without a subcommand it is a
 * usage error.
 */
@Command(name = "context", mixinStandardHelpOptions = true,
        description = {"Talk to a running 'quire serve' over gRPC (Converge ContextService, docs/API.md).",
                "Every subcommand takes --server HOST:PORT (default $QUIRE_SERVER, else 127.0.0.1:50051),",
                "--token T (default $QUIRE_TOKEN), --tls / --ca PEM, --timeout MS and --json.",
                "Run 'quire context <command> --help' for a command's options."},
        subcommands = {ContextAppendCommand.class, ContextGetCommand.class, ContextWatchCommand.class,
                ContextSnapshotCommand.class, ContextLoadCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  echo '{\"n\":1}' | quire context append run-42 --key facts",
                "  quire context get run-42 --after 10 --limit 100 --json",
                "  quire context watch run-42 --count 5",
                "  quire context snapshot run-42 -o run-42.snap && quire context load run-42-copy run-42.snap",
                "",
                "Exit codes: 0 ok; 1 INVALID_ARGUMENT or bad options; 2 DATA_LOSS; 3 NOT_FOUND or a missing file;",
                "  4 ALREADY_EXISTS, FAILED_PRECONDITION, RESOURCE_EXHAUSTED, UNAUTHENTICATED, PERMISSION_DENIED;",
                "  5 UNAVAILABLE (no server), DEADLINE_EXCEEDED and other server failures."})
final class ContextCommand implements java.util.concurrent.Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new CliUsageException("quire context: name a subcommand (" + String.join(", ", spec.subcommands().keySet())
                + "); see 'quire context --help'");
    }
}
