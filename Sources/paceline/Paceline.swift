import ArgumentParser
import Foundation
import Logging
import PacelineCore
import PacelineStore
import PacelineWeb

@main
struct Paceline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paceline",
        abstract: "Paceline: a coaching web app for endurance sport.",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, UserCommand.self, VDOTCommand.self, PlanCommand.self,
            ActivityCommand.self, ModelCommand.self, EngineCommand.self, ZonesCommand.self,
            Backup.self, Restore.self, CopyDatabase.self, HealthCheck.self,
        ],
        defaultSubcommand: Serve.self
    )

    /// ArgumentParser answers a value it cannot parse ("--port 1e19") with status 64; every bad
    /// input here exits 2 with the message on standard error, whoever refused it.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Exit status 2 with a message on standard error: what every command does with bad input.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
}

extension ParsableCommand {
    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(2)
    }
}

struct DatabaseOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Path of the SQLite database file (env PACELINE_DB); without it, PACELINE_DATABASE_URL=postgres://… "
                + "selects PostgreSQL."))
    var db: String?

    func path() -> String { db ?? AppConfig.fromEnvironment().databasePath }

    /// PostgreSQL's URL when no `--db` was given and PACELINE_DATABASE_URL is set.
    func url() -> String? { db == nil ? AppConfig.fromEnvironment().databaseURL : nil }

    static let sqliteOnly =
        "this copies SQLite files (give --db PATH); PACELINE_DATABASE_URL is PostgreSQL: back it up with "
        + "pg_dump or WAL archiving (deploy/README.md)"

    /// What the messages call the database.
    func name() -> String { url().map(AppDatabase.redacted) ?? path() }

    /// Opens the chosen database (exit 2 with a message when it cannot be).
    func open() async throws -> AppDatabase {
        do {
            return try await AppDatabase.open(url: url(), path: path())
        } catch let error as OperationError {
            throw Serve.fail(error.description)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server.")

    @Option(help: "Address to listen on.") var hostname: String?
    @Option(help: "Port to listen on.") var port: Int?
    @OptionGroup var database: DatabaseOption
    @Option(help: "Folder of the Mustache templates.") var templates: String?
    @Option(name: .customLong("public"), help: "Folder of static files.") var publicDirectory: String?

    func run() async throws {
        var config = AppConfig.fromEnvironment()
        if let hostname { config.hostname = hostname }
        if let port {
            guard (1...65_535).contains(port) else { throw Self.fail("--port must be 1–65535") }
            config.port = port
        }
        config.databasePath = database.path()
        config.databaseURL = database.url()
        if let templates { config.templatesDirectory = templates }
        if let publicDirectory { config.publicDirectory = publicDirectory }
        do {
            try await PacelineServer.run(config: config)
        } catch let error as OperationError {
            throw Self.fail(error.description)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let db = try await database.open()
        let applied = try await db.appliedMigrations()
        print("Database \(database.name()) is at migration \(applied.last ?? "none") (\(applied.count) applied).")
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Seed a demo organization (does nothing if the slug exists).")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Address (slug) of the demo organization.") var slug = "demo"
    @Option(help: "Number of athletes.") var athletes = 12

    func run() async throws {
        let slug: String
        do { slug = try FieldRules.slug(self.slug) } catch { throw Self.fail(error.message) }
        guard (0...100_000).contains(athletes) else { throw Self.fail("--athletes must be between 0 and 100000") }
        let db = try await database.open()
        // One hash for every demo login: they share the published demo password anyway.
        let hash = PasswordHasher(cost: PasswordHasher.minimumCost).hash(AppDatabase.demoPassword)
        let summary = try await db.seedDemo(slug: slug, athletes: athletes, passwordHash: hash, now: Date())
        guard summary.created else {
            print("Organization “\(slug)” already exists in \(database.name()); nothing changed.")
            return
        }
        print(
            "Seeded \(summary.organization.name) at /o/\(slug) with \(athletes) athletes in groups: "
                + "\(summary.groups.joined(separator: ", "))."
        )
        print("Password for every login: \(AppDatabase.demoPassword)")
        for login in summary.logins.prefix(6) {
            print("  \(login.role.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(login.email)")
        }
        if summary.logins.count > 6 { print("  … and \(summary.logins.count - 6) more athletes") }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.", subcommands: [ResetPassword.self])

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract:
                "Set a user's password (read from standard input if --password is not given); signs them out "
                + "everywhere."
        )
        @OptionGroup var database: DatabaseOption
        @Option(help: "The user's email.") var email: String
        @Option(help: "The new password (prefer standard input: command lines are visible to others).") var password:
            String?

        func run() async throws {
            let email: String
            let password: String
            do {
                email = try FieldRules.email(self.email)
                password = try FieldRules.password(
                    self.password ?? readLine(strippingNewline: true) ?? "", context: [email])
            } catch {
                throw Self.fail(error.message)
            }
            let db = try await database.open()
            let hash = PasswordHasher(cost: AppConfig.fromEnvironment().bcryptCost).hash(password)
            do {
                try await db.resetPassword(email: email, passwordHash: hash, now: Date())
            } catch StoreError.notFound {
                throw Self.fail("no user with email \(email)")
            }
            print("Password of \(email) changed; their sessions were ended.")
        }
    }
}

struct VDOTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vdot",
        abstract: "VDOT, equivalent race times, training paces and pace zones from one race.")

    @Option(help: "Race distance in meters (1500–50000).") var distance: String
    @Option(help: "Race time as H:MM:SS or MM:SS.") var time: String
    @Flag(help: "Print JSON (snake_case keys, meters, seconds).") var json = false
    @Option(help: "Current km a week (with --days: a level recommendation).") var weeklyKm: Double?
    @Option(help: "Running days a week (with --weekly-km).") var days: Int?

    func run() throws {
        guard let meters = Double(distance), meters.isFinite else {
            throw Self.fail("--distance must be a number of meters, e.g. 5000")
        }
        if (weeklyKm == nil) != (days == nil) { throw Self.fail("--weekly-km and --days go together") }
        if let weeklyKm, !(weeklyKm.isFinite && (0...400).contains(weeklyKm)) {
            throw Self.fail("--weekly-km must be 0–400")
        }
        if let days, !(1...7).contains(days) { throw Self.fail("--days must be 1–7") }
        guard let seconds = TimeFormat.parseClock(time) else {
            throw Self.fail("--time must be H:MM:SS or MM:SS, e.g. 19:57")
        }
        let race: RaceResult
        do { race = try RaceResult(meters: meters, seconds: seconds) } catch { throw Self.fail(error.description) }
        let report = FitnessReport(race: race)
        let level = weeklyKm.flatMap { km in
            days.map { LevelRecommendation(vdot: report.vdot, weeklyKm: km, daysPerWeek: $0) }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            var data = try encoder.encode(FitnessReportJSON(report))
            if let level, var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
                object["level"] = ["level": level.level.rawValue, "reasons": level.reasons]
                data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            }
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print(
            String(
                format: "VDOT %.2f  (%@ in %@)", report.vdot.value, DistanceFormat.format(meters: meters, units: .km),
                TimeFormat.clock(seconds)))
        for note in report.notes { print("note: \(note)") }
        print("\nEquivalent times        VDOT       Riegel")
        for row in report.equivalentTimes {
            print(
                "  " + row.distance.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + TimeFormat.clockTenths(row.seconds).leftPad(11)
                    + TimeFormat.clockTenths(row.riegelSeconds).leftPad(13))
        }
        let p = report.paces
        print("\nTraining paces          per km          per mile")
        let rows: [(String, Double, Double?)] = [
            ("Easy (E)", p.easyFast, p.easySlow), ("Marathon (M)", p.marathon, nil),
            ("Threshold (T)", p.threshold, nil), ("Interval (I)", p.interval, nil),
            ("Repetition (R)", p.repetition, nil),
        ]
        for (name, fast, slow) in rows {
            func text(_ units: UnitSystem) -> String {
                let f = TimeFormat.clock(fast * units.metersPerUnit / 1000)
                return slow.map { f + "–" + TimeFormat.clock($0 * units.metersPerUnit / 1000) } ?? f
            }
            print(
                "  " + name.padding(toLength: 16, withPad: " ", startingAt: 0) + text(.km).leftPad(12)
                    + text(.mi).leftPad(16))
        }
        if let level {
            print("\nRecommended level: \(level.level.rawValue)")
            for reason in level.reasons { print("  \(reason)") }
        }
        print("\nZones (per km)")
        for zone in PaceZone.allCases {
            let r = report.zones.range(zone)
            print(
                "  \(zone.rawValue) \(zone.name.padding(toLength: 11, withPad: " ", startingAt: 0)) "
                    + "\(TimeFormat.clock(r.fast))–\(TimeFormat.clock(r.slow))"
            )
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
