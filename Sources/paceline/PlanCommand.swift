import ArgumentParser
import Foundation
import PacelineCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Training plans.", subcommands: [Generate.self, Endurance.self])

    /// "tue,thu" → the weekdays; anything else exits 2 naming the option.
    static func weekdays(_ text: String, option: String) throws -> [Weekday] {
        try text.split(separator: ",").map { code in
            guard let day = Weekday(code: code.trimmingCharacters(in: .whitespaces)) else {
                throw Self.fail("--\(option): “\(code)” is not a weekday (mon, tue, wed, thu, fri, sat, sun)")
            }
            return day
        }
    }

    /// An optional date option: nil when absent, exit 2 when unreadable.
    static func date(_ text: String?, option: String) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let parsed = CalendarDate(text) else { throw Self.fail("--\(option) must be YYYY-MM-DD") }
        return parsed
    }

    static func level(_ text: String) throws -> TrainingLevel {
        guard let level = TrainingLevel(rawValue: text) else {
            throw Self.fail("--level must be basic, intermediate or advanced")
        }
        return level
    }

    /// The plan as JSON (then true: nothing more to print), else its name and description.
    static func printHead(_ plan: GeneratedPlan, json: Bool) throws -> Bool {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(PlanJSON(plan)), as: UTF8.self))
            return true
        }
        print(plan.template.name)
        print(plan.template.description)
        return false
    }

    /// `--today`, else today in UTC.
    static func today(_ text: String?) throws -> CalendarDate {
        guard let text else { return CalendarDate(Date(), timeZone: .gmt) }
        guard let parsed = CalendarDate(text) else { throw Self.fail("--today must be YYYY-MM-DD") }
        return parsed
    }

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

        func run() throws {
            guard let distance = Double(raceDistance), distance.isFinite else {
                throw Self.fail("--race-distance must be a number of meters")
            }
            guard let vdot = Double(vdot), vdot.isFinite else { throw Self.fail("--vdot must be a number") }
            guard let volume = Double(weeklyKm), volume.isFinite else {
                throw Self.fail("--weekly-km must be a number")
            }
            let level = try PlanCommand.level(level)
            let date = try PlanCommand.date(raceDate, option: "race-date")
            let todayDate = try PlanCommand.today(today)
            guard let long = try PlanCommand.weekdays(longRunDay, option: "long-run-day").first else {
                throw Self.fail("--long-run-day is required")
            }
            let request = PlanRequest(
                raceDistanceMeters: distance, raceDate: date, weeks: weeks, vdot: vdot, level: level,
                qualityDays: try PlanCommand.weekdays(qualityDays, option: "quality-days"), longRunDay: long,
                restDays: try PlanCommand.weekdays(restDays, option: "rest-days"), weeklyKm: volume, maxDays: maxDays,
                today: todayDate)
            let plan: GeneratedPlan
            do { plan = try PlanGenerator.generate(request) } catch { throw Self.fail(error.description) }
            if try PlanCommand.printHead(plan, json: json) { return }
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

    /// `paceline plan endurance`: the cycling and triathlon generator (docs/PLAN-GENERATOR.md).
    struct Endurance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a plan for a cycling event or a sprint or olympic triathlon.")

        @Option(help: "cycling, sprint-triathlon or olympic-triathlon.") var goal: String
        @Option(help: "Event date YYYY-MM-DD (or use --weeks).") var eventDate: String?
        @Option(help: "Number of weeks (or use --event-date).") var weeks: Int?
        @Option(help: "Training hours a week now.") var hours: String
        @Option(help: "basic, intermediate or advanced.") var level: String
        @Option(help: "Training days, e.g. tue,wed,thu,sat,sun.") var trainingDays: String
        @Option(help: "The long ride's day (the brick's for triathletes), e.g. sat.") var longDay: String
        @Option(help: "Quality days, e.g. tue,thu.") var qualityDays: String = ""
        @Option(help: "FTP in watts (cycling).") var ftp: String?
        @Option(help: "The event's distance in km (cycling, optional).") var eventKm: String?
        @Option(help: "Today's date (default: today, UTC); for reproducible output.") var today: String?
        @Flag(help: "Print JSON.") var json = false

        func number(_ text: String?, option: String) throws -> Double? {
            guard let text else { return nil }
            guard let value = NumberInput.decimal(text), value.isFinite else {
                throw Self.fail("--\(option) must be a number")
            }
            return value
        }

        func run() throws {
            guard let goal = EnduranceGoal(rawValue: goal) else {
                throw Self.fail("--goal must be cycling, sprint-triathlon or olympic-triathlon")
            }
            let level = try PlanCommand.level(level)
            guard let hours = try number(hours, option: "hours") else { throw Self.fail("--hours is required") }
            let date = try PlanCommand.date(eventDate, option: "event-date")
            let todayDate = try PlanCommand.today(today)
            guard let long = try PlanCommand.weekdays(longDay, option: "long-day").first else {
                throw Self.fail("--long-day is required")
            }
            let request = EndurancePlanRequest(
                goal: goal, eventDate: date, weeks: weeks, hoursPerWeek: hours, level: level,
                trainingDays: try PlanCommand.weekdays(trainingDays, option: "training-days"), longDay: long,
                qualityDays: try PlanCommand.weekdays(qualityDays, option: "quality-days"),
                ftp: try number(ftp, option: "ftp"),
                eventKm: try number(eventKm, option: "event-km"), today: todayDate)
            let plan: GeneratedPlan
            do { plan = try PlanGenerator.generate(request) } catch { throw Self.fail(error.description) }
            if try PlanCommand.printHead(plan, json: json) { return }
            for (index, week) in plan.template.weeks.enumerated() {
                let sessions = week.days.compactMap { $0 }
                func minutes(_ sport: Sport) -> Double {
                    sessions.filter { $0.sport == sport }.reduce(0) {
                        $0 + ($1.targetDurationSeconds ?? WorkoutTotals($1.blocks, zones: nil).durationSeconds)
                    } / 60
                }
                let split = [Sport.swim, .bike, .run].filter { minutes($0) > 0 }
                    .map { "\($0.label.lowercased()) \(Int(minutes($0))) min" }.joined(separator: ", ")
                let phase = (week.phase?.rawValue ?? "") + (week.isRecovery ? " (recovery)" : "")
                print("\nWeek \(index + 1) — \(phase) — \(split)")
                for day in Weekday.allCases {
                    print("  \(day.short)  \(week[day]?.name ?? "rest")")
                }
            }
        }
    }
}
