import ArgumentParser

/// The `biomed-r1` command.
@main
struct BioMedR1Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomed-r1",
        abstract: "Run, serve and evaluate medical reasoning LLMs on a CPU.",
        subcommands: [GenerateCommand.self, ChatCommand.self, TokenizeCommand.self, BenchCommand.self, StratifyCommand.self, ConvertCommand.self])
}
