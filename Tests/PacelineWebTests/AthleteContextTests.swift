import Foundation
import Testing
@testable import PacelineCore
@testable import PacelineStore
@testable import PacelineWeb

/// Whose data a page shows is resolved once (`AthleteContext`) and checked by one rule
/// (`AthleteAccess`): an athlete sees their own, a coach any athlete of the organization,
/// nobody another organization's.
struct AthleteContextTests {
    @Test func eachViewerSeesExactlyTheAthletesTheyMay() async throws {
        let app = try await TestApp(athletes: 4)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athletes = try await app.database.athletes(coachScope)
        // `second` has a plan (its workouts are the ones to keep from `first`).
        let second = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        let first = try #require(athletes.first { $0.id != second.id })
        let today = coachScope.today(now: TestApp.now)
        let secondsWorkout = try #require(
            try await app.database.schedule(
                coachScope, athleteId: second.id, from: today.adding(days: -30), to: today.adding(days: 30)
            ).first?.0)
        let betaCoach = try await app.scope("beta", "coach1@beta.test")
        let betaAthlete = try #require(try await app.database.athletes(betaCoach).first)
        try await app.run { factory in
            let athlete = try await factory.signedIn(first.email)
            // The own area is the athlete's own log, whatever the path would suggest.
            let own = try await athlete.get("/o/alpha/activities")
            #expect(own.status == .ok && own.body.contains("My training log"))
            // Another athlete's workout and the coach's view of an athlete: not for an athlete.
            #expect(try await athlete.get("/o/alpha/workouts/\(secondsWorkout.id)").status == .notFound)
            #expect(try await athlete.get("/o/alpha/athletes/\(second.id)/activities").status == .forbidden)

            let coach = try await factory.signedIn("coach1@alpha.test")
            let opened = try await coach.get("/o/alpha/athletes/\(second.id)/activities")
            #expect(opened.status == .ok && opened.body.contains("\(second.name) — log"))
            #expect(try await coach.get("/o/alpha/workouts/\(secondsWorkout.id)").status == .ok)
            // A coach has no log of their own: the page says where athletes' logs are.
            let none = try await coach.get("/o/alpha/checkin")
            #expect(none.status == .notFound && none.body.contains("Coaches open an athlete"))
            // Another organization's athlete, by a real id: the same 404 as a missing one.
            for path in ["activities", "checkin", "weather", "form", ""] {
                let suffix = path.isEmpty ? "" : "/" + path
                let other = try await coach.get("/o/alpha/athletes/\(betaAthlete.id)\(suffix)")
                #expect(other.status == .notFound, "\(path)")
                #expect(try await coach.get("/o/alpha/athletes/999999\(suffix)").status == .notFound, "\(path)")
            }
        }
    }

    @Test func oneRuleDecidesWhoMayOpenAnAthlete() async throws {
        let app = try await TestApp()
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        let admin = try await app.scope("alpha", "admin@alpha.test")
        let athleteScope = try await app.scope("alpha", "athlete1@alpha.test")
        let athletes = try await app.database.athletes(coach)
        let own = try #require(athletes.first { $0.email == "athlete1@alpha.test" })
        let other = try #require(athletes.first { $0.email == "athlete2@alpha.test" })
        #expect(AthleteAccess.mayOpen(own, scope: coach) && AthleteAccess.mayOpen(other, scope: coach))
        #expect(AthleteAccess.mayOpen(other, scope: admin))
        #expect(AthleteAccess.mayOpen(own, scope: athleteScope))
        #expect(!AthleteAccess.mayOpen(other, scope: athleteScope))
        let subject = AthleteSubject(own, scope: athleteScope, now: TestApp.now)
        #expect(subject.isOwn && subject.log.activities == "/o/alpha/activities")
        let opened = AthleteSubject(own, scope: coach, now: TestApp.now)
        #expect(!opened.isOwn && opened.log.activities == "/o/alpha/athletes/\(own.id)/activities")
    }
}
