import ArgumentParser
import Foundation
import PacelineCore

/// `paceline engine run --input FILE.json [--today DATE] [--days N] --json`: the adaptive engine on an
/// athlete's history from a file — the state per day, the fitted model, what it learned and the
/// proposals it would make, with the server's code (a stable interface, docs/ENGINE-CLI.md).
struct EngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine", abstract: "The adaptive engine on a scenario file.", subcommands: [Run.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the engine on an athlete's history (JSON) and print its state and proposals.",
            discussion: "The file's schema is in docs/ENGINE-CLI.md. Bad input: a message and exit status 2.")
        @Option(help: "The scenario file (JSON).") var input: String
        @Option(help: "The day to run as (YYYY-MM-DD); overrides the file's “today”.") var today: String?
        @Option(help: "Days of state to print, ending today (1–120).") var days: String = "14"
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            guard let data = FileManager.default.contents(atPath: input) else {
                throw Paceline.fail("cannot read \(input)")
            }
            guard let dayCount = Int(days), (1...Engine.historyDays).contains(dayCount) else {
                throw Paceline.fail("--days: a whole number from 1 to \(Engine.historyDays)")
            }
            var override: CalendarDate? = nil
            if let today {
                guard let day = CalendarDate(today) else {
                    throw Paceline.fail("--today: “\(today)” is not YYYY-MM-DD")
                }
                override = day
            }
            let report: EngineReport
            do {
                let (engineInput, priors) = try EngineScenario.decode(data).input(today: override)
                report = EngineReport.run(engineInput, priors: priors, days: dayCount)
            } catch {
                throw Paceline.fail("\(input): \(error.description)")
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                guard let out = try? encoder.encode(report) else { throw Paceline.fail("cannot encode the report") }
                print(String(decoding: out, as: UTF8.self))
                return
            }
            print("Today \(report.today)")
            for day in report.days {
                print(
                    "\(day.date)  \(day.readiness.padding(toLength: 5, withPad: " ", startingAt: 0))  "
                        + String(format: "CTL %5.1f  ATL %5.1f  TSB %+6.1f  ", day.ctl, day.atl, day.tsb)
                        + day.reasons.joined(separator: "; "))
            }
            if let m = report.model {
                print(
                    String(
                        format: "Model: τ1 %.1f τ2 %.1f k1 %.4f k2 %.4f (τ %@, confidence %.0f %%, %d markers)",
                        m.tau1, m.tau2, m.k1, m.k2, m.tau_fitted ? "fitted" : "at the priors", m.confidence * 100,
                        m.markers))
            }
            for (key, words) in report.learned.words.sorted(by: { $0.key < $1.key }) { print("\(key): \(words)") }
            if report.proposals.isEmpty { print("No changes proposed.") }
            for p in report.proposals {
                print("\n[\(p.kind)] \(p.title)\n\(p.explanation)")
                for c in p.changes { print("  - \(c.words)") }
            }
        }
    }
}
