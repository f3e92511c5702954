import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// Issue 7 through the router: uploads (one and several), duplicates across sources, the manual
/// log, matching, check-ins, CSV import with bad rows, roles and tenancy.
struct LogTests {
    static func fixture(_ path: String) throws -> Data {
        try Data(contentsOf: TestApp.repoRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(path))
    }

    /// A small GPX run starting at `start`: `points` samples 5 s and ~15 m apart (a 5:33/km pace).
    static func gpx(start: Date, points: Int = 400) -> Data {
        var text =
            #"<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">"#
            + "<trk><type>running</type><trkseg>"
        for i in 0..<points {
            let time = ISO8601.format(start.addingTimeInterval(Double(i) * 5))
            text +=
                #"<trkpt lat="\#(46.0 + Double(i) * 0.000135)" lon="14.5"><ele>300</ele><time>\#(time)</time></trkpt>"#
        }
        return Data((text + "</trkseg></trk></gpx>").utf8)
    }

    /// An athlete of alpha with an active plan, and a past run of theirs that nothing is matched to.
    static func athleteWithPlannedRun(
        _ app: TestApp
    ) async throws -> (scope: TenantScope, athlete: Athlete, email: String, item: ScheduledItem) {
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        for athlete in try await app.database.athletes(coach) {
            let instances = try await app.database.instances(coach, athleteId: athlete.id)
            guard instances.contains(where: { $0.state.status == .active }) else { continue }
            let items = try await app.database.schedule(
                coach, athleteId: athlete.id, from: today.adding(days: -6), to: today.adding(days: -1)
            ).map(\.0)
            if let item = items.first(where: { $0.workout.sport == .run && $0.outcome == nil }) {
                return (coach, athlete, athlete.email, item)
            }
        }
        Issue.record("the demo has no athlete with a planned run last week")
        throw HTTPError(.notFound)
    }

