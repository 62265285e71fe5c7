import ArgumentParser

/// The `biomed-r1` command.
@main
struct BioMedR1Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomed-r1",
        abstract: "Run, serve and evaluate medical reasoning LLMs on a CPU.",
        subcommands: [
            GenerateCommand.self, ChatCommand.self, TokenizeCommand.self, EvalCommand.self, ReportCommand.self,
            StratifyCommand.self, BenchCommand.self, ConvertCommand.self, ServeCommand.self,
        ])
}
