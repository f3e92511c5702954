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
            let ftp = try #require(
                try await app.database.thresholds(scope, athleteId: athlete.id).first {
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

    /// Issue 19, item 3: the log's totals per sport and the form page's weekly time by sport, each sport in
    /// its own terms; a ride's page shows its power, TSS and the load the engine counts.
    @Test func everySportIsTotalledInItsOwnTerms() async throws {
        let app = try await TestApp()
        let scope = try await app.scope("alpha", "athlete2@alpha.test")
        let athlete = try #require(try await app.database.ownAthleteProfile(scope))
        let yesterday = CalendarDate(TestApp.now, timeZone: .gmt).adding(days: -1)
        try await app.database.addThreshold(
            scope, athleteId: athlete.id,
            ThresholdEntry(kind: .ftp, value: 250, validFrom: yesterday.adding(days: -10), source: .test),
            now: TestApp.now)
        var ride = ActivityEntry(
            sport: .bike, date: yesterday, distanceMeters: 40_000, durationSeconds: 5400, source: .manual)
        ride.averagePower = 180
        ride.normalizedPower = 200
        var ids: [Sport: Int64] = [:]
        for entry in [
            ActivityEntry(sport: .swim, date: yesterday, distanceMeters: 1500, durationSeconds: 1800, source: .manual),
            ActivityEntry(sport: .swim, date: yesterday, distanceMeters: 1000, durationSeconds: 1260, source: .manual),
            ride,
            ActivityEntry(sport: .strength, date: yesterday, durationSeconds: 2700, rpe: 6, source: .manual),
            ActivityEntry(
                sport: .run, date: yesterday, status: .skipped, distanceMeters: 5000, durationSeconds: 1500,
                source: .manual),
        ] {
            if case .imported(let id, _, _) = try await app.database.importActivity(
                scope, athleteId: athlete.id, entry, file: nil, now: TestApp.now)
            {
                ids[entry.sport] = id
            }
        }
        let rideId = try #require(ids[.bike])
        try await app.run { factory in
            let browser = try await factory.signedIn("athlete2@alpha.test")
            let log = try await browser.get("/o/alpha/activities")
            #expect(log.status == .ok && log.body.contains("Last 4 weeks by sport"))
            let totals =
                String(log.body.split(separator: "Last 4 weeks by sport").last ?? "")
                .components(separatedBy: "</table>").first ?? ""
            #expect(totals.contains("<th scope=\"row\">Swim</th><td>2</td><td>2500 m</td><td>51:00</td>\n  </tr>"))
            #expect(totals.contains("<th scope=\"row\">Bike</th><td>1</td><td>40.0 km</td><td>1:30:00</td>\n  </tr>"))
            #expect(totals.contains("<th scope=\"row\">Strength</th><td>1</td><td>–</td><td>45:00</td>\n  </tr>"))
            #expect(!totals.contains(">Run<"), "a skipped run is no training")
            let form = try await browser.get("/o/alpha/form")
            #expect(form.body.contains("Weekly training time by sport"))
            #expect(form.body.contains("Bike 90, Swim 51, Strength 45 min"))
            #expect(form.body.contains("chart-sport-swim"))
            // The ride: power, TSS against the FTP of its day, and the engine's load from power.
            let page = try await browser.get("/o/alpha/activities/\(rideId)")
            #expect(page.body.contains("180 W average, 200 W normalized"))
            #expect(page.body.contains("TSS 96, intensity factor 0.80 (FTP 250 W)"))
            #expect(page.body.contains("96 from power (TSS against FTP) (confidence 95 %"))
            // The API's activity carries the power too.
            let item = try await app.database.activity(scope, id: rideId)
            let api = APIRepresentation.activity(item)
            #expect(api.avgPowerW == 180 && api.normalizedPowerW == 200 && api.best20minPowerW == nil)
        }
    }
}
