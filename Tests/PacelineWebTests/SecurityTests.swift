import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// The three guarantees of the foundation: every route is public by name or guarded by a role;
/// members of one organization get 404 and change nothing for every id of another; every
/// state-changing request needs the session's CSRF token.
struct SecurityTests {
    /// Routes anyone may call, by name. A new public route must be added here on purpose.
    static let publicRoutes: Set<String> = [
        "GET /", "GET /healthz", "GET /metrics", "GET /login", "POST /login", "GET /signup", "POST /signup",
        "GET /invite/:token", "POST /invite/:token",
        // The calendar feed: the secret token in the path is the credential (calendar apps send no cookies).
        "GET /cal/:file",
        // Password reset by email: the secret token in the path is the credential, single use, one hour.
        "GET /password/forgot", "POST /password/forgot", "GET /password/reset/:token", "POST /password/reset/:token",
        // Unsubscribe links work without signing in (the token in the path is the key).
        "GET /unsubscribe/:token", "POST /unsubscribe/:token",
        // The API's description (OpenAPI): public like any API's documentation, no data in it.
        "GET /api/v1/openapi.json",
    ]

    /// Values for path parameters other than ids: a plan's week and day, an assignment action.
    static let fixedParameters = [
        "week": "0", "day": "1", "action": "pause", "token": String(repeating: "x", count: 43),
        "file": String(repeating: "x", count: 43) + ".ics", "date": "2027-01-11",
        "decision": "accept",
    ]

    /// The address of a route with every parameter filled: `:org`, each `:id` by the kind of
    /// the segment before it ("/plans/:id" → ids["plans"]), other parameters by their name
    /// (":assignment" → ids["assignment"], ":athlete" → ids["athletes"]), then the fixed ones.
    /// A parameter with no value stays as it was, and the caller fails on it.
    static func fill(_ pattern: String, org: String, ids: [String: String]) -> String {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return segments.indices.map { i in
            let segment = segments[i]
            guard segment.hasPrefix(":") else { return segment }
            let name = String(segment.dropFirst())
            if name == "org" { return org }
            let key = name == "id" && i > 0 ? segments[i - 1] : name == "athlete" ? "athletes" : name
            return ids[key] ?? fixedParameters[name] ?? segment
        }.joined(separator: "/")
    }

    /// Any id will do where the guard answers before the handler reads it.
    static let anyIds = Dictionary(
        uniqueKeysWithValues: [
            "members", "athletes", "groups", "invitations", "library", "plans", "activities",
            "adaptations", "instances", "workouts", "assignment", "coach-assignments", "unavailable", "comments",
            "notifications", "proposals", "tokens", "threshold",
        ].map { ($0, "1") })

