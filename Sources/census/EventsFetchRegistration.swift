import ArgumentParser

/// TEMPORARY (drop this commit at merge): `census events` holding only `fetch`, so fetch can be
/// tried on this branch. The real `census events` group comes from the events branch.
struct TemporaryEventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "GitHub events from GH Archive (only fetch on this branch).",
        subcommands: [EventsFetchCommand.self])
}
