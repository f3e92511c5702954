import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PacelineCore
import PacelineStore
import Testing

@testable import PacelineWeb

/// A client of the JSON API: a bearer token on every request, JSON in and out.
struct APIClient {
    let client: any TestClientProtocol
    let token: String?

    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        var isProblem: Bool {
            headers[.contentType] == "application/problem+json" && json["status"] as? Int == Int(status.code)
                && json["title"] is String && json["type"] is String
        }
    }

    func call(
        _ method: HTTPRequest.Method, _ path: String, json: Any? = nil, raw: Data? = nil,
        contentType: String = "application/json", headers extra: HTTPFields = [:]
    ) async throws -> Answer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            body = ByteBuffer(bytes: raw)
        }
        if body != nil { headers[.contentType] = contentType }
        let response = try await client.execute(uri: "/api/v1" + path, method: method, headers: headers, body: body)
        return Answer(status: response.status, headers: response.headers, body: Data(buffer: response.body))
    }

    func get(_ path: String) async throws -> Answer { try await call(.get, path) }
    func post(_ path: String, _ json: Any) async throws -> Answer { try await call(.post, path, json: json) }
}

struct APITests {
    static func token(
        _ app: TestApp, _ email: String, org: String = "alpha", scope: APITokenScope = .write, expires: Date? = nil
    ) async throws -> String {
        let user = try #require(try await app.database.user(email: email))
        return try await app.database.createAPIToken(
            userId: user.id, organizationSlug: org, name: "test", scope: scope, expiresAt: expires, now: TestApp.now
        ).secret
    }

    /// Everything but the tables a request to the API writes by design (the token's use, the audit log).
    static func tenantContent(_ app: TestApp) async throws -> [String: [String]] {
        try await app.database.contentSnapshot().filter { !["api_token", "audit_log"].contains($0.key) }
    }

    @Test func aTokenMadeOnTheAccountPageWorksUntilRevokedAndIsStoredOnlyAsItsHash() async throws {
        let app = try await TestApp()
        try await app.run { factory in
            let browser = try await factory.signedIn("athlete1@alpha.test")
            let empty = try await browser.post(
                "/account/tokens", [("name", " "), ("organization", "alpha"), ("scope", "write"), ("expires", "30")])
            #expect(empty.status == .unprocessableContent && empty.body.contains("token-name-error"))
            func create(_ org: String) async throws -> Browser.Page {
                try await browser.post(
                    "/account/tokens",
                    [("name", "Watch"), ("organization", org), ("scope", "write"), ("expires", "30")])
            }
            let foreign = try await create("beta")
            #expect(foreign.status == .unprocessableContent && foreign.body.contains("token-organization-error"))
            let page = try await create("alpha")
            #expect(page.status == .created)
            let range = try #require(page.body.range(of: #"pl_[A-Za-z0-9_-]{43}"#, options: .regularExpression))
            let secret = String(page.body[range])
            let snapshot = try await app.database.contentSnapshot()
            #expect(!snapshot.values.joined().contains { $0.contains(secret) }, "the token itself was stored")
            let api = APIClient(client: factory.client, token: secret)
            let me = try await api.get("/me")
            #expect(me.status == .ok)
            #expect(me.json["role"] as? String == "athlete")
            #expect((me.json["token"] as? [String: Any])?["scope"] as? String == "write")
            #expect(me.headers[.cacheControl] == "no-store")
            // The list shows it once more only by name; revoking it refuses the next request.
            let list = try await browser.get("/account/tokens")
            #expect(list.body.contains("Watch") && !list.body.contains(secret))
            let user = try #require(try await app.database.user(email: "athlete1@alpha.test"))
            let id = try #require(try await app.database.apiTokens(userId: user.id).first?.id)
            let revoked = try await browser.post("/account/tokens/\(id)/revoke")
            #expect(revoked.status == .seeOther)
            let after = try await api.get("/me")
            #expect(after.status == .unauthorized && after.isProblem)
            // Another person cannot revoke it (not found), and nothing of theirs is listed.
            let other = try await factory.signedIn("athlete2@alpha.test")
            #expect(try await other.post("/account/tokens/\(id)/revoke").status == .notFound)
        }
    }

