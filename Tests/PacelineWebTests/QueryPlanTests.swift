import Foundation
import PacelineCore
import PacelineStore
import Testing

@testable import PacelineWeb

/// Issue 20, item 4 (scale of the data): the pages people wait on read tenant tables through indexes only.
/// Every SELECT that the athlete's home, log, calendar and workout pages, the coach's board and the API's
/// reads run is
/// explained by SQLite; a step that scans a tenant table whole (`SCAN activity`, rather than `SEARCH
/// activity USING INDEX …`) would grow with every organization on the server, and fails the test.
struct QueryPlanTests {
    /// Tables that grow with the organizations and their athletes.
    static let growing: Set<String> = [
        "organization", "user", "membership", "invitation", "session", "athlete_profile", "athlete_group",
        "group_member", "audit_log", "workout", "plan_template", "plan_week", "plan_day", "plan_assignment",
        "plan_instance", "scheduled_workout", "instance_event", "activity_file", "activity", "wellness",
        "adaptation", "weather", "coach_assignment", "unavailable_day", "comment", "comment_read", "notification",
        "notification_pref", "mail_outbox", "mail_schedule", "api_token", "athlete_threshold",
    ]

    /// The steps of `plans` that scan a growing table whole, with their statement.
    static func scans(_ plans: [String: [String]]) -> [String] {
        plans.flatMap { sql, steps in
            steps.compactMap { step -> String? in
                let words = step.split(separator: " ")
                guard words.first == "SCAN", words.count >= 2 else { return nil }
                let table = String(words[1])
                // "SCAN t USING INDEX" walks an index in order: still every row of the organization's table.
                return growing.contains(table) ? "\(step)  ←  \(sql.prefix(300))" : nil
            }
        }
    }

    @Test func theHotPagesReadThroughIndexes() async throws {
        let app = try await TestApp(seed: ["alpha", "beta"], athletes: 6)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        let workout = try #require(
            try await app.database.schedule(coachScope, athleteId: athlete.id, from: today, to: today.adding(days: 6))
                .first?.0.id)
        let activity = try #require(
            try await app.database.activities(
                coachScope, athleteId: athlete.id, from: today.adding(days: -60), to: today, limit: 1
            ).first?.id)
        let athleteToken = try await APITests.token(app, athlete.email)
        let coachToken = try await APITests.token(app, "coach1@alpha.test")
        try await app.run { factory in
            let owner = try await factory.signedIn(athlete.email)
            let coach = try await factory.signedIn("coach1@alpha.test")
            let athleteAPI = APIClient(client: factory.client, token: athleteToken)
            let coachAPI = APIClient(client: factory.client, token: coachToken)
            let month = String(today.description.prefix(7))
            let plans = try await app.database.queryPlansForTesting {
                for path in [
                    "/o/alpha", "/o/alpha/activities", "/o/alpha/calendar?month=\(month)", "/o/alpha/form",
                    "/o/alpha/workouts/\(workout)", "/o/alpha/activities/\(activity)",
                ] {
                    let status = try await owner.get(path).status
                    #expect(status == .ok, "\(path)")
                }
                for path in ["/o/alpha", "/o/alpha/athletes", "/o/alpha/athletes/\(athlete.id)/form"] {
                    let status = try await coach.get(path).status
                    #expect(status == .ok, "\(path)")
                }
                // The API's reads: the athlete's schedule and activities, the coach's lists.
                for path in ["/schedule", "/activities?limit=50", "/check-ins?limit=50"] {
                    let status = try await athleteAPI.get(path).status
                    #expect(status == .ok, "\(path)")
                }
                for path in ["/athletes?limit=50", "/proposals?state=proposed", "/instances?limit=50"] {
                    let status = try await coachAPI.get(path).status
                    #expect(status == .ok, "\(path)")
                }
            }
            #expect(plans.count > 20, "the pages ran \(plans.count) distinct SELECTs")
            let found = Self.scans(plans)
            let listed = found.joined(separator: "\n")
            #expect(found.isEmpty, "\(found.count) full scans:\n\(listed)")
        }
    }
}
