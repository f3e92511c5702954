import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// The pages as people use them, through the real router.
struct FlowTests {
    @Test func signUpCreatesAnOrganizationAndSignsIn() async throws {
        let app = try await TestApp(seed: ["alpha"])
        try await app.run { factory in
            let visitor = factory.browser()
            try await visitor.get("/signup")
            let created = try await visitor.post(
                "/signup",
                [
                    ("organization_name", "Riverside Runners"), ("slug", ""),
                    ("name", "Riley"), ("email", "Riley@Example.com"), ("password", "a-long-password"),
                ])
            #expect(created.status == .seeOther && created.location == "/o/riverside-runners")
            let home = try await visitor.get("/o/riverside-runners")
            #expect(
                home.status == .ok && home.body.contains("Riverside Runners")
                    && home.body.contains("Welcome to Paceline"))
            let members = try await visitor.get("/o/riverside-runners/members")
            #expect(members.body.contains("riley@example.com"))
        }
    }

    @Test func badSignUpInputIs422WithMessagesAndChangesNothing() async throws {
        let app = try await TestApp(seed: ["alpha"])
        let before = try await app.database.contentSnapshot()
        try await app.run { factory in
            let visitor = factory.browser()
            try await visitor.get("/signup")
            let cases: [[(String, String)]] = [
                [
                    ("organization_name", ""), ("slug", "x-club"), ("name", "A"), ("email", "a@b.test"),
                    ("password", "long-enough-pw"),
                ],
                [
                    ("organization_name", String(repeating: "N", count: 10_000)), ("slug", "n-club"), ("name", "A"),
                    ("email", "a@b.test"), ("password", "long-enough-pw"),
                ],
                [
                    ("organization_name", "Club"), ("slug", "club"), ("name", "A"), ("email", "not-an-email"),
                    ("password", "long-enough-pw"),
                ],
                [
                    ("organization_name", "Club"), ("slug", "alpha"), ("name", "A"), ("email", "a@b.test"),
                    ("password", "long-enough-pw"),
                ],
                [
                    ("organization_name", "Club"), ("slug", "club"), ("name", "A"), ("email", "coach1@alpha.test"),
                    ("password", "long-enough-pw"),
                ],
                [
                    ("organization_name", "Club"), ("slug", "club"), ("name", "A"), ("email", "a@b.test"),
                    ("password", "short"),
                ],
                [
                    ("organization_name", "Club"), ("slug", "Bad Slug!"), ("name", "A"), ("email", "a@b.test"),
                    ("password", "long-enough-pw"),
                ],
            ]
            for form in cases {
                let page = try await visitor.post("/signup", form)
                #expect(page.status == .unprocessableContent, "\(form.map { $0.1.prefix(20) })")
                #expect(page.body.contains("field-error") || page.body.contains("flash-error"))
                #expect(page.body.contains("aria-invalid=\"true\""))
            }
            // The user's input is kept (but never the password).
            let kept = try await visitor.post("/signup", cases[2])
            #expect(kept.body.contains("value=\"not-an-email\"") && !kept.body.contains("long-enough-pw"))
        }
        let after = try await app.database.contentSnapshot()
        #expect(after["organization"] == before["organization"] && after["user"] == before["user"])
    }

    @Test func logInOutAndThrottling() async throws {
        let app = try await TestApp(seed: ["alpha"])
        try await app.run { factory in
            let browser = factory.browser()
            let wrong = try await browser.logIn("coach1@alpha.test", password: "wrong-password")
            #expect(wrong.status == .unprocessableContent && wrong.body.contains("do not match"))
            let ok = try await browser.logIn("coach1@alpha.test", password: TestApp.password)
            #expect(ok.status == .seeOther && ok.location == "/o/alpha")
            let sessionCookie = browser.cookies[SessionMiddleware.cookieName]
            #expect(sessionCookie != nil)
            try await browser.get("/account")
            let out = try await browser.post("/logout")
            #expect(out.status == .seeOther && browser.cookies[SessionMiddleware.cookieName] == nil)
            // The old cookie no longer works: the session was deleted.
            browser.cookies[SessionMiddleware.cookieName] = sessionCookie
            let after = try await browser.get("/o/alpha")
            #expect(after.status == .seeOther && after.location?.hasPrefix("/login") == true)

            // The admin signed in on this browser before: it is a known device.
            let owner = factory.browser()
            #expect(try await owner.logIn("admin@alpha.test", password: TestApp.password).status == .seeOther)
            #expect(owner.cookies[AuthController.deviceCookieName] != nil)
            try await owner.get("/account")
            try await owner.post("/logout")

            let attacker = factory.browser()
            for _ in 0..<5 { _ = try await attacker.logIn("admin@alpha.test", password: "guess-guess") }
            let throttled = try await attacker.logIn("admin@alpha.test", password: TestApp.password)
            #expect(throttled.status == .tooManyRequests && throttled.body.contains("Try again in 1 minute"))
            // Slowed down, not locked: the owner's browser, at the same address, still gets in.
            let back = try await owner.logIn("admin@alpha.test", password: TestApp.password)
            #expect(back.status == .seeOther && back.location == "/o/alpha")
        }
    }

    @Test func sessionCookieIsHttpOnlyLaxAndRotatedAtLogIn() async throws {
        let app = try await TestApp(seed: ["alpha"])
        try await app.run { factory in
            let response = try await factory.client.execute(uri: "/login", method: .get, headers: [:], body: nil)
            let csrfCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("paceline_csrf=") })
            #expect(csrfCookie.contains("HttpOnly") && csrfCookie.contains("SameSite=Lax"))
            let browser = factory.browser()
            _ = try await browser.logIn("coach1@alpha.test", password: TestApp.password)
            let first = browser.cookies[SessionMiddleware.cookieName]
            try await browser.get("/account")
            _ = try await browser.post("/login", [("email", "coach1@alpha.test"), ("password", TestApp.password)])
            #expect(first != nil && browser.cookies[SessionMiddleware.cookieName] != first)
            let session = try #require(
                browser.setCookieHeaders.first { $0.hasPrefix(SessionMiddleware.cookieName + "=") })
            #expect(
                session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"),
                "\(session)")
            #expect(!session.contains("Secure"), "Secure is set only behind HTTPS (PACELINE_SECURE_COOKIES)")
            let device = try #require(
                browser.setCookieHeaders.first { $0.hasPrefix(AuthController.deviceCookieName + "=") })
            #expect(device.contains("HttpOnly") && device.contains("SameSite=Strict"), "\(device)")
        }
    }

    @Test func behindHTTPSEveryCookieIsSecure() async throws {
        let app = try await TestApp(seed: ["alpha"]) { $0.secureCookies = true }
        try await app.run { factory in
            let browser = factory.browser()
            _ = try await browser.logIn("coach1@alpha.test", password: TestApp.password)
            #expect(browser.setCookieHeaders.count >= 2)
            for header in browser.setCookieHeaders {
                #expect(header.contains("Secure") && header.contains("HttpOnly"), "\(header)")
            }
        }
    }

    @Test func invitationCreatesAnAccountAndMembership() async throws {
        let app = try await TestApp(seed: ["alpha"])
        let alpha = try await app.scope("alpha", "admin@alpha.test")
        try await app.run { factory in
            let admin = try await factory.signedIn("admin@alpha.test")
            let invited = try await admin.post(
                "/o/alpha/invitations", [("email", "new.runner@example.com"), ("role", "athlete")])
            #expect(invited.status == .ok && invited.body.contains("data-copy"))
            func link(in page: Browser.Page) throws -> String {
                try #require(
                    page.body.range(of: #"/invite/[A-Za-z0-9_-]{43}"#, options: .regularExpression).map {
                        String(page.body[$0])
                    })
            }
            let lost = try link(in: invited)
            let members = try await admin.get("/o/alpha/members")
            #expect(members.body.contains("pending") && !members.body.contains("/invite/"))
            // A lost link is replaced by a new one (the old one stops working); links are never shown twice.
            let invitation = try #require(try await app.database.invitations(alpha).first)
            let renewed = try await admin.post("/o/alpha/invitations/\(invitation.id)/link")
            let link = try link(in: renewed)
            #expect(link != lost && renewed.body.contains("new.runner@example.com"))
            #expect(try await factory.browser().get(lost).status == .notFound)

            let newcomer = factory.browser()
            let offer = try await newcomer.get(link)
            #expect(
                offer.status == .ok && offer.body.contains("Alpha Running Club")
                    && offer.body.contains("new.runner@example.com"))
            let weak = try await newcomer.post(link, [("name", "Newt"), ("password", "short")])
            #expect(weak.status == .unprocessableContent)
            let joined = try await newcomer.post(link, [("name", "Newt Runner"), ("password", "a-long-password")])
            #expect(joined.status == .seeOther && joined.location == "/o/alpha")
            let home = try await newcomer.get("/o/alpha")
            #expect(home.body.contains("Newt Runner") && home.body.contains("has not assigned a plan yet"))
            // Single use.
            let reused = try await factory.browser().get(link)
            #expect(reused.status == .notFound)
        }
    }

    @Test func adminManagesRolesButNotTheLastAdmin() async throws {
        let app = try await TestApp(seed: ["alpha"])
        let alpha = try await app.scope("alpha", "admin@alpha.test")
        let members = try await app.database.members(alpha)
        let admin = try #require(members.first { $0.role == .admin })
        let coach = try #require(members.first { $0.role == .coach })
        try await app.run { factory in
            let browser = try await factory.signedIn("admin@alpha.test")
            let demote = try await browser.post("/o/alpha/members/\(admin.id)/role", [("role", "coach")])
            #expect(demote.status == .unprocessableContent && demote.body.contains("at least one admin"))
            let bogus = try await browser.post("/o/alpha/members/\(coach.id)/role", [("role", "superuser")])
            #expect(bogus.status == .unprocessableContent)
            let promote = try await browser.post("/o/alpha/members/\(coach.id)/role", [("role", "admin")])
            #expect(promote.status == .seeOther)
            let unknown = try await browser.post("/o/alpha/members/999999/role", [("role", "coach")])
            #expect(unknown.status == .notFound)
            let huge = try await browser.get("/o/alpha/athletes/99999999999999999999999")
            #expect(huge.status == .notFound && huge.body.contains("Request id"))
            let text = try await browser.get("/o/alpha/groups/abc")
            #expect(text.status == .notFound)
        }
        #expect(try await app.database.members(alpha).first { $0.id == coach.id }?.role == .admin)
    }

    @Test func groupsAndAthletes() async throws {
        let app = try await TestApp(seed: ["alpha"], athletes: 6)
        let alpha = try await app.scope("alpha", "admin@alpha.test")
        let athletes = try await app.database.athletes(alpha)
        try await app.run { factory in
            let coach = try await factory.signedIn("coach2@alpha.test")
            let created = try await coach.post("/o/alpha/groups", [("name", "Hill repeaters")])
            let groupPath = try #require(created.location)
            try await coach.get(groupPath)
            let added = try await coach.post(
                groupPath + "/members", [("athlete_id", "\(athletes[0].id)"), ("athlete_id", "\(athletes[1].id)")])
            #expect(added.status == .seeOther)
            let show = try await coach.get(groupPath)
            #expect(show.body.contains(athletes[0].name) && show.body.contains(athletes[1].name))
            let duplicate = try await coach.post("/o/alpha/groups", [("name", "hill REPEATERS")])
            #expect(duplicate.status == .unprocessableContent && duplicate.body.contains("exists already"))
            let renamed = try await coach.post(groupPath + "/rename", [("name", "Hill club")])
            #expect(renamed.status == .seeOther)
            let removed = try await coach.post(groupPath + "/members/\(athletes[0].id)/remove")
            #expect(removed.status == .seeOther)
            let search = try await coach.get("/o/alpha/athletes?q=\(Browser.encode(athletes[1].name))")
            #expect(search.body.contains(athletes[1].name) && !search.body.contains(athletes[2].email))
            let wildcard = try await coach.get("/o/alpha/athletes?q=%25")
            #expect(wildcard.status == .ok && !wildcard.body.contains(athletes[0].email))
            let ask = try await coach.post(groupPath + "/delete")
            #expect(ask.status == .ok && ask.body.contains("Yes, delete the group"))
            #expect(try await coach.get(groupPath).status == .ok)
            let deleted = try await coach.post(groupPath + "/delete", [("confirm", "yes")])
            #expect(deleted.status == .seeOther)
            #expect(try await coach.get(groupPath).status == .notFound)
        }
        #expect(try await app.database.athletes(alpha).count == 6)
    }

    @Test func athleteNotesAreMarkdownWithoutRawHTML() async throws {
        let app = try await TestApp(seed: ["alpha"])
        let alpha = try await app.scope("alpha", "admin@alpha.test")
        let athlete = try #require(try await app.database.athletes(alpha).first)
        let hostile = """
            ## Injury history
            *Left calf* in 2025. [site](https://example.com)
            <script>alert('x')</script> <img src=x onerror=alert(1)>
            [click](javascript:alert(1)) <a href="javascript:alert(2)">a</a>
            """
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            try await coach.get("/o/alpha/athletes/\(athlete.id)")
            let saved = try await coach.post(
                "/o/alpha/athletes/\(athlete.id)",
                [
                    ("notes", hostile), ("max_hr", "188"), ("resting_hr", "48"),
                    ("units", "mi"), ("time_zone", "Europe/Berlin"), ("phone", ""),
                ])
            #expect(saved.status == .seeOther)
            let page = try await coach.get("/o/alpha/athletes/\(athlete.id)")
            #expect(page.body.contains("<h2>Injury history</h2>") && page.body.contains("<em>Left calf</em>"))
            // Raw HTML is dropped and javascript: links emptied; the textarea shows the text escaped.
            #expect(
                !page.body.contains("<script>") && !page.body.contains("<img")
                    && !page.body.contains("href=\"javascript:"))
            #expect(page.body.contains("&lt;script&gt;alert"))
            let bad = try await coach.post(
                "/o/alpha/athletes/\(athlete.id)",
                [
                    ("notes", String(repeating: "x", count: 6_000)), ("max_hr", "400"),
                    ("resting_hr", "abc"), ("time_zone", "Nowhere/Land"),
                ])
            #expect(bad.status == .unprocessableContent && bad.body.contains("Maximum heart rate must be"))
        }
        #expect(try await app.database.athlete(alpha, id: athlete.id).maxHR == 188)
    }

    @Test func vdotCalculatorAndApplyingItToAnAthlete() async throws {
        let app = try await TestApp(seed: ["alpha"])
        let alpha = try await app.scope("alpha", "admin@alpha.test")
        let athlete = try #require(try await app.database.athletes(alpha).first)
        try await app.run { factory in
            let athleteBrowser = try await factory.signedIn("athlete1@alpha.test")
            let result = try await athleteBrowser.get("/o/alpha/tools/vdot?distance=5000&time=19%3A57")
            #expect(result.status == .ok && result.body.contains("VDOT <span class=\"vdot\">50.0</span>"))
            #expect(result.body.contains("3:10:49") && result.body.contains("4:15/km"))
            #expect(!result.body.contains("Apply to an athlete"))
            for query in [
                "distance=5000&time=0:00", "distance=custom&custom_distance=100&time=0:01",
                "distance=42195&time=20:00:00",
                "distance=5000&time=banana", "distance=custom&custom_distance=-5&time=20:00",
            ] {
                let bad = try await athleteBrowser.get("/o/alpha/tools/vdot?\(query)")
                #expect(bad.status == .unprocessableContent && bad.body.contains("field-error"), "\(query)")
            }
            let coach = try await factory.signedIn("coach1@alpha.test")
            let page = try await coach.get("/o/alpha/tools/vdot?distance=10000&time=41%3A21")
            #expect(page.body.contains("Apply to an athlete"))
            let applied = try await coach.post(
                "/o/alpha/tools/vdot/apply",
                [("athlete_id", "\(athlete.id)"), ("distance", "10000"), ("time", "41:21")])
            #expect(applied.status == .seeOther)
            let nonsense = try await coach.post(
                "/o/alpha/tools/vdot/apply", [("athlete_id", "\(athlete.id)"), ("distance", "10000"), ("time", "0:01")])
            #expect(nonsense.status == .unprocessableContent)
            let mine = try await factory.signedIn(athlete.email)
            let home = try await mine.get("/o/alpha/me")
            #expect(home.body.contains("Your paces (VDOT 50.0)") && home.body.contains("Z3 Threshold"))
        }
        let updated = try await app.database.athlete(alpha, id: athlete.id)
        #expect(updated.vdot.map { abs($0 - 50) < 0.1 } == true && updated.vdotSource?.contains("41:21") == true)
    }

    @Test func operationsEndpoints() async throws {
        let app = try await TestApp(seed: [])
        try await app.run { factory in
            let browser = factory.browser()
            let health = try await browser.get("/healthz")
            #expect(health.status == .ok && health.body == "ok")
            let metrics = try await browser.get("/metrics")
            #expect(metrics.status == .ok)
            // Prometheus text format: every non-comment line is "name{labels} value" (the counters
            // themselves are checked against a real server in Tests/e2e/test_hardening.py).
            #expect(
                metrics.body.split(separator: "\n").allSatisfy {
                    $0.hasPrefix("#") || $0.split(separator: " ").count >= 2
                })
            let missing = try await browser.get("/no/such/page")
            #expect(
                missing.status == .notFound && missing.body.contains("Page not found")
                    && missing.body.contains("Request id"))
            let css = try await browser.get("/css/app.css")
            #expect(css.status == .ok && css.body.contains("--z1"), "\(css.status) \(css.body.prefix(300))")
        }
    }

    @Test func accountPagesChangeNameAndPassword() async throws {
        let app = try await TestApp(seed: ["alpha", "beta"])
        try await app.run { factory in
            let user = try await factory.signedIn("coach1@alpha.test")
            let renamed = try await user.post("/account/name", [("name", "Casey Q. Coach")])
            #expect(renamed.status == .seeOther)
            let wrongCurrent = try await user.post(
                "/account/password",
                [
                    ("current_password", "nope-nope-nope"), ("new_password", "another-long-one"),
                    ("confirm_password", "another-long-one"),
                ])
            #expect(wrongCurrent.status == .unprocessableContent)
            let mismatch = try await user.post(
                "/account/password",
                [
                    ("current_password", TestApp.password), ("new_password", "another-long-one"),
                    ("confirm_password", "different-one!!"),
                ])
            #expect(mismatch.status == .unprocessableContent && mismatch.body.contains("differ"))
            let changed = try await user.post(
                "/account/password",
                [
                    ("current_password", TestApp.password), ("new_password", "another-long-one"),
                    ("confirm_password", "another-long-one"),
                ])
            #expect(changed.status == .seeOther)
            let created = try await user.post(
                "/account/organizations", [("organization_name", "Second Club"), ("slug", "second-club")])
            #expect(created.status == .seeOther && created.location == "/o/second-club")
            let home = try await user.get("/o/second-club")
            #expect(home.body.contains("Switch organization") && home.body.contains("Alpha Running Club"))
            let fresh = factory.browser()
            let relogin = try await fresh.logIn("coach1@alpha.test", password: "another-long-one")
            #expect(relogin.status == .seeOther && relogin.location == "/account")
        }
        #expect(try await app.database.user(email: "coach1@alpha.test")?.name == "Casey Q. Coach")
    }
}

struct FitnessPageTests {
    @Test func levelRecommendationAndPredictionsOnTheProfile() async throws {
        let app = try await TestApp(seed: ["alpha"])
        try await app.run { factory in
            let athlete = try await factory.signedIn("athlete1@alpha.test")
            let page = try await athlete.get("/o/alpha/tools/vdot?distance=10000&time=45%3A00&weekly_km=35&days=4")
            #expect(
                page.status == .ok && page.body.contains("Recommended level: Intermediate")
                    && page.body.contains("35 km a week is below 60 km"))
            let bad = try await athlete.get("/o/alpha/tools/vdot?distance=10000&time=45%3A00&weekly_km=lots&days=4")
            #expect(bad.status == .unprocessableContent && bad.body.contains("level recommendation"))
            // The demo gave athlete1 a VDOT: the profile shows paces, zones and race predictions.
            let me = try await athlete.get("/o/alpha/me")
            #expect(
                me.body.contains("Equivalent race times") && me.body.contains("Half marathon")
                    && me.body.contains("Z4 Interval"))
        }
    }
}