    @Test func theTokenPageOffersToRevokeEachLiveToken() async throws {
        let app = try await TestApp()
        let user = try #require(try await app.database.user(email: "athlete1@alpha.test"))
        let (live, _) = try await app.database.createAPIToken(
            userId: user.id, organizationSlug: "alpha", name: "Phone", scope: .read, expiresAt: nil, now: TestApp.now)
        let (gone, _) = try await app.database.createAPIToken(
            userId: user.id, organizationSlug: "alpha", name: "Old", scope: .read, expiresAt: nil, now: TestApp.now)
        try await app.database.revokeAPIToken(userId: user.id, id: gone.id, now: TestApp.now)
        try await app.run { factory in
            let page = try await factory.signedIn("athlete1@alpha.test").get("/account/tokens")
            #expect(page.body.contains("action=\"/account/tokens/\(live.id)/revoke\""))
            #expect(!page.body.contains("/account/tokens/\(gone.id)/revoke") && page.body.contains("Revoked"))
        }
    }

    @Test func badExpiredAndMissingTokensAndSessionCookiesAre401ProblemDetails() async throws {
        let app = try await TestApp()
        let expiring = try await Self.token(app, "athlete1@alpha.test", expires: TestApp.now.addingTimeInterval(3600))
        let good = try await Self.token(app, "athlete1@alpha.test")
        try await app.run { factory in
            for token in [nil, "", "pl_", "pl_" + String(repeating: "A", count: 43), good + "x", "x" + good,
                String(repeating: "p", count: 10_000)] as [String?]
            {
                let answer = try await APIClient(client: factory.client, token: token).get("/schedule")
                #expect(answer.status == .unauthorized && answer.isProblem, "token \(token ?? "none")")
                #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            // Basic auth, or a session cookie, is not a token: the API has no CSRF check to lean on.
            let basic = try await APIClient(client: factory.client, token: nil).call(
                .get, "/me", headers: [.authorization: "Basic YTpi"])
            #expect(basic.status == .unauthorized)
            let browser = try await factory.signedIn("athlete1@alpha.test")
            let cookie = try await browser.getRaw("/api/v1/me")
            #expect(cookie.status == .unauthorized)
            #expect(try await APIClient(client: factory.client, token: expiring).get("/me").status == .ok)
            app.clock.advance(days: 1)
            #expect(try await APIClient(client: factory.client, token: expiring).get("/me").status == .unauthorized)
            #expect(try await APIClient(client: factory.client, token: good).get("/me").status == .ok)
        }
        // A member who leaves the organization takes their tokens' access with them.
        let admin = try await app.scope("alpha", "admin@alpha.test")
        let member = try #require(
            try await app.database.members(admin).first { $0.email == "athlete1@alpha.test" })
        try await app.database.removeMember(admin, memberId: member.id, now: TestApp.now)
        try await app.run { factory in
            let gone = try await APIClient(client: factory.client, token: good).get("/me")
            #expect(gone.status == .unauthorized)
        }
    }

