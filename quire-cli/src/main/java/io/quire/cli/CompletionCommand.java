package io.quire.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash (and zsh, via bashcompinit) completion script for quire."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(quire completion)                        # this shell",
                "  quire completion > /etc/bash_completion.d/quire    # every shell"})
final class CompletionCommand extends BaseCommand {
    @Override
    public Integer call() {
        out().print(AutoComplete.bash("quire", spec.root().commandLine()));
        out().flush();
        return ExitCodes.OK;
    }
}
