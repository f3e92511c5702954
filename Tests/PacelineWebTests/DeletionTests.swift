import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// Issue 18, item 4 (deletion): an account and an organization go with every row of theirs.
struct DeletionTests {
    /// Rows (as `[column:value …]` text) holding `value` in a column whose name passes `column`.
    func rows(_ snapshot: [String: [String]], column: (String) -> Bool, value: String) -> [String] {
        snapshot.flatMap { table, rows in
            rows.filter { row in
                row.dropFirst().dropLast().split(separator: " ").contains { pair in
                    let parts = pair.split(separator: ":", maxSplits: 1)
                    return parts.count == 2 && column(String(parts[0])) && parts[1] == value
                }
            }.map { "\(table): \($0)" }
        }
    }

    @Test func anAccountGoesWithEveryRowOfTheirsAndAnOnlyAdminIsRefused() async throws {
        let app = try await TestApp(athletes: 4)
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coach))
        let own = try await app.scope("alpha", athlete.email)
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        let marker = "QUOKKA-7731"
        let run = try await app.database.logActivity(
            own, athleteId: athlete.id,
            ActivityEntry(sport: .run, date: today, distanceMeters: 8000, durationSeconds: 2600, notes: marker,
                source: .manual),
            scheduledId: nil, activityId: nil, now: TestApp.now)
        try await app.database.saveCheckIns(
            own, athleteId: athlete.id, [CheckIn(date: today, ill: true, illnessNote: marker)], fromCSV: false,
            now: TestApp.now)
        try await app.database.addComment(own, on: .activity(run), body: "\(marker) legs", now: TestApp.now)
        try await app.database.addComment(coach, on: .activity(run), body: "Rest", now: TestApp.now)
        _ = try await app.database.createPasswordReset(email: athlete.email, now: TestApp.now)
        let othersBefore = try await app.database.athletes(coach).count
        try await app.run { factory in
            let browser = try await factory.signedIn(athlete.email)
            #expect(try await browser.get("/account").body.contains("/account/delete"))
            _ = try await browser.get("/account/delete")
            let before = try await app.database.contentSnapshot()
            let wrong = try await browser.post("/account/delete", [("password", "not-my-password-at-all")])
            #expect(wrong.status == .unprocessableContent && wrong.body.contains("id=\"password-error\""))
            #expect(try await app.database.contentSnapshot() == before, "nothing changed")
            let done = try await browser.post("/account/delete", [("password", TestApp.password)])
            #expect(done.status == .seeOther && done.location == "/login")
            let after = try await app.database.contentSnapshot()
            let text = after.values.flatMap { $0 }.joined(separator: "\n")
            #expect(!text.contains(athlete.email) && !text.contains(marker))
            let userColumns: (String) -> Bool = {
                $0 == "user_id" || $0 == "author_id" || $0.hasSuffix("_by") || $0 == "coach_user_id"
            }
            #expect(rows(after, column: userColumns, value: "\(athlete.userId)").isEmpty)
            #expect(rows(after, column: { $0 == "athlete_id" }, value: "\(athlete.id)").isEmpty)
            let userRows = rows(after, column: { $0 == "id" }, value: "\(athlete.userId)")
            #expect(userRows.allSatisfy { !$0.hasPrefix("user:") })
            #expect(try await app.database.athletes(coach).count == othersBefore - 1, "the others stay")
            #expect(try await browser.get("/o/alpha").status == .seeOther, "signed out")
            // The organization's only admin is told what to do first, and nothing changes.
            let admin = try await factory.signedIn("admin@alpha.test")
            let ask = try await admin.get("/account/delete")
            #expect(ask.body.contains("only admin of Alpha Running Club"))
            let snapshot = try await app.database.contentSnapshot()
            let refused = try await admin.post("/account/delete", [("password", TestApp.password)])
            #expect(refused.status == .unprocessableContent && refused.body.contains("only admin"))
            #expect(try await app.database.contentSnapshot() == snapshot)
        }
    }

    @Test func anOrganizationGoesAfterItsNameIsTypedAndTheOthersStay() async throws {
        let app = try await TestApp(athletes: 3)
        let beta = try await app.scope("beta", "admin@beta.test")
        let alphaId = try await app.scope("alpha", "admin@alpha.test").organization.id
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@beta.test")
            #expect(try await coach.get("/o/beta/settings/delete").status == .forbidden)
            let admin = try await factory.signedIn("admin@beta.test")
            #expect(try await admin.get("/o/beta/settings").body.contains("/o/beta/settings/delete"))
            _ = try await admin.get("/o/beta/settings/delete")
            let before = try await app.database.contentSnapshot()
            let wrong = try await admin.post("/o/beta/settings/delete", [("confirm_name", "beta")])
            #expect(wrong.status == .unprocessableContent && wrong.body.contains("id=\"confirm_name-error\""))
            // Hostile names (the route fuzz leaves this form to this test): refused, never a 5xx.
            let hostileNames = ["", String(repeating: "x", count: 100_000), "\0", "<b>", "Beta Running Club\u{202E}"]
            for hostile in hostileNames {
                _ = try await admin.get("/o/beta/settings/delete")
                let refused = try await admin.post("/o/beta/settings/delete", [("confirm_name", hostile)])
                #expect(refused.status == .unprocessableContent, "\(hostile.prefix(20))")
            }
            #expect(try await app.database.contentSnapshot() == before)
            let alpha = try await factory.signedIn("admin@alpha.test")
            #expect(
                try await alpha.post("/o/beta/settings/delete", [("confirm_name", beta.organization.name)]).status
                    == .notFound, "another organization's admin")
            _ = try await admin.get("/o/beta/settings/delete")
            let done = try await admin.post("/o/beta/settings/delete", [("confirm_name", beta.organization.name)])
            #expect(done.status == .seeOther && done.location == "/account")
            let after = try await app.database.contentSnapshot()
            let left = rows(after, column: { $0 == "org_id" }, value: "\(beta.organization.id)")
            #expect(left.isEmpty, "\(left.prefix(5))")
            #expect(rows(after, column: { $0 == "id" }, value: "\(beta.organization.id)")
                .allSatisfy { !$0.hasPrefix("organization:") })
            // Every row of alpha's is as it was; beta's people keep their accounts.
            #expect(
                rows(after, column: { $0 == "org_id" }, value: "\(alphaId)").sorted()
                    == rows(before, column: { $0 == "org_id" }, value: "\(alphaId)").sorted())
            #expect(try await app.database.user(email: "coach1@beta.test") != nil)
        }
    }
}