    @Test func theAthletesScheduleCarriesTheirOwnTargets() async throws {
        let app = try await TestApp(athletes: 4)
        let scope = try await app.scope("alpha", "admin@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, scope))
        let token = try await Self.token(app, athlete.email)
        let zones = try #require(PaceZones(vdotValue: athlete.vdot))
        try await app.run { factory in
            let api = APIClient(client: factory.client, token: token)
            let schedule = try await api.get("/schedule?from=2027-01-01&to=2027-03-31")
            #expect(schedule.status == .ok)
            let workouts = try #require(schedule.json["workouts"] as? [[String: Any]])
            #expect(!workouts.isEmpty)
            var paced = 0
            func walk(_ blocks: [[String: Any]]) {
                for block in blocks {
                    let target = block["target"] as? [String: Any] ?? [:]
                    let zone = PaceZone(rawValue: block["zone"] as? String ?? "")
                    if target["kind"] as? String == "pace", let zone {
                        let fast = target["pace_fast_s_per_km"] as? Double ?? 0
                        let slow = target["pace_slow_s_per_km"] as? Double ?? 0
                        #expect(abs(fast - zones.range(zone).fast) <= 0.05)
                        #expect(abs(slow - zones.range(zone).slow) <= 0.05)
                        paced += 1
                    }
                    walk(block["blocks"] as? [[String: Any]] ?? [])
                }
            }
            for workout in workouts {
                walk((workout["workout"] as? [String: Any])?["blocks"] as? [[String: Any]] ?? [])
            }
            #expect(paced > 0)
            for query in ["from=2027-13-01", "from=2027-03-01&to=2027-01-01", "from=2027-01-01&to=2028-01-01"] {
                let bad = try await api.get("/schedule?\(query)")
                #expect(bad.status == .unprocessableContent && bad.isProblem, "\(query)")
            }
        }
    }

    @Test func anAthleteLogsChecksInUploadsAndComments() async throws {
        let app = try await TestApp()
        let token = try await Self.token(app, "athlete1@alpha.test")
        try await app.run { factory in
            let api = APIClient(client: factory.client, token: token)
            let today = CalendarDate(TestApp.now, timeZone: .gmt)
            let logged = try await api.post(
                "/activities",
                ["date": today.adding(days: -1).description, "sport": "run", "distance_m": 8000, "duration_s": 2400,
                 "avg_hr": 150, "rpe": 5, "notes": "From my app"])
            #expect(logged.status == .created)
            let id = try #require(logged.json["id"] as? Int)
            #expect(logged.json["distance_m"] as? Double == 8000 && logged.json["source"] as? String == "manual")
            #expect(try await api.get("/activities/\(id)").json["notes"] as? String == "From my app")
            // Every problem of a log at once, by the JSON field's name; nothing saved.
            let before = try await Self.tenantContent(app)
            let bad = try await api.post(
                "/activities", ["date": today.adding(days: 3).description, "sport": "run", "avg_hr": 400])
            #expect(bad.status == .unprocessableContent && bad.isProblem)
            let fields = Set((bad.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["date"] || fields.isSuperset(of: ["date"]))
            let hr = try await api.post("/activities", ["date": today.description, "sport": "run", "avg_hr": 400])
            #expect(hr.status == .unprocessableContent && (hr.json["errors"] as? [[String: Any]])?.first?["field"]
                as? String == "avg_hr")
            #expect(try await Self.tenantContent(app) == before)

            // A phone pushes HRV; the soreness typed earlier stays.
            let day = today.description
            #expect(try await api.post("/check-ins", ["date": day, "soreness": 4]).status == .ok)
            let pushed = try await api.post("/check-ins", ["date": day, "hrv_rmssd_ms": 61.5, "resting_hr": 48])
            #expect(pushed.status == .ok)
            #expect(pushed.json["soreness"] as? Int == 4 && pushed.json["hrv_rmssd_ms"] as? Double == 61.5)
            let tooHigh = try await api.post("/check-ins", ["date": day, "hrv_rmssd_ms": 5000])
            #expect(tooHigh.status == .unprocessableContent
                && (tooHigh.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "hrv_rmssd_ms")
            let future = try await api.post("/check-ins", ["date": today.adding(days: 2).description, "stress": 2])
            #expect(future.status == .unprocessableContent)

            // A GPX file: created once, the same file again is the same activity.
            let gpx = LogTests.gpx(start: TestApp.now.addingTimeInterval(-86_400 * 2))
            let upload = try await api.call(
                .post, "/activities/files?name=morning.gpx", raw: gpx, contentType: "application/octet-stream")
            #expect(upload.status == .created && upload.json["source"] as? String == "gpx")
            let again = try await api.call(
                .post, "/activities/files?name=morning.gpx", raw: gpx, contentType: "application/octet-stream")
            #expect(again.status == .ok && again.json["id"] as? Int == upload.json["id"] as? Int)
            let junk = try await api.call(
                .post, "/activities/files?name=junk.fit", raw: Data("nope".utf8),
                contentType: "application/octet-stream")
            #expect(junk.status == .unprocessableContent && junk.isProblem)

            // The thread of the logged activity: posted, then read back.
            let comment = try await api.post("/activities/\(id)/comments", ["body": "Felt **easy**"])
            #expect(comment.status == .created && comment.json["body_markdown"] as? String == "Felt **easy**")
            let thread = try await api.get("/activities/\(id)/comments")
            #expect(thread.items.count == 1 && thread.items.first?["by_coach"] as? Bool == false)
            #expect(try await api.post("/activities/\(id)/comments", ["body": "   "]).status == .unprocessableContent)
            // Coaching operations are not an athlete's.
            for path in ["/athletes", "/groups", "/plans", "/instances", "/proposals"] {
                let refused = try await api.get(path)
                #expect(refused.status == .forbidden && refused.isProblem, "\(path)")
            }
        }
    }

    @Test func listsArePaginatedWithOpaqueCursors() async throws {
        let app = try await TestApp(athletes: 5)
        let coach = try await Self.token(app, "coach1@alpha.test")
        let athlete = try await Self.token(app, "athlete1@alpha.test")
        let scope = try await app.scope("alpha", "coach1@alpha.test")
        let expected = try await app.database.athletes(scope).map(\.id)
        try await app.run { factory in
            func walk(_ api: APIClient, _ path: String, limit: Int) async throws -> [Int] {
                var seen: [Int] = [], cursor: String? = nil
                repeat {
                    let query = "limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await api.get("\(path)?\(query)")
                    #expect(page.status == .ok)
                    #expect(page.items.count <= limit)
                    seen += page.items.compactMap { $0["id"] as? Int }
                    cursor = page.json["next_cursor"] as? String
                } while cursor != nil && seen.count < 10_000
                return seen
            }
            let api = APIClient(client: factory.client, token: coach)
            let athletes = try await walk(api, "/athletes", limit: 2)
            #expect(athletes.map(Int64.init) == expected)
            let activities = try await walk(APIClient(client: factory.client, token: athlete), "/activities", limit: 3)
            #expect(!activities.isEmpty && Set(activities).count == activities.count)
            for bad in ["limit=0", "limit=201", "cursor=bm9wZQ", "cursor=%25%25", "limit=abc"] {
                let answer = try await api.get("/athletes?\(bad)")
                #expect(answer.status == .unprocessableContent && answer.isProblem, "\(bad)")
            }
        }
    }

    @Test func anotherOrganizationsIdsAreNotFoundAndChangeNothing() async throws {
        let app = try await TestApp(athletes: 4)
        let alpha = try await app.scope("alpha", "admin@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, alpha))
        let instance = try #require(try await app.database.instances(alpha, athleteId: athlete.id).first)
        let activity = try #require(
            try await app.database.activities(alpha, athleteId: athlete.id, from: .earliest, to: .latest).first)
        let scheduled = try #require(try await app.database.instance(alpha, id: instance.id).items.first)
        let plan = try #require(try await app.database.plans(alpha).first)
        let intruder = try await Self.token(app, "admin@beta.test", org: "beta")
        let before = try await Self.tenantContent(app)
        try await app.run { factory in
            let api = APIClient(client: factory.client, token: intruder)
            let reads = [
                "/athletes/\(athlete.id)", "/athletes/\(athlete.id)/schedule", "/athletes/\(athlete.id)/activities",
                "/activities/\(activity.id)", "/activities/\(activity.id)/comments", "/instances/\(instance.id)",
                "/workouts/\(scheduled.id)/comments", "/plans/\(plan.id)", "/instances?athlete_id=\(athlete.id)",
                "/proposals?athlete_id=\(athlete.id)",
            ]
            for path in reads {
                let answer = try await api.get(path)
                #expect(answer.status == .notFound && answer.isProblem, "GET \(path) answered \(answer.status)")
                #expect(!String(decoding: answer.body, as: UTF8.self).contains("alpha"))
            }
            for path in [
                "/instances/\(instance.id)/pause", "/instances/\(instance.id)/cancel", "/proposals/1/accept",
                "/activities/\(activity.id)/comments", "/workouts/\(scheduled.id)/comments",
            ] {
                let answer = try await api.post(path, ["body": "Taken over"])
                #expect(answer.status == .notFound && answer.isProblem, "POST \(path) answered \(answer.status)")
            }
        }
        #expect(try await Self.tenantContent(app) == before)
    }

    @Test func readOnlyTokensMalformedBodiesAndOversizedOnesChangeNothing() async throws {
        let app = try await TestApp()
        let reader = try await Self.token(app, "athlete1@alpha.test", scope: .read)
        let writer = try await Self.token(app, "athlete1@alpha.test")
        let day = CalendarDate(TestApp.now, timeZone: .gmt).description
        let before = try await Self.tenantContent(app)
        try await app.run { factory in
            let read = APIClient(client: factory.client, token: reader)
            #expect(try await read.get("/check-ins").status == .ok)
            let refused = try await read.post("/check-ins", ["date": day, "soreness": 3])
            #expect(refused.status == .forbidden && refused.isProblem)
            let api = APIClient(client: factory.client, token: writer)
            for raw in ["{", "[]", "null", "{\"date\": 5}", "{\"date\": \"\(day)\", \"soreness\": \"lots\"}",
                "{\"soreness\": 3}", "\u{0}\u{1}"]
            {
                let answer = try await api.call(.post, "/check-ins", raw: Data(raw.utf8))
                #expect(answer.status == .unprocessableContent && answer.isProblem, "\(raw) → \(answer.status)")
            }
            let missing = try await api.call(.post, "/check-ins", raw: Data("{\"soreness\": 3}".utf8))
            #expect((missing.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "date")
            let notes = String(repeating: "x", count: 300_000)
            let big = Data(("{\"date\": \"\(day)\", \"notes\": \"" + notes + "\"}").utf8)
            let oversized = try await api.call(.post, "/check-ins", raw: big)
            #expect(oversized.status == .contentTooLarge && oversized.isProblem)
        }
        #expect(try await Self.tenantContent(app) == before)
    }

    @Test func eachTokenIsRateLimitedPerMinute() async throws {
        let app = try await TestApp { $0.apiRatePerMinute = 3 }
        let token = try await Self.token(app, "athlete1@alpha.test")
        let other = try await Self.token(app, "athlete2@alpha.test")
        try await app.run { factory in
            let api = APIClient(client: factory.client, token: token)
            for left in [2, 1, 0] {
                let answer = try await api.get("/me")
                #expect(answer.status == .ok && answer.headers[HTTPField.Name("RateLimit-Remaining")!] == "\(left)")
            }
            let limited = try await api.get("/me")
            #expect(limited.status == .tooManyRequests && limited.isProblem)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await APIClient(client: factory.client, token: other).get("/me").status == .ok)
            app.clock.advance(seconds: 61)
            #expect(try await api.get("/me").status == .ok)
        }
    }

    @Test func aCoachPausesResumesCancelsAndDecidesProposals() async throws {
        let app = try await TestApp(athletes: 4)
        let scope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, scope))
        let instance = try #require(
            try await app.database.instances(scope, athleteId: athlete.id).first { $0.state.status == .active })
        let token = try await Self.token(app, "coach1@alpha.test")
        try await app.run { factory in
            let api = APIClient(client: factory.client, token: token)
            let paused = try await api.call(.post, "/instances/\(instance.id)/pause")
            #expect(paused.status == .ok && paused.json["status"] as? String == "paused")
            #expect(try await api.call(.post, "/instances/\(instance.id)/pause").status == .unprocessableContent)
            let resumed = try await api.call(.post, "/instances/\(instance.id)/resume")
            #expect(resumed.status == .ok && resumed.json["status"] as? String == "active")
            let cancelled = try await api.call(.post, "/instances/\(instance.id)/cancel")
            #expect(cancelled.status == .ok && cancelled.json["status"] as? String == "cancelled")
            #expect((cancelled.json["events"] as? [[String: Any]])?.isEmpty == false)
            #expect(try await api.call(.post, "/instances/\(instance.id)/resume").status == .unprocessableContent)
            #expect(try await api.call(.post, "/instances/\(instance.id)/explode").status != .ok)
            let listed = try await api.get("/instances?status=cancelled")
            #expect(listed.items.contains { $0["id"] as? Int == Int(instance.id) })

            let proposals = try await api.get("/proposals?state=proposed")
            #expect(proposals.status == .ok)
            let proposal = try #require(proposals.items.first?["id"] as? Int)
            let rejected = try await api.call(.post, "/proposals/\(proposal)/reject")
            #expect(rejected.status == .ok && rejected.json["state"] as? String == "rejected")
            #expect(try await api.call(.post, "/proposals/\(proposal)/accept").status == .unprocessableContent)

            let groups = try await api.get("/groups")
            #expect(groups.status == .ok)
            let plans = try await api.get("/plans")
            let planId = try #require(plans.items.first?["id"] as? Int)
            let plan = try await api.get("/plans/\(planId)")
            #expect(plan.status == .ok && (plan.json["days"] as? [[String: Any]])?.isEmpty == false)
        }
    }

    @Test func theOpenAPIDocumentIsServedAndTheGeneratedCodeCameFromIt() async throws {
        let app = try await TestApp()
        let file = TestApp.repoRoot.appendingPathComponent("Public/api/v1/openapi.json")
        let document = try Data(contentsOf: file)
        try await app.run { factory in
            let response = try await factory.browser().getRaw("/api/v1/openapi.json")
            #expect(response.status == .ok && Data(buffer: response.body) == document)
        }
        let json = try #require(try JSONSerialization.jsonObject(with: document) as? [String: Any])
        #expect(json["openapi"] as? String == "3.1.0")
        // Every operation of the document is a route of the API, and the other way round.
        let paths = try #require(json["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, methods in
            methods.keys.map { "\($0.uppercased()) /api/v1" + path.replacingOccurrences(of: "{", with: ":")
                .replacingOccurrences(of: "}", with: "") }
        })
        let routed = Set(app.routes.entries.filter { $0.access == .apiToken }.map { "\($0.method) \($0.path)" })
        #expect(documented == routed)
        // The stamp `make openapi` writes: the SHA-256 of the document the generated code came from.
        let stamp = try String(
            contentsOf: TestApp.repoRoot.appendingPathComponent("Sources/PacelineAPI/Generated/GENERATED-FROM"),
            encoding: .utf8)
        let digest = SecretToken.hash(String(decoding: document, as: UTF8.self))
        #expect(
            stamp.hasPrefix(digest), "Public/api/v1/openapi.json changed since the code was generated: make openapi")
    }
}
