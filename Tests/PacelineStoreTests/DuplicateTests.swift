import Foundation
import Testing
@testable import PacelineCore
@testable import PacelineStore

/// The duplicate rule: the same athlete, the same sport, starting within 60 s (any source) — and
/// nothing else. Each test changes one of the three and expects a second activity.
struct DuplicateTests {
    let db: AppDatabase
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let scope: TenantScope
    let first: Int64, second: Int64
    let start = Date(timeIntervalSince1970: 1_799_990_000)

    init() async throws {
        db = try await AppDatabase.forTesting()
        _ = try await db.seedDemo(
            slug: "alpha", athletes: 2, passwordHash: PasswordHasher(cost: 10).hash("x-long-password"), now: now)
        let coach = try #require(try await db.user(email: "coach1@alpha.test"))
        scope = try #require(try await db.resolveTenant(slug: "alpha", userId: coach.id))
        let athletes = try await db.athletes(scope)
        first = try #require(athletes.first).id
        second = try #require(athletes.dropFirst().first).id
    }

    func run(_ sport: Sport = .run, at time: Date, source: ActivitySource = .gpx) -> ActivityEntry {
        ActivityEntry(
            sport: sport, startTime: time, date: CalendarDate(time, timeZone: .gmt), distanceMeters: 10_000,
            durationSeconds: 3000,
            source: source)
    }

    func isDuplicate(_ outcome: ImportOutcome) -> Bool { if case .duplicate = outcome { true } else { false } }

    @Test func theSameSessionFromAnotherSourceIsADuplicate() async throws {
        #expect(!isDuplicate(try await db.importActivity(scope, athleteId: first, run(at: start), file: nil, now: now)))
        #expect(
            isDuplicate(
                try await db.importActivity(
                    scope, athleteId: first, run(at: start.addingTimeInterval(59), source: .fit), file: nil, now: now)))
        #expect(
            isDuplicate(
                try await db.importActivity(
                    scope, athleteId: first, run(at: start.addingTimeInterval(-60), source: .tcx), file: nil, now: now))
        )
    }

    @Test func anotherAthleteAtTheSameMinuteIsNotADuplicate() async throws {
        #expect(!isDuplicate(try await db.importActivity(scope, athleteId: first, run(at: start), file: nil, now: now)))
        #expect(
            !isDuplicate(try await db.importActivity(scope, athleteId: second, run(at: start), file: nil, now: now)))
    }

    @Test func sixtyOneSecondsApartIsNotADuplicate() async throws {
        #expect(!isDuplicate(try await db.importActivity(scope, athleteId: first, run(at: start), file: nil, now: now)))
        #expect(
            !isDuplicate(
                try await db.importActivity(
                    scope, athleteId: first, run(at: start.addingTimeInterval(61)), file: nil, now: now)))
        #expect(
            !isDuplicate(
                try await db.importActivity(
                    scope, athleteId: first, run(at: start.addingTimeInterval(-61)), file: nil, now: now)))
    }

    @Test func anotherSportAtTheSameMinuteIsNotADuplicate() async throws {
        #expect(!isDuplicate(try await db.importActivity(scope, athleteId: first, run(at: start), file: nil, now: now)))
        #expect(
            !isDuplicate(
                try await db.importActivity(scope, athleteId: first, run(.bike, at: start), file: nil, now: now)))
    }
}
