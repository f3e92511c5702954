import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PacelineCore
import PacelineStore
import Testing

@testable import PacelineWeb

/// Issue 20: pages that cannot change between requests are served from memory — and a cached page is
/// never stale, never another viewer's, and never one server's alone.
struct PageCacheTests {
    static func footerId(_ body: String) -> String? {
        guard let range = body.range(of: #"Paceline · request [^<]+"#, options: .regularExpression) else { return nil }
        return String(body[range])
    }

    static func withoutFooter(_ body: String) -> String {
        body.replacingOccurrences(of: #"Paceline · request [^<]+"#, with: "", options: .regularExpression)
    }

    @Test func aRepeatedPageIsServedFromMemoryWithItsOwnRequestId() async throws {
        let app = try await TestApp(athletes: 4)
        let cache = try #require(app.deps.caches.pages)
        let scope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, scope))
        try await app.run { factory in
            let browser = try await factory.signedIn(athlete.email)
            for path in ["/o/alpha", "/o/alpha/activities", "/o/alpha/calendar?month=2027-01"] {
                let first = try await browser.get(path)
                let hits = cache.statistics.hits
                let second = try await browser.get(path)
                #expect(first.status == .ok && second.status == .ok, "\(path)")
                #expect(cache.statistics.hits == hits + 1, "\(path) was not served from the cache")
                #expect(Self.withoutFooter(first.body) == Self.withoutFooter(second.body), "\(path)")
                let ids = (Self.footerId(first.body), Self.footerId(second.body))
                #expect(ids.0 != nil && ids.0 != ids.1, "\(path): each response names its own request")
            }
        }
    }

