import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
import ZIPFoundation
@testable import PacelineWeb

/// Issue 18, item 4 (export): everything of an athlete's, and the organization's, as a zip whose CSVs
/// import back through the CSV import.
struct ExportTests {
    func entries(_ data: Data) throws -> [String: Data] {
        let archive = try Archive(data: data, accessMode: .read)
        var out: [String: Data] = [:]
        for entry in archive {
            var content = Data()
            _ = try archive.extract(entry) { content.append($0) }
            out[entry.path] = content
        }
        return out
    }

    @Test func anAthletesExportHoldsTheirDataAndItsCSVsImportBack() async throws {
        let app = try await TestApp(athletes: 4)
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coach))
        let own = try await app.scope("alpha", athlete.email)
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        // A run with awkward notes and a check-in with an illness note, besides the demo's history.
        _ = try await app.database.logActivity(
            own, athleteId: athlete.id,
            ActivityEntry(
                sport: .run, date: today, distanceMeters: 10_012.5, durationSeconds: 2_987, averageHeartRate: 151,
                notes: "Windy, \"hard\" — 2×\nsecond line", source: .manual),
            scheduledId: nil, activityId: nil, now: TestApp.now)
        try await app.database.addComment(own, on: .workout(try #require(
            try await app.database.schedule(own, athleteId: athlete.id, from: today, to: today.adding(days: 7))
                .first?.0.id)), body: "Can I swap this?", now: TestApp.now)
        let stored = try await app.database.activities(
            own, athleteId: athlete.id, from: .earliest, to: .latest, limit: 100_000)
        let checkIns = try await app.database.checkIns(own, athleteId: athlete.id, from: .earliest, to: .latest)
        try await app.run { factory in
            let browser = try await factory.signedIn(athlete.email)
            #expect(try await browser.get("/o/alpha/me").body.contains("/o/alpha/export/mine"))
            let response = try await browser.getRaw("/o/alpha/export/mine")
            #expect(response.status == .ok && response.headers[.contentType] == "application/zip")
            let files = try entries(Data(buffer: response.body))
            for name in ["README.txt", "profile.json", "activities.csv", "activities.json", "checkins.csv",
                "checkins.json", "plans.json", "comments.json"]
            {
                #expect(files[name] != nil, "\(name)")
            }
            // The activities' CSV reads back, through the import's own parser, to what is stored.
            let csv = String(decoding: try #require(files["activities.csv"]), as: UTF8.self)
            let rows = try ActivityCSV.rows(csv, today: today, timeZone: .gmt)
            #expect(rows.count == stored.count)
            for (row, item) in zip(rows, stored.reversed()) {
                let entry = try row.result.get()
                #expect(entry.date == item.entry.date && entry.sport == item.entry.sport)
                #expect(entry.distanceMeters == item.entry.distanceMeters.map { ($0 * 1000).rounded() / 1000 })
                #expect(entry.durationSeconds == item.entry.durationSeconds.map { ($0 * 1000).rounded() / 1000 })
                #expect(entry.averageHeartRate == item.entry.averageHeartRate.map { ($0 * 1000).rounded() / 1000 })
                #expect(entry.notes == item.entry.notes)
                #expect(entry.startTime.map { $0.timeIntervalSince1970.rounded() }
                    == item.entry.startTime.map { $0.timeIntervalSince1970.rounded() })
            }
            let checkInRows = try CheckInCSV.rows(
                String(decoding: try #require(files["checkins.csv"]), as: UTF8.self), today: today)
            #expect(try checkInRows.map { try $0.result.get() } == checkIns)
            // The original files, byte for byte.
            for item in stored where item.fileId != nil {
                let original = try await app.database.activityFile(own, activityId: item.id)
                let name = try #require(files.keys.first { $0.hasPrefix("files/\(item.id)-") })
                #expect(files[name] == original.content)
            }
            let comments = String(decoding: try #require(files["comments.json"]), as: UTF8.self)
            #expect(comments.contains("Can I swap this?"))
            // Nobody else's data.
            let everything = files.values.map { String(decoding: $0, as: UTF8.self) }.joined()
            for other in try await app.database.athletes(coach) where other.id != athlete.id {
                #expect(!everything.contains(other.email))
            }
        }
    }

    @Test func anAdminExportsTheOrganizationAndNobodyElseMay() async throws {
        let app = try await TestApp(athletes: 3)
        let admin = try await app.scope("alpha", "admin@alpha.test")
        let athletes = try await app.database.athletes(admin)
        try await app.run { factory in
            let browser = try await factory.signedIn("admin@alpha.test")
            #expect(try await browser.get("/o/alpha/settings").body.contains("/o/alpha/export/organization"))
            let response = try await browser.getRaw("/o/alpha/export/organization")
            #expect(response.status == .ok)
            let files = try entries(Data(buffer: response.body))
            for name in ["README.txt", "members.csv", "groups.json", "library.json", "plans.json"] {
                #expect(files[name] != nil, "\(name)")
            }
            let folders = Set(files.keys.filter { $0.hasPrefix("athletes/") }.map { $0.split(separator: "/")[1] })
            #expect(folders.count == athletes.count)
            let members = String(decoding: try #require(files["members.csv"]), as: UTF8.self)
            #expect(members.contains("coach1@alpha.test,coach") && !members.contains("beta.test"))
            let coach = try await factory.signedIn("coach1@alpha.test")
            #expect(try await coach.getRaw("/o/alpha/export/organization").status == .forbidden)
            #expect(try await browser.getRaw("/o/beta/export/organization").status == .notFound)
        }
    }
}
