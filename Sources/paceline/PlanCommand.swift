import ArgumentParser
import Foundation
import PacelineCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Training plans.", subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate a periodized plan for a goal race.")

        @Option(help: "Race distance in meters (e.g. 5000, 10000, 21097.5, 42195).") var raceDistance: String
        @Option(help: "Race date YYYY-MM-DD (or use --weeks).") var raceDate: String?
        @Option(help: "Number of weeks (or use --race-date).") var weeks: Int?
        @Option(help: "Current VDOT.") var vdot: String
        @Option(help: "basic, intermediate or advanced.") var level: String
        @Option(help: "Quality days, e.g. tue,thu.") var qualityDays: String = ""
        @Option(help: "Long-run day, e.g. sun.") var longRunDay: String
        @Option(help: "Rest days, e.g. mon,fri.") var restDays: String = ""
        @Option(help: "Current weekly volume in km.") var weeklyKm: String
        @Option(help: "Maximum training days per week.") var maxDays: Int?
        @Option(help: "Today's date (default: today, UTC); for reproducible output.") var today: String?
        @Flag(help: "Print JSON.") var json = false

        func days(_ text: String, option: String) throws -> [Weekday] {
            try text.split(separator: ",").map { code in
                guard let day = Weekday(code: code.trimmingCharacters(in: .whitespaces)) else {
                    throw Self.fail("--\(option): “\(code)” is not a weekday (mon, tue, wed, thu, fri, sat, sun)")
                }
                return day
            }
        }

        func run() throws {
            guard let distance = Double(raceDistance), distance.isFinite else {
                throw Self.fail("--race-distance must be a number of meters")
            }
            guard let vdot = Double(vdot), vdot.isFinite else { throw Self.fail("--vdot must be a number") }
            guard let volume = Double(weeklyKm), volume.isFinite else {
                throw Self.fail("--weekly-km must be a number")
            }
            guard let level = TrainingLevel(rawValue: level) else {
                throw Self.fail("--level must be basic, intermediate or advanced")
            }
            var date: CalendarDate?
            if let raceDate {
                guard let parsed = CalendarDate(raceDate) else { throw Self.fail("--race-date must be YYYY-MM-DD") }
                date = parsed
            }
            let todayDate: CalendarDate
            if let today {
                guard let parsed = CalendarDate(today) else { throw Self.fail("--today must be YYYY-MM-DD") }
                todayDate = parsed
            } else {
                todayDate = CalendarDate(Date(), timeZone: .gmt)
            }
            guard let long = try days(longRunDay, option: "long-run-day").first else {
                throw Self.fail("--long-run-day is required")
            }
            let request = PlanRequest(
                raceDistanceMeters: distance, raceDate: date, weeks: weeks, vdot: vdot, level: level,
                qualityDays: try days(qualityDays, option: "quality-days"), longRunDay: long,
                restDays: try days(restDays, option: "rest-days"), weeklyKm: volume, maxDays: maxDays, today: todayDate)
            let plan: GeneratedPlan
            do { plan = try PlanGenerator.generate(request) } catch { throw Self.fail(error.description) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(PlanJSON(plan)), as: UTF8.self))
                return
            }
            print(plan.template.name)
            print(plan.template.description)
            let zones = plan.template.referenceVDOT.flatMap { try? VDOT($0) }.map { PaceZones(vdot: $0) }
            for (index, week) in plan.template.weeks.enumerated() {
                let totals = week.totals(zones: zones)
                print(
                    String(
                        format: "\nWeek %d — %@%@ — %.1f km, %@", index + 1, week.phase?.rawValue ?? "",
                        week.isRecovery ? " (recovery)" : "",
                        totals.distanceMeters / 1000, WorkoutWords.duration(totals.durationSeconds)))
                for day in Weekday.allCases {
                    print("  \(day.short)  \(week[day]?.name ?? "rest")")
                }
            }
        }
    }
}