    @Test func aChangeIsOnThePageAtOnce() async throws {
        let app = try await TestApp(athletes: 4)
        let scope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, scope))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        try await app.run { factory in
            let browser = try await factory.signedIn(athlete.email)
            let coach = try await factory.signedIn("coach1@alpha.test")
            _ = try await browser.get("/o/alpha/activities")
            let board = try await coach.get("/o/alpha/athletes?q=\(Browser.encode(athlete.name))")
            #expect(board.body.contains(athlete.name))
            // Through a form: the athlete logs a run; the list shows it on the next request.
            let saved = try await browser.post(
                "/o/alpha/activities/new",
                [
                    ("date", today.description), ("sport", "run"), ("status", "done"), ("distance", "7.5"),
                    ("duration", "40:00"), ("rpe", "4"),
                ])
            let location = try #require(saved.location)
            _ = try await browser.get(location)  // shows (and clears) the flash
            let list = try await browser.get("/o/alpha/activities")
            #expect(list.body.contains(location), "the new activity is not on the cached list")
            // Straight into the store, as a background job writes: the same.
            try await app.database.updateName(userId: athlete.userId, name: "Quinn Renamed")
            let renamed = try await coach.get("/o/alpha/athletes?q=Quinn")
            #expect(renamed.body.contains("Quinn Renamed"), "the board shows an old name")
        }
    }

    @Test func eachViewerHasTheirOwnPage() async throws {
        let app = try await TestApp(athletes: 4)
        try await app.run { factory in
            let one = try await factory.signedIn("coach1@alpha.test")
            let two = try await factory.signedIn("coach2@alpha.test")
            let first = try await one.get("/o/alpha/athletes")
            let second = try await two.get("/o/alpha/athletes")
            let (casey, jordan) = ("\">Casey Coach</a>", "\">Jordan Coach</a>")  // the chrome's account link
            #expect(first.body.contains(casey) && !first.body.contains(jordan))
            #expect(second.body.contains(jordan) && !second.body.contains(casey))
            #expect(one.csrf != two.csrf && second.body.contains(two.csrf) && !second.body.contains(one.csrf))
            // The same person in a second session: its own CSRF token on its own page.
            let again = try await factory.signedIn("coach1@alpha.test")
            let third = try await again.get("/o/alpha/athletes")
            #expect(again.csrf != one.csrf && third.body.contains(again.csrf) && !third.body.contains(one.csrf))
        }
    }

    @Test func aFlashIsShownOnceAndNotKept() async throws {
        let app = try await TestApp(athletes: 4)
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        let scope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, scope))
        try await app.run { factory in
            let browser = try await factory.signedIn(athlete.email)
            _ = try await browser.get("/o/alpha")
            let saved = try await browser.post(
                "/o/alpha/checkin", [("date", today.description), ("hrv", "58"), ("soreness", "2")])
            #expect(saved.status == .seeOther)
            let shown = try await browser.get("/o/alpha")
            #expect(shown.body.contains("Check-in saved"))
            let next = try await browser.get("/o/alpha")
            #expect(!next.body.contains("Check-in saved"))
        }
    }

    @Test func aNewQuarterHourIsANewPage() async throws {
        let app = try await TestApp(athletes: 4)
        let cache = try #require(app.deps.caches.pages)
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            _ = try await coach.get("/o/alpha/athletes")
            let misses = cache.statistics.misses
            app.clock.advance(seconds: 900)
            _ = try await coach.get("/o/alpha/athletes")
            #expect(cache.statistics.misses == misses + 1)
        }
    }

    /// Two app servers on one database (each with its own memory): a write through one is on the
    /// other's next page, because the version they key pages by is read from the database.
    @Test func twoServersNeverServeAnOldPage() async throws {
        let app = try await TestApp(athletes: 4)
        let other = AppDependencies(
            database: app.database, config: app.deps.config, clock: app.deps.clock, hasher: TestApp.hasher,
            renderer: app.deps.renderer)
        let (otherRouter, _) = buildRouter(other)
        let scope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, scope))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        let application = Application(router: otherRouter, logger: Logger(label: "second-server"))
        try await application.test(.router) { client in
            try await app.run { factory in
                let first = try await factory.signedIn(athlete.email)
                _ = try await first.get("/o/alpha/activities")
                _ = try await first.get("/o/alpha/activities")
                let second = Browser(client: client)
                second.cookies = first.cookies
                second.csrf = first.csrf
                let saved = try await second.post(
                    "/o/alpha/activities/new",
                    [
                        ("date", today.description), ("sport", "run"), ("status", "done"), ("distance", "9"),
                        ("duration", "50:00"),
                    ])
                let location = try #require(saved.location)
                first.cookies = second.cookies
                let list = try await first.get("/o/alpha/activities")
                #expect(list.body.contains(location), "the first server served its old page")
            }
        }
    }

    @Test func theAPIsScheduleIsAnsweredFromMemoryAndNeverStale() async throws {
        let app = try await TestApp(athletes: 4)
        let cache = try #require(app.deps.caches.api)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        let token = try await APITests.token(app, athlete.email)
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        let first = try #require(
            try await app.database.schedule(coachScope, athleteId: athlete.id, from: today, to: today.adding(days: 13))
                .first?.0)
        let instance = try #require(try await app.database.instances(coachScope, athleteId: athlete.id).first {
            $0.id == first.instanceId
        })
        try await app.run { factory in
            let api = APIClient(client: factory.client, token: token)
            let before = try await api.get("/schedule")
            let hits = cache.statistics.hits
            let again = try await api.get("/schedule")
            #expect(before.status == .ok && again.status == .ok && again.body == before.body)
            #expect(cache.statistics.hits == hits + 1)
            #expect(again.headers[.contentType]?.hasPrefix("application/json") == true)
            let remaining = try #require(HTTPField.Name("RateLimit-Remaining"))
            #expect(again.headers[remaining] != before.headers[remaining], "the rate count is each request's own")
            // The coach makes the first planned day a rest day: the next answer has no workout that day.
            try await app.database.restScheduled(
                coachScope, instanceId: instance.id, date: first.date, expectedVersion: instance.version,
                now: TestApp.now)
            let after = try await api.get("/schedule")
            let ids = (after.json["workouts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            #expect(after.status == .ok && !ids.contains(Int(first.id)), "a stale schedule was sent")
            // Another member's token never gets this member's answer.
            let coach = APIClient(client: factory.client, token: try await APITests.token(app, "coach1@alpha.test"))
            #expect(try await coach.get("/schedule").status == .forbidden)
        }
    }

    @Test func theCacheKeepsToItsBudgetAndDropsOldVersions() {
        let cache = VersionedCache<String>(maxCost: 1000, maxEntries: 5)
        func key(_ org: Int64, _ version: Int64, _ address: String) -> VersionedCache<String>.Key {
            .init(orgId: org, version: version, quarterHour: 1, address: address, viewer: "v")
        }
        for i in 0..<8 { cache.insert("page \(i)", cost: 100, for: key(1, 1, "/\(i)")) }
        #expect(cache.statistics.entries == 5 && cache.statistics.cost == 500)
        #expect(cache.value(key(1, 1, "/0")) == nil && cache.value(key(1, 1, "/7")) == "page 7")
        // A newer version of organization 1 drops its older pages, not organization 2's.
        cache.insert("other org", cost: 100, for: key(2, 9, "/"))
        cache.insert("new", cost: 100, for: key(1, 2, "/7"))
        #expect(cache.value(key(1, 1, "/7")) == nil && cache.value(key(1, 2, "/7")) == "new")
        #expect(cache.value(key(2, 9, "/")) == "other org")
        // A page made from an older version than one seen is not kept; one too big for the budget neither.
        cache.insert("late", cost: 100, for: key(1, 1, "/late"))
        cache.insert("huge", cost: 900, for: key(1, 2, "/huge"))
        #expect(cache.value(key(1, 1, "/late")) == nil && cache.value(key(1, 2, "/huge")) == nil)
        for i in 0..<3000 { cache.insert("x", cost: 1, for: key(3, Int64(i), "/")) }
        #expect(cache.statistics.entries <= 5 && cache.statistics.cost <= 1000)
    }

    @Test func aPageBeingMadeIsMadeOnceForEveryoneWaiting() async throws {
        let cache = VersionedCache<String>(maxCost: 1000, maxEntries: 10)
        let key = VersionedCache<String>.Key(orgId: 1, version: 1, quarterHour: 1, address: "/board", viewer: "v")
        let made = Counter()
        let pages = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    try await cache.value(key, cost: \.count) {
                        made.add()
                        try await Task.sleep(for: .milliseconds(50))
                        return "board"
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(pages.count == 32 && pages.allSatisfy { $0 == "board" })
        #expect(made.value == 1, "made \(made.value) times")
        // A failure is not shared: the waiting requests make their own.
        struct Refused: Error {}
        let other = VersionedCache<String>.Key(orgId: 1, version: 1, quarterHour: 1, address: "/x", viewer: "v")
        let tries = Counter()
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    (try? await cache.value(other, cost: \.count) {
                        tries.add()
                        try await Task.sleep(for: .milliseconds(20))
                        if tries.value == 1 { throw Refused() }
                        return "x"
                    }) != nil
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { !$0 }.count == 1 && tries.value >= 2)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    @Test func theCacheCanBeTurnedOff() async throws {
        let app = try await TestApp(athletes: 2) { $0.pageCacheMegabytes = 0 }
        #expect(app.deps.caches.pages == nil)
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            #expect(try await coach.get("/o/alpha/athletes").status == .ok)
        }
    }
}