    @Test func uploadOneFileThenSeveralWithDuplicatesAndRefusals() async throws {
        let app = try await TestApp()
        let gpx = try Self.fixture("gpx/cerknicko-jezero.gpx")
        try await app.run { factory in
            let athlete = try await factory.signedIn("athlete2@alpha.test")
            let first = try await athlete.postMultipart(
                "/o/alpha/activities/upload", fields: [("sport", "run")],
                files: [("files", "cerknicko-jezero.gpx", gpx)])
            #expect(first.status == .ok)
            #expect(first.body.contains("1 imported · 0 duplicate · 0 refused"))
            #expect(first.body.contains("Imported"))

            var truncated = try Self.fixture("fit/cerknicko-run.fit")
            truncated.removeLast(truncated.count / 2)
            let several = try await athlete.postMultipart(
                "/o/alpha/activities/upload", fields: [("sport", "run")],
                files: [
                    ("files", "cerknicko-run.tcx", try Self.fixture("tcx/cerknicko-run.tcx")),
                    ("files", "cerknicko-run.fit", try Self.fixture("fit/cerknicko-run.fit")),
                    ("files", "notes.txt", Data("hello".utf8)),
                    ("files", "broken.fit", truncated),
                    ("files", "garbage.gpx", Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 31) })),
                    ("files", "empty.tcx", Data()),
                ])
            #expect(several.status == .ok)
            #expect(several.body.contains("0 imported · 2 duplicate · 4 refused"), "\(several.body)")
            #expect(several.body.contains("Not a GPX, TCX or FIT file"))
            #expect(several.body.contains("The file is empty."))
            #expect(several.body.contains("started within a minute"))

            // Nothing but refusals: the request was bad input.
            let bad = try await athlete.postMultipart(
                "/o/alpha/activities/upload", files: [("files", "x.doc", Data("x".utf8))])
            #expect(bad.status == .unprocessableContent)
            // A browser sends an empty file part when no file was chosen.
            let none = try await athlete.postMultipart("/o/alpha/activities/upload", files: [("files", "", Data())])
            #expect(none.status == .unprocessableContent)
            #expect(none.body.contains("Choose one or more"))

            // The token rides in the upload URL; without it nothing is read.
            let forged = try await athlete.postMultipart(
                "/o/alpha/activities/upload", files: [("files", "a.gpx", gpx)], includeCSRF: false)
            #expect(forged.status == .forbidden)
        }
        // One activity from the five files (the demo's other athletes have their own), one file kept.
        let snapshot = try await app.database.contentSnapshot()
        #expect(snapshot["activity_file"]?.count == 1)
        // The original is kept byte for byte and can be downloaded by its owner.
        let scope = try await app.scope("alpha", "athlete2@alpha.test")
        let own = try #require(try await app.database.ownAthleteProfile(scope))
        let activities = try await app.database.activities(scope, athleteId: own.id, from: .earliest, to: .latest)
        #expect(activities.count == 1)
        let activity = try #require(activities.first)
        #expect(activity.entry.source == .gpx && activity.entry.sport == .run)
        #expect(try await app.database.activityFile(scope, activityId: activity.id).content == gpx)
        try await app.run { factory in
            let athlete = try await factory.signedIn("athlete2@alpha.test")
            let file = try await athlete.get("/o/alpha/activities/\(activity.id)/file")
            #expect(file.status == .ok && file.body.contains("cerknicko") == false && file.body.contains("<gpx"))
            let other = try await factory.signedIn("athlete3@alpha.test")
            #expect(try await other.get("/o/alpha/activities/\(activity.id)").status == .notFound)
            #expect(try await other.get("/o/alpha/activities/\(activity.id)/file").status == .notFound)
        }
    }

    @Test func anUploadIsMatchedToThatDaysRunAndShowsOnTheCalendar() async throws {
        let app = try await TestApp(athletes: 7)
        let (coachScope, athlete, email, item) = try await Self.athleteWithPlannedRun(app)
        let start = try #require(ISO8601.parse("\(item.date)T07:30:00Z"))
        try await app.run { factory in
            let browser = try await factory.signedIn(email)
            let page = try await browser.postMultipart(
                "/o/alpha/activities/upload", files: [("files", "morning.gpx", Self.gpx(start: start))])
            #expect(page.status == .ok)
            #expect(page.body.contains("Matched to “\(item.workout.name)”"), "\(page.body)")
            let month = String(item.date.description.prefix(7))
            let calendar = try await browser.get("/o/alpha/calendar?month=\(month)")
            #expect(calendar.body.contains("cal-done-text"))
            let log = try await browser.get("/o/alpha/activities")
            #expect(log.body.contains("Last 7 days") && log.body.contains("Last 28 days"))
        }
        let updated = try await app.database.scheduledWorkout(coachScope, id: item.id)
        #expect(updated.completed)
        let done = try #require(updated.outcome)
        let activity = try await app.database.activity(coachScope, id: done.activityId)
        #expect(activity.athleteId == athlete.id && activity.scheduledId == item.id)
        #expect(abs((activity.entry.distanceMeters ?? 0) - 399 * 15.01) < 150)
    }

    @Test func manualLogForAPlannedWorkoutAndBadInputChangesNothing() async throws {
        let app = try await TestApp(athletes: 7)
        let (coachScope, _, email, item) = try await Self.athleteWithPlannedRun(app)
        try await app.run { factory in
            let browser = try await factory.signedIn(email)
            let form = try await browser.get("/o/alpha/activities/new?scheduled=\(item.id)")
            #expect(form.status == .ok && form.body.contains(item.workout.name))
            let before = try await app.database.contentSnapshot()
            for (fields, message) in [
                ([("rpe", "11")], "RPE is from 1"),
                ([("date", "2099-01-01")], "not 2099-01-01"),
                ([("distance", "abc")], "Write the distance"),
                ([("distance", "100"), ("duration", "10:00")], "faster than anyone"),
                ([("distance", ""), ("duration", "")], "Give the distance"),
            ] as [([(String, String)], String)] {
                var all = Dictionary(uniqueKeysWithValues: [
                    ("scheduled", "\(item.id)"), ("date", item.date.description), ("sport", "run"), ("status", "done"),
                    ("distance", "10"), ("duration", "55:00"), ("avg_hr", "150"), ("rpe", "6"), ("feel", "good"),
                ])
                for (k, v) in fields { all[k] = v }
                let page = try await browser.post("/o/alpha/activities/new", all.map { ($0.key, $0.value) })
                #expect(page.status == .unprocessableContent, "\(fields)")
                #expect(page.body.contains(message), "\(fields): expected “\(message)”")
            }
            #expect(try await app.database.contentSnapshot() == before)

            let saved = try await browser.post(
                "/o/alpha/activities/new",
                [
                    ("scheduled", "\(item.id)"), ("date", item.date.description), ("sport", "run"),
                    ("status", "partial"), ("distance", "8.5"),
                    ("duration", "47:30"), ("avg_hr", "148"), ("rpe", "7"), ("feel", "tired"),
                    ("notes", "Calf *tight* after 6 km"),
                ])
            #expect(saved.status == .seeOther)
            let show = try await browser.get(try #require(saved.location))
            #expect(
                show.body.contains("<em>tight</em>") && show.body.contains("Partly done")
                    && show.body.contains(item.workout.name))
        }
        let updated = try await app.database.scheduledWorkout(coachScope, id: item.id)
        let done = try #require(updated.outcome)
        #expect(done.status == .partial && done.distanceMeters == 8500 && done.durationSeconds == 2850)
        let activity = try await app.database.activity(coachScope, id: done.activityId)
        #expect(activity.entry.rpe == 7 && activity.entry.feel == .tired && activity.entry.source == .manual)
    }

    @Test func coachUploadsForAnAthleteAndRematches() async throws {
        let app = try await TestApp(athletes: 7)
        let (coachScope, athlete, email, item) = try await Self.athleteWithPlannedRun(app)
        // A run on the day before the planned one: no run planned that day, so it starts unmatched.
        let start = try #require(ISO8601.parse("\(item.date.adding(days: -1))T18:00:00Z"))
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            let page = try await coach.postMultipart(
                "/o/alpha/athletes/\(athlete.id)/activities/upload",
                files: [("files", "evening.gpx", Self.gpx(start: start))])
            #expect(page.status == .ok && page.body.contains("Imported"))
            let activity = try #require(
                try await app.database.activities(coachScope, athleteId: athlete.id, from: .earliest, to: .latest).first
            )
            // The athlete may not re-match; the coach may, and may unmatch.
            let owner = try await factory.signedIn(email)
            #expect(
                try await owner.post("/o/alpha/activities/\(activity.id)/match", [("scheduled", "\(item.id)")]).status
                    == .forbidden)
            #expect(try await owner.get("/o/alpha/activities/\(activity.id)").status == .ok)
            let matched = try await coach.post(
                "/o/alpha/activities/\(activity.id)/match", [("scheduled", "\(item.id)")])
            #expect(matched.status == .seeOther)
            #expect(try await app.database.activity(coachScope, id: activity.id).scheduledId == item.id)
            #expect(try await app.database.activity(coachScope, id: activity.id).matchedByCoach)
            _ = try await coach.post("/o/alpha/activities/\(activity.id)/match", [("scheduled", "")])
            #expect(try await app.database.activity(coachScope, id: activity.id).scheduledId == nil)
            // Another organization's coach: 404 for the athlete and the activity, nothing stored.
            let intruder = try await factory.signedIn("coach1@beta.test")
            let before = try await app.database.contentSnapshot()
            #expect(
                try await intruder.postMultipart(
                    "/o/beta/athletes/\(athlete.id)/activities/upload",
                    files: [("files", "x.gpx", Self.gpx(start: start.addingTimeInterval(3600)))]
                ).status == .notFound)
            #expect(try await intruder.get("/o/beta/activities/\(activity.id)").status == .notFound)
            #expect(
                try await intruder.post("/o/beta/activities/\(activity.id)/match", [("scheduled", "")]).status
                    == .notFound)
            #expect(try await app.database.contentSnapshot() == before)
        }
    }

    @Test func dailyCheckInIsSavedEditableForPastDaysAndValidated() async throws {
        let app = try await TestApp()
        let scope = try await app.scope("alpha", "athlete1@alpha.test")
        let own = try #require(try await app.database.ownAthleteProfile(scope))
        let today = CalendarDate(TestApp.now, timeZone: TimeZones.zone(own.timeZone ?? scope.organization.timeZone))
        try await app.run { factory in
            let browser = try await factory.signedIn("athlete1@alpha.test")
            let form = try await browser.get("/o/alpha/checkin")
            #expect(form.status == .ok && form.body.contains("Sleep quality"))
            let saved = try await browser.post(
                "/o/alpha/checkin",
                [
                    ("date", today.description), ("hrv", "62.5"), ("resting_hr", "48"),
                    ("sleep_hours", "7.5"), ("sleep_quality", "4"), ("soreness", "2"), ("stress", "3"),
                ])
            #expect(saved.status == .seeOther)
            let yesterday = today.adding(days: -1)
            #expect(
                try await browser.post(
                    "/o/alpha/checkin",
                    [
                        ("date", yesterday.description), ("resting_hr", "56"), ("ill", "1"),
                        ("illness_note", "head cold"),
                    ]
                ).status == .seeOther)
            // Edit the past day.
            #expect(
                try await browser.post(
                    "/o/alpha/checkin",
                    [
                        ("date", yesterday.description), ("resting_hr", "58"), ("ill", "1"),
                        ("illness_note", "head cold"),
                    ]
                ).status == .seeOther)
            let before = try await app.database.contentSnapshot()
            let future = try await browser.post(
                "/o/alpha/checkin", [("date", today.adding(days: 1).description), ("hrv", "60")])
            #expect(future.status == .unprocessableContent && future.body.contains("not for"))
            let wild = try await browser.post(
                "/o/alpha/checkin", [("date", today.description), ("hrv", "1000"), ("soreness", "9")])
            #expect(
                wild.status == .unprocessableContent && wild.body.contains("between 1 and 300 ms")
                    && wild.body.contains("from 1 to 5"))
            #expect(try await app.database.contentSnapshot() == before)
            let page = try await browser.get("/o/alpha/checkin?date=\(yesterday)")
            #expect(page.body.contains("value=\"58\"") && page.body.contains("head cold"))
            #expect(try await browser.get("/o/alpha/checkin?date=2099-01-01").status == .unprocessableContent)
            // A coach reads the athlete's check-ins; another organization's coach cannot.
            let coach = try await factory.signedIn("coach1@alpha.test")
            let coachView = try await coach.get("/o/alpha/athletes/\(own.id)/checkin")
            #expect(coachView.status == .ok && coachView.body.contains("RHR 58") && coachView.body.contains("ill"))
            let intruder = try await factory.signedIn("coach1@beta.test")
            #expect(try await intruder.get("/o/beta/athletes/\(own.id)/checkin").status == .notFound)
        }
        let saved = try await app.database.checkIns(scope, athleteId: own.id, from: today.adding(days: -1), to: today)
        #expect(saved.count == 2)
        #expect(saved.first?.restingHR == 58 && saved.first?.ill == true)
        #expect(saved.last?.hrvRMSSD == 62.5 && saved.last?.sleepQuality == 4)
    }

    @Test func csvImportPreviewsEveryRowAndImportsOnlyTheGoodOnes() async throws {
        let app = try await TestApp()
        let scope = try await app.scope("alpha", "athlete2@alpha.test")
        let own = try #require(try await app.database.ownAthleteProfile(scope))
        let checkIns = """
            date,hrv,resting_hr,sleep_hours,sleep_quality,soreness,stress,ill,notes
            2027-01-01,61,49,7.5,4,2,2,no,
            2027-01-02,abc,49,7,3,2,2,no,
            2027-01-03,58,50,6,3,7,2,no,
            2027-01-04,55,54,5.5,2,3,4,yes,"sore throat, tired"
            2099-01-01,60,50,8,4,1,1,no,
            """
        try await app.run { factory in
            let browser = try await factory.signedIn("athlete2@alpha.test")
            #expect(try await browser.get("/o/alpha/import").status == .ok)
            let before = try await app.database.contentSnapshot()
            let preview = try await browser.postMultipart(
                "/o/alpha/import", fields: [("kind", "checkins")],
                files: [("file", "wellness.csv", Data(checkIns.utf8))])
            #expect(preview.status == .ok)
            #expect(preview.body.contains("2 rows of check-ins can be imported; 3 have problems"))
            #expect(preview.body.contains("hrv: “abc” is not a number."))
            #expect(preview.body.contains("Soreness is from 1 to 5."))
            #expect(preview.body.contains("in the future") || preview.body.contains("not for 2099-01-01"))
            #expect(try await app.database.contentSnapshot() == before, "a preview saves nothing")
            let confirmed = try await browser.post(
                "/o/alpha/import/confirm", [("kind", "checkins"), ("csv", checkIns)])
            #expect(confirmed.status == .seeOther)

            let activities = """
                date,sport,distance_km,duration,avg_hr,rpe,notes
                2027-01-05,run,10.2,52:30,151,5,Easy loop
                2027-01-06,swimming,2.0,45:00,,,
                2027-01-07,run,ten,50:00,,,
                2027-01-08,rowing,5,30:00,,,
                2027-01-09,run,42.2,1:00:00,,,
                """
            let preview2 = try await browser.postMultipart(
                "/o/alpha/import", fields: [("kind", "activities"), ("csv", activities)], files: [])
            #expect(preview2.status == .ok)
            #expect(preview2.body.contains("2 rows of activities can be imported; 3 have problems"))
            #expect(
                preview2.body.contains(
                    "“ten” is not a "
                        + "number") && preview2.body.contains("“rowing” is not one of")
                    && preview2.body.contains("faster than anyone"))
            #expect(
                try await browser.post("/o/alpha/import/confirm", [("kind", "activities"), ("csv", activities)]).status
                    == .seeOther)
            // The same file again: the rows are already there.
            let again = try await browser.post(
                "/o/alpha/import/confirm", [("kind", "activities"), ("csv", activities)])
            #expect(again.status == .seeOther)
            let log = try await browser.get(try #require(again.location))
            #expect(log.body.contains("Imported 0 activities; 2 were already in the log"))

            let empty = try await browser.postMultipart(
                "/o/alpha/import", fields: [("kind", "activities"), ("csv", "")], files: [])
            #expect(empty.status == .unprocessableContent && empty.body.contains("Choose a CSV file"))
            let headerless = try await browser.postMultipart(
                "/o/alpha/import", fields: [("kind", "checkins"), ("csv", "1,2,3\n4,5,6")], files: [])
            #expect(headerless.status == .unprocessableContent && headerless.body.contains("must name the columns"))
        }
        let saved = try await app.database.checkIns(scope, athleteId: own.id, from: .earliest, to: .latest)
        #expect(saved.map(\.date.description) == ["2027-01-01", "2027-01-04"])
        #expect(saved.last?.ill == true && saved.last?.notes == "sore throat, tired")
        let imported = try await app.database.activities(scope, athleteId: own.id, from: .earliest, to: .latest)
        #expect(imported.count == 2 && imported.allSatisfy { $0.entry.source == .csv })
        #expect(imported.contains { $0.entry.sport == .swim && $0.entry.distanceMeters == 2000 })
    }
}
