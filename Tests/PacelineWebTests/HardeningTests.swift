import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// Issue 13's items that the router shows: redirects after log-in, sign-up that does not tell
/// which emails have accounts, weak passwords, the health check, and the helpers behind the
/// throttle's address and the log's redaction.
struct HardeningTests {
    @Test(arguments: [
        "/\t/evil.example/", "/%09/evil.example/", "//evil.example", "/\\evil.example", "/%5Cevil.example",
        "/%2F/evil.example",
        "https://evil.example", "/\n/evil.example", "/%0a/evil.example", "/\u{00A0}/evil.example", "/\u{200B}/evil", "",
        "evil", "/ok\r\nSet-Cookie:x",
    ])
    func offSiteRedirectTargetsAreRefused(_ target: String) {
        #expect(!SiteURL.isSafeRedirect(target), "\(target.debugDescription) was accepted")
    }

    @Test func sameSitePathsAreKeptAsRedirectTargets() {
        for target in ["/o/alpha", "/o/alpha/plans/3?week=2", "/account"] { #expect(SiteURL.isSafeRedirect(target)) }
    }

    @Test func aTabbedNextParameterDoesNotLeaveTheSite() async throws {
        let app = try await TestApp(seed: ["alpha"])
        try await app.run { factory in
            let browser = factory.browser()
            let form = try await browser.get("/login?next=/%09/evil.example/")
            #expect(!form.body.contains("evil.example"))
            let response = try await browser.post(
                "/login",
                [
                    ("email", "coach1@alpha.test"), ("password", TestApp.password),
                    ("next", "/\t/evil.example/"),
                ])
            #expect(response.status == .seeOther)
            #expect(response.location == "/o/alpha", "redirected to \(response.location ?? "nil")")
        }
    }

    @Test func signUpSaysTheSameWhetherOrNotTheEmailHasAnAccount() async throws {
        let app = try await TestApp(seed: ["alpha"])
        try await app.run { factory in
            let visitor = factory.browser()
            try await visitor.get("/signup")
            func attempt(
                _ email: String, _ slug: String, password: String = "an-unusual-passphrase"
            ) async throws -> Browser.Page {
                try await visitor.post(
                    "/signup",
                    [
                        ("organization_name", "Club \(slug)"), ("slug", slug), ("name", "Sam"),
                        ("email", email), ("password", password),
                    ])
            }
            let existing = try await attempt("coach1@alpha.test", "club-one")
            #expect(existing.status == .unprocessableContent)
            #expect(!existing.body.lowercased().contains("exists") && !existing.body.contains("already"))
            #expect(
                existing.body.contains(AuthController.signupRefusal.replacingOccurrences(of: "'", with: "&#39;"))
                    || existing.body.contains("We could not create an account with this email and password"))
            #expect(
                try await app.database.contentSnapshot()["organization"]?.contains { $0.contains("club-one") } == false)
            // The account's own password signs up a second organization for that account.
            let second = try await attempt("coach1@alpha.test", "club-two", password: TestApp.password)
            #expect(second.status == .seeOther && second.location == "/o/club-two")
            let user = try #require(try await app.database.user(email: "coach1@alpha.test"))
            #expect(
                try await app.database.memberships(userId: user.id).map(\.organization.slug).sorted() == [
                    "alpha", "club-two",
                ])
        }
    }

    @Test func aSignInWithAnOlderCheaperHashStoresOneAtTodaysCost() async throws {
        // The demo's hashes are cost 10; this server hashes at 11.
        let app = try await TestApp(seed: ["alpha"], hasher: PasswordHasher(cost: 11))
        let user = try #require(try await app.database.user(email: "coach1@alpha.test"))
        #expect(
            try await app.database.passwordHash(userId: user.id).map {
                $0.hasPrefix("$2b$10$") || $0.hasPrefix("$2a$10$")
            } == true)
        try await app.run { factory in
            let browser = factory.browser()
            // A wrong password changes nothing; the right one upgrades the hash and still signs in.
            let wrong = try await browser.logIn("coach1@alpha.test", password: "not-the-password")
            let unchanged = try await app.database.passwordHash(userId: user.id)
            let right = try await browser.logIn("coach1@alpha.test", password: TestApp.password)
            #expect(
                wrong.status == .unprocessableContent && unchanged?.contains("$10$") == true
                    && right.status == .seeOther)
        }
        let upgraded = try #require(try await app.database.passwordHash(userId: user.id))
        #expect(upgraded.contains("$11$") && PasswordHasher(cost: 11).verify(TestApp.password, hash: upgraded))
    }

    @Test func commonRepetitiveAndPersonalPasswordsAreRefused() throws {
        #expect(CommonPasswords.count >= 10_000)
        for weak in [
            "password123", "Password2026!", "qwertyuiop", "1234567890", "aaaaaaaaaaaa", "abcabcabcabc", "iloveyou12",
            "0987654321",
        ] {
            #expect(throws: FieldRules.Invalid.self, "\(weak) was accepted") { try FieldRules.password(weak) }
        }
        #expect(throws: FieldRules.Invalid.self) {
            try FieldRules.password("riley.runner@example.com", context: ["riley.runner@example.com"])
        }
        #expect(throws: FieldRules.Invalid.self) {
            try FieldRules.password("rileyrunner1", context: ["rileyrunner@example.com"])
        }
        #expect(throws: FieldRules.Invalid.self) {
            try FieldRules.password("Riley Okafor", context: ["x@y.test", "Riley Okafor"])
        }
        for strong in ["correct horse battery staple", "tempo-Tuesday-at-6", "paceline-demo"] {
            #expect(throws: Never.self) {
                try FieldRules.password(strong, context: ["riley@example.com", "Riley Okafor"])
            }
        }
    }

    @Test func weakPasswordsAreRefusedAtSignUpWithTheMessageBesideTheField() async throws {
        let app = try await TestApp(seed: ["alpha"])
        try await app.run { factory in
            let visitor = factory.browser()
            try await visitor.get("/signup")
            let page = try await visitor.post(
                "/signup",
                [
                    ("organization_name", "Weak Club"), ("slug", "weak"), ("name", "Sam"),
                    ("email", "sam@weak.test"), ("password", "password1234"),
                ])
            #expect(page.status == .unprocessableContent && page.body.contains("most used passwords"))
            #expect(
                try await app.database.contentSnapshot()["organization"]?.contains { $0.contains("\"weak\"") } == false)
        }
    }

    @Test func healthFailsWhenTheSchemaIsNotThisBuilds() async throws {
        let app = try await TestApp(seed: ["alpha"])
        try await app.run { factory in
            let browser = factory.browser()
            #expect(try await browser.get("/healthz").body == "ok")
            try await app.database.forgetMigrationForTesting("v8-known-devices")
            let older = try await browser.get("/healthz")
            #expect(older.status == .serviceUnavailable && older.body.contains("older"))
            try await app.database.recordMigrationForTesting("v8-known-devices")
            try await app.database.recordMigrationForTesting("v99-from-the-future")
            let newer = try await browser.get("/healthz")
            #expect(newer.status == .serviceUnavailable && newer.body.contains("newer"))
        }
    }

    @Test func theClientIsTheEntryTheOutermostTrustedProxyAppended() {
        // nginx appends the peer it saw; whatever the client sent comes first.
        #expect(ClientAddress.forwarded(["198.51.100.7, 127.0.0.1"], trustedProxies: 1) == "127.0.0.1")
        #expect(ClientAddress.forwarded(["198.51.100.7, 203.0.113.9, 10.0.0.2"], trustedProxies: 2) == "203.0.113.9")
        #expect(ClientAddress.forwarded(["198.51.100.7", "203.0.113.9"], trustedProxies: 1) == "203.0.113.9")
        #expect(ClientAddress.forwarded(["203.0.113.9"], trustedProxies: 2) == nil)  // bypassed a proxy: use the socket
        // No proxy: the header is the client's.
        #expect(ClientAddress.forwarded(["203.0.113.9"], trustedProxies: 0) == nil)
        #expect(ClientAddress.forwarded(["1.2.3.4, <script>"], trustedProxies: 1) == nil)
        #expect(ClientAddress.forwarded(["2001:db8::1"], trustedProxies: 1) == "2001:db8::1")
    }

    @Test func tokensInPathsAndQueriesAreRedactedForTheLog() {
        #expect(RequestLogMiddleware.redacted("/invite/abcDEF123") == "/invite/[redacted]")
        #expect(RequestLogMiddleware.redacted("/cal/abcDEF123.ics") == "/cal/[redacted].ics")
        #expect(
            RequestLogMiddleware.redacted("/o/a/activities/upload?_csrf=SECRET&x=1")
                == "/o/a/activities/upload?_csrf=[redacted]&x=1")
        #expect(RequestLogMiddleware.redacted("/o/a/plans/3?week=2") == "/o/a/plans/3?week=2")
        #expect(RequestLogMiddleware.redacted("/o/a/x?%5Fcsrf=SECRET") == "/o/a/x?%5Fcsrf=[redacted]")
    }

    @Test func numbersFromOutsideConvertWithoutTrapping() {
        #expect(Int(checked: 1e19) == nil && Int(checked: .nan) == nil && Int(checked: -.infinity) == nil)
        #expect(Int(checked: -9_223_372_036_854_775_808.0) == .min && Int(checked: 9_223_372_036_854_775_808.0) == nil)
        #expect(Int(checked: 41.6) == 42 && Int(checked: 41.6, rounding: .down) == 41)
        #expect(Int(saturating: 1e308) == .max && Int(saturating: -1e308) == .min && Int(saturating: .nan) == 0)
        #expect(FitnessInputError.distanceOutOfRange(1e19).description.contains("1e+19 m"))
        #expect(FitnessInputError.distanceOutOfRange(100).description.contains("100 m"))
        #expect(TimeFormat.clock(1e308).isEmpty == false)
        #expect(CalendarDate(year: 2027, month: 1, day: 1).map { $0.adding(days: .max).components.year > 9999 } == true)
        #expect(CalendarDate(year: 2027, month: 1, day: 1).map { $0.adding(days: .min).components.year < 0 } == true)
    }
}
