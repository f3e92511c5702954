import Foundation
import PacelineCore
import PacelineStore
import Testing

@testable import PacelineWeb

/// Issue 19: thresholds per sport on the athlete's page, the coach's view, and the targets they set.
struct ThresholdsWebTests {
    /// Athlete 2 of the demo has no thresholds (every other athlete has).
    @Test func anAthleteRecordsFTPAndASwimTestAndSeesTheirZones() async throws {
        let app = try await TestApp()
        let today = CalendarDate(TestApp.now, timeZone: .gmt).description
        try await app.run { factory in
            let browser = try await factory.signedIn("athlete2@alpha.test")
            let empty = try await browser.get("/o/alpha/thresholds")
            #expect(empty.status == .ok && empty.body.contains("None yet"))
            let saved = try await browser.post(
                "/o/alpha/thresholds",
                [("kind", "ftp"), ("value", "250"), ("valid_from", today), ("source", "entered")])
            #expect(saved.status == .seeOther)
            let swim = try await browser.post(
                "/o/alpha/thresholds",
                [("kind", "css"), ("value", ""), ("test_400", "6:00"), ("test_200", "2:50"), ("valid_from", today)])
            #expect(swim.status == .seeOther)
            let page = try await browser.get("/o/alpha/thresholds")
            #expect(page.body.contains("250 W") && page.body.contains("z3 228–263 W"))
            #expect(page.body.contains("1:35/100 m") && page.body.contains("z3 1:34–1:40/100 m"))
            #expect(page.body.contains("(test)"), "a CSS from the two swims is a test's")
            // Every refusal says what and where, and stores nothing.
            let scope = try await app.scope("alpha", "athlete2@alpha.test")
            let athlete = try #require(try await app.database.ownAthleteProfile(scope))
            let before = try await app.database.thresholds(scope, athleteId: athlete.id)
            for (fields, field) in [
                ([("kind", "ftp"), ("value", "9000"), ("valid_from", today)], "value"),
                ([("kind", "ftp"), ("value", "abc"), ("valid_from", today)], "value"),
                ([("kind", "lthr_run"), ("value", "170"), ("valid_from", "2099-01-01")], "valid_from"),
                ([("kind", "css"), ("value", "1:99x"), ("valid_from", today)], "value"),
                ([("kind", "css"), ("test_400", "6:00"), ("test_200", "3:10"), ("valid_from", today)], "test_200"),
                ([("kind", "nope"), ("value", "1"), ("valid_from", today)], "kind"),
            ] as [([(String, String)], String)] {
                let refused = try await browser.post("/o/alpha/thresholds", fields)
                #expect(refused.status == .unprocessableContent, "\(fields)")
                #expect(refused.body.contains("id=\"\(field)-error\"") || field == "kind", "\(fields) → \(field)")
            }
            #expect(try await app.database.thresholds(scope, athleteId: athlete.id) == before)
            // The coach sees and edits the same page under the athlete; another athlete cannot.
            let coach = try await factory.signedIn("coach1@alpha.test")
            let coachPage = try await coach.get("/o/alpha/athletes/\(athlete.id)/thresholds")
            #expect(coachPage.status == .ok && coachPage.body.contains("250 W"))
            let lthr = try await coach.post(
                "/o/alpha/athletes/\(athlete.id)/thresholds",
                [("kind", "lthr_bike"), ("value", "160"), ("valid_from", today), ("source", "test")])
            #expect(lthr.status == .seeOther)
            let other = try await factory.signedIn("athlete1@alpha.test")
            #expect(try await other.get("/o/alpha/athletes/\(athlete.id)/thresholds").status == .forbidden)
            // Removing the newest value brings back none (there was one FTP).
            let ftp = try #require(try await app.database.thresholds(scope, athleteId: athlete.id).first {
                $0.entry.kind == .ftp
            })
            #expect(try await browser.post("/o/alpha/thresholds/\(ftp.id)/delete").status == .seeOther)
            #expect(!(try await browser.get("/o/alpha/thresholds").body.contains("250 W")))
        }
    }

    @Test func theAPIAndTheWatchFileCarryTheWatts() async throws {
        let app = try await TestApp()
        let scope = try await app.scope("alpha", "athlete1@alpha.test")
        let athlete = try #require(try await app.database.ownAthleteProfile(scope))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        try await app.database.addThreshold(
            scope, athleteId: athlete.id,
            ThresholdEntry(kind: .ftp, value: 250, validFrom: today.adding(days: -1), source: .entered),
            now: TestApp.now)
        let reloaded = try await app.database.athlete(scope, id: athlete.id)
        let viewer = Viewer(reloaded, organization: scope.organization, now: TestApp.now)
        let ride = Workout(
            name: "Sweet spot", sport: .bike, subtype: .intervalRide,
            blocks: [WorkoutBlock(.run, duration: 1200, pace: .z3, intensity: .power)])
        #expect(viewer.words.forWorkout(ride).steps(ride.blocks) == ["20 min at 228–263 W (zone 3)"])
        let target = APIRepresentation.workout(ride, targets: viewer.words).blocks.first?.target
        #expect(target?.kind == .power && target?.wattsLow == 228 && target?.wattsHigh == 263)
        // A value from a later day does not reach today's targets.
        try await app.database.addThreshold(
            scope, athleteId: athlete.id,
            ThresholdEntry(kind: .ftp, value: 300, validFrom: today.adding(days: 1), source: .entered),
            now: TestApp.now)
        let later = try await app.database.athlete(scope, id: athlete.id)
        #expect(Viewer(later, organization: scope.organization, now: TestApp.now).thresholds.ftp == 250)
    }
}
