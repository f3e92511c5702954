import Foundation
import Testing
@testable import PacelineCore
@testable import PacelineStore

/// Resume through the store, as the server does it: done workouts stay, the rest from the pause
/// on move by whole weeks (weekdays kept), each moved one's SEQUENCE goes up and its UID stays
/// (calendar apps update the event instead of duplicating it).
struct ResumeTests {
    let db: AppDatabase
    let now = Date(timeIntervalSince1970: 1_800_000_000)  // Friday 2027-01-15
    static let library = Dictionary(StarterLibrary.workouts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    init() async throws { db = try await AppDatabase.forTesting() }

    @Test func resumeMovesWhatIsNotDoneByWholeWeeksKeepingUIDs() async throws {
        _ = try await db.seedDemo(
            slug: "rs", athletes: 2, passwordHash: PasswordHasher(cost: 10).hash("x-long-password"), now: now)
        let user = try #require(try await db.user(email: "coach1@rs.test"))
        let coach = try #require(try await db.resolveTenant(slug: "rs", userId: user.id))
        let athlete = try #require(try await db.athletes(coach).first { $0.email == "athlete2@rs.test" })
        var week = PlanWeek()
        week[.tue] = Self.library["Tempo run 20 min"]
        week[.thu] = Self.library["Easy run 40 min"]
        week[.sat] = Self.library["Long run 90 min"]
        let templateId = try await db.createPlan(
            coach, PlanTemplate(name: "Three a week", weeks: Array(repeating: week, count: 4)),
            source: .manual, now: now)
        let monday = try #require(CalendarDate("2027-01-04"))
        _ = try await db.assign(
            coach, templateId: templateId, athleteIds: [athlete.id], groupId: nil, placement: .start(monday), now: now)
        let instance = try #require(try await db.instances(coach, athleteId: athlete.id).first)
        let before = try await db.schedule(coach, athleteId: athlete.id, from: .earliest, to: .latest).map(\.0)
        #expect(before.count == 12)
        // Tuesday ticked off, the Saturday after the pause began ticked off too (done before the
        // coach back-dated the pause), Thursday done with a watch file; the rest left undone.
        let tuesday = try #require(before.first { $0.date.description == "2027-01-05" })
        try await db.setCompleted(coach, scheduledId: tuesday.id, done: true, now: now)
        let saturdayTicked = try #require(before.first { $0.date.description == "2027-01-09" })
        try await db.setCompleted(coach, scheduledId: saturdayTicked.id, done: true, now: now)
        let thursdayAfterPause = try #require(before.first { $0.date.description == "2027-01-14" })
        _ = try await db.importActivity(
            coach, athleteId: athlete.id,
            ActivityEntry(
                sport: .run, startTime: try #require(ISO8601.parse("2027-01-14T07:00:00Z")),
                date: thursdayAfterPause.date, distanceMeters: 8000, durationSeconds: 2400, source: .gpx),
            file: nil, now: now)
        try await db.transition(
            coach, instanceId: instance.id, .pause, today: try #require(CalendarDate("2027-01-07")), now: now)
        try await db.transition(
            coach, instanceId: instance.id, .resume, today: try #require(CalendarDate("2027-01-16")), now: now)
        // 9 days → 14
        let after = Dictionary(
            uniqueKeysWithValues: try await db.schedule(coach, athleteId: athlete.id, from: .earliest, to: .latest).map
            { ($0.0.id, $0.0) })
        #expect(after.count == before.count, "resume added or lost workouts")
        for old in before {
            let new = try #require(after[old.id])
            #expect(new.uid == old.uid, "\(old.date): the UID changed")
            let done = [tuesday.id, saturdayTicked.id, thursdayAfterPause.id].contains(old.id)
            let beforePause = old.date < (CalendarDate("2027-01-07") ?? .earliest)
            if done || beforePause {
                #expect(
                    new.date == old.date && new.sequence == old.sequence, "\(old.date) (done or before the pause) moved"
                )
            } else {
                #expect(new.date == old.date.adding(days: 14), "\(old.date) → \(new.date), expected two weeks later")
                #expect(Weekday(new.date) == Weekday(old.date) && new.sequence == old.sequence + 1)
            }
        }
    }
}
