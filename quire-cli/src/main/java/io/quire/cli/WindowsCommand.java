package io.quire.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code quire windows}: the windows ledger's process-level commands (status, the engine runner,
 * the operator TUI). Wiring only; each subcommand lives in its own class. Without a subcommand it
 * prints its usage and exits with the usage code.
 */
@Command(name = "windows", mixinStandardHelpOptions = true,
        description = {"The windows ledger (docs/WINDOWS.md): every symbol x market minute of a trading year.",
                "Run 'quire windows <command> --help' for a command's options."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire windows status --json                 # status ratios, lag per column, backlog",
                "  quire windows run --help                    # the engines in one supervised process",
                "  quire windows tui --year 2025               # heat map of slot status over SSH"},
        subcommands = {WindowsStatusCommand.class, WindowsRunCommand.class, WindowsTuiCommand.class})
final class WindowsCommand implements java.util.concurrent.Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new CliUsageException("quire windows: name a subcommand (" + String.join(", ", spec.subcommands().keySet())
                + "); see 'quire windows --help'");
    }
}