    /// Who may call each route, written down apart from the code that registers them
    /// (`RouteAccess.txt`): the guard walk below trusts the route table, so a section moved to a
    /// lower role would pass it; this comparison does not. Changing a route's access means
    /// changing that file on purpose.
    @Test func everyRoutesAccessIsTheOneWrittenDown() async throws {
        let app = try await TestApp()
        let actual = app.routes.entries.map { "\($0.method) \($0.path) \($0.access)" }.sorted()
        let file = TestApp.repoRoot.appendingPathComponent("Tests/PacelineWebTests/RouteAccess.txt")
        let expected = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") && !$0.isEmpty }.sorted()
        let added = Set(actual).subtracting(expected).sorted(), missing = Set(expected).subtracting(actual).sorted()
        #expect(
            added.isEmpty && missing.isEmpty,
            "routes whose access differs from RouteAccess.txt — in the code: \(added); written down: \(missing)")
    }

    @Test func everyRouteIsPublicByNameOrGuardedByARole() async throws {
        let app = try await TestApp()
        let entries = app.routes.entries
        #expect(entries.count >= 35)
        #expect(Set(entries.map { "\($0.method) \($0.path)" }).count == entries.count, "a route is registered twice")
        try await app.run { factory in
            let anonymous = factory.browser()
            try await anonymous.get("/login")
            let athlete = try await factory.signedIn("athlete1@alpha.test")
            let coach = try await factory.signedIn("coach1@alpha.test")
            for entry in entries {
                let path = Self.fill(entry.path, org: "alpha", ids: Self.anyIds)
                #expect(!path.contains(":"), "\(entry.path) kept a placeholder: \(path)")
                func call(_ browser: Browser) async throws -> Browser.Page {
                    entry.method == "GET" ? try await browser.get(path) : try await browser.post(path, [("name", "x")])
                }
                switch entry.access {
                case .open:
                    #expect(
                        Self.publicRoutes.contains("\(entry.method) \(entry.path)"),
                        "\(entry.method) \(entry.path) is public but not listed")
                case .signedIn, .member, .libraryEditor:
                    let page = try await call(anonymous)
                    #expect(
                        page.status == .seeOther && page.location?.hasPrefix("/login") == true,
                        "anonymous \(entry.method) \(path) answered \(page.status)")
                case .apiToken:
                    // No token (a session cookie is not one): 401 problem details.
                    for browser in [anonymous, coach] {
                        let page = try await call(browser)
                        #expect(
                            page.status == .unauthorized && page.body.contains("\"status\":401"),
                            "\(entry.method) \(path) without a token answered \(page.status)")
                    }
                }
                if case .member(let role) = entry.access {
                    if role.includes(.coach) {
                        let page = try await call(athlete)
                        // The role guard refused it — not the CSRF check, whose status is also 403.
                        #expect(
                            page.status == .forbidden && page.body.contains("Not available to your role"),
                            "athlete \(entry.method) \(path) answered \(page.status)")
                    }
                    if role == .admin {
                        let page = try await call(coach)
                        #expect(
                            page.status == .forbidden && page.body.contains("Not available to your role"),
                            "coach \(entry.method) \(path) answered \(page.status)")
                    }
                }
                if case .libraryEditor = entry.access {
                    // Until the admin allows it, coaches are refused like athletes.
                    for (who, browser) in [("athlete", athlete), ("coach", coach)] {
                        let page = try await call(browser)
                        #expect(
                            page.status == .forbidden && page.body.contains("Not available to your role"),
                            "\(who) \(entry.method) \(path) answered \(page.status)")
                    }
                }
            }
        }
    }

    @Test func anotherOrganizationsIdsAreNotFoundAndNothingChanges() async throws {
        let app = try await TestApp(athletes: 4)
        let alpha = try await app.scope("alpha", "admin@alpha.test")
        let (invitation, _) = try await app.database.invite(
            alpha, email: "someone@x.test", role: .athlete, now: TestApp.now)
        let athletes = try await app.database.athletes(alpha)
        let plan = try await app.database.createPlan(
            alpha, PlanTemplate(name: "Alpha plan", weeks: [PlanWeek(), PlanWeek()]),
            source: .manual, now: TestApp.now)
        let activity = try await app.database.logActivity(
            alpha, athleteId: try #require(athletes.first).id,
            ActivityEntry(
                sport: .run, date: CalendarDate(year: 2027, month: 1, day: 10) ?? .earliest, distanceMeters: 8000,
                durationSeconds: 2700,
                notes: "Taken over", source: .manual),
            scheduledId: nil, activityId: nil, now: TestApp.now)
        try await app.database.saveCheckIns(
            alpha, athleteId: try #require(athletes.first).id,
            [CheckIn(date: CalendarDate(year: 2027, month: 1, day: 10) ?? .earliest, hrvRMSSD: 60)], fromCSV: false,
            now: TestApp.now)
        // An ill athlete on an active plan: the engine proposes an easier week.
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let onPlan = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        try await app.database.saveCheckIns(
            coachScope, athleteId: onPlan.id, [CheckIn(date: CalendarDate(TestApp.now, timeZone: .gmt), ill: true)],
            fromCSV: false, now: TestApp.now)
        // The demo's seeding may have proposed it already.
        _ = try await app.database.runEngine(coachScope, athleteId: onPlan.id, now: TestApp.now)
        let adaptation = try #require(try await app.database.adaptations(coachScope).first)
        // Every kind of id a route carries, each a real row of alpha.
        let instance = try #require(try await app.database.instances(alpha, athleteId: onPlan.id).first)
        let scheduled = try #require(
            try await app.database.schedule(alpha, athleteId: onPlan.id, from: .earliest, to: .latest).first?.0)
        var assignmentGroup: (group: Int64, assignment: Int64)?
        for group in try await app.database.groups(alpha) {
            if let first = try await app.database.groupAssignments(alpha, groupId: group.id).first {
                assignmentGroup = (group.id, first.id)
            }
        }
        let withAssignment = try #require(assignmentGroup, "the demo has a group with a plan")
        let coachMember = try #require(try await app.database.members(alpha).first { $0.role == .coach })
        try await app.database.assignCoach(
            alpha, coachUserId: coachMember.userId, athleteId: try #require(athletes.first).id, now: TestApp.now)
        let coachAssignment = try #require(try await app.database.coachAssignments(alpha).first)
        let firstAthlete = try #require(athletes.first).id
        try await app.database.markUnavailable(
            alpha, athleteId: firstAthlete, from: CalendarDate(TestApp.now, timeZone: .gmt).adding(days: 3),
            to: CalendarDate(TestApp.now, timeZone: .gmt).adding(days: 3), reason: "Alpha trip", now: TestApp.now)
        let away = try #require(
            try await app.database.unavailableDays(alpha, athleteId: firstAthlete, now: TestApp.now).first)
        let comment = try await app.database.addComment(
            alpha, on: .activity(activity), body: "Alpha's comment", now: TestApp.now)
        try await app.database.addThreshold(
            alpha, athleteId: firstAthlete,
            ThresholdEntry(
                kind: .ftp, value: 250, validFrom: CalendarDate(TestApp.now, timeZone: .gmt), source: .entered),
            now: TestApp.now)
        let threshold = try #require(try await app.database.thresholds(alpha, athleteId: firstAthlete).first)
        let told = try await app.scope("alpha", try #require(athletes.first).email)
        let notification = try #require(try await app.database.notifications(told).first, "the comment was told")
        let ids: [String: String] = [
            "adaptations": adaptation.id,
            "activities": activity,
            "library": try #require(try await app.database.workouts(alpha).first).id,
            "plans": plan,
            "members": try #require(try await app.database.members(alpha).first { $0.role == .coach }).id,
            "athletes": try #require(athletes.first).id,
            "groups": withAssignment.group,
            "invitations": invitation.id,
            "instances": instance.id,
            "workouts": scheduled.id,
            "threshold": threshold.id,
            "assignment": withAssignment.assignment,
            "coach-assignments": coachAssignment.id,
            "unavailable": away.id,
            "comments": comment,
            "notifications": notification.id,
        ].mapValues { String($0) }
        let form: [(String, String)] = [
            ("name", "Taken over"), ("role", "admin"), ("email", "intruder@x.test"),
            ("athlete_id", ids["athletes"] ?? "0"),
            ("distance", "5000"), ("time", "20:00"), ("units", "mi"), ("time_zone", "UTC"), ("notes", "pwned"),
            ("phone", "1"),
            ("version", "1"), ("week", "0"), ("day", "1"), ("workout_id", "1"), ("from", "0:1"), ("to_week", "1"),
            ("to_day", "2"),
            ("op", "add"), ("level", "basic"), ("weeks", "4"),
        ]
        let tenantRoutes = app.routes.entries.filter {
            switch $0.access {
            case .member, .libraryEditor: true
            case .open, .signedIn, .apiToken: false  // the API's tenancy: APITests
            }
        }
        let checked = Counter()
        try await app.run { factory in
            let intruder = try await factory.signedIn("admin@beta.test")
            let before = try await app.database.contentSnapshot()
            for entry in tenantRoutes {
                // (1) alpha's pages under alpha's address: not a member → 404.
                // (2) alpha's ids under the intruder's own organization: the store's scope → 404.
                let carriesId =
                    entry.path.contains(":id") || entry.path.contains(":athlete")
                    || entry.path.hasSuffix("/tools/vdot/apply")
                for slug in carriesId ? ["alpha", "beta"] : ["alpha"] {
                    let path = Self.fill(
                        entry.path, org: slug, ids: ids.merging(["date": scheduled.date.description]) { $1 })
                    #expect(!path.contains(":"), "\(entry.path) kept a placeholder: \(path)")
                    let page =
                        entry.method == "GET" ? try await intruder.get(path) : try await intruder.post(path, form)
                    #expect(page.status == .notFound, "\(entry.method) \(path) answered \(page.status)")
                    #expect(
                        !page.body.contains("Taken over") && !page.body.contains("@alpha.test"), "\(path) leaked data")
                    checked.increment()
                }
            }
            let after = try await app.database.contentSnapshot()
            let changed = after.keys.filter { after[$0] != before[$0] }.sorted()
            #expect(changed.isEmpty, "refused requests changed tables \(changed)")
        }
        // Every tenant route was called under alpha's address, and each carrying an id under beta's too.
        let carryingIds = tenantRoutes.filter {
            $0.path.contains(":id") || $0.path.contains(":athlete") || $0.path.hasSuffix("/tools/vdot/apply")
        }
        #expect(carryingIds.count >= 40)
        #expect(checked.value == tenantRoutes.count + carryingIds.count)
    }

    @Test func statefulRequestsNeedTheSessionsCSRFToken() async throws {
        let app = try await TestApp()
        let before = try await app.database.contentSnapshot()
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            let other = try await factory.signedIn("coach1@beta.test")
            let missing = try await coach.post("/o/alpha/groups", [("name", "New group")], includeCSRF: false)
            #expect(missing.status == .forbidden)
            #expect(missing.body.contains("form has expired"))
            let wrong = try await coach.post(
                "/o/alpha/groups", [("name", "New group")], csrf: "not-the-token-but-long-enough-to-look-real")
            #expect(wrong.status == .forbidden)
            let borrowed = try await coach.post("/o/alpha/groups", [("name", "New group")], csrf: other.csrf)
            #expect(borrowed.status == .forbidden)
            let logout = try await coach.post("/logout", includeCSRF: false)
            #expect(logout.status == .forbidden)
            let anonymous = factory.browser()
            try await anonymous.get("/signup")
            let signup = try await anonymous.post(
                "/signup",
                [
                    ("organization_name", "Gamma"), ("slug", "gamma"), ("name", "G"),
                    ("email", "g@gamma.test"), ("password", "long-enough-password"),
                ], includeCSRF: false)
            #expect(signup.status == .forbidden)
            // The same request with the token works, proving the refusals were about the token.
            let ok = try await coach.post("/o/alpha/groups", [("name", "New group")])
            #expect(ok.status == .seeOther)
        }
        let after = try await app.database.contentSnapshot()
        #expect(after["athlete_group"]?.count == (before["athlete_group"]?.count ?? 0) + 1)
        #expect(after["organization"] == before["organization"])
    }
}

final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func increment() { value += 1 }
}
