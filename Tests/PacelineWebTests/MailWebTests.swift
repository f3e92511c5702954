import Foundation
import Hummingbird
import Logging
import PacelineCore
import PacelineMail
import PacelineStore
import Testing
@testable import PacelineWeb

/// Issue 17, item 3: what is queued when, the links in the emails, and the pages they open.
struct MailWebTests {
    /// The queued emails' raw text, oldest first (the outbox keeps whole messages).
    func queued(_ app: TestApp) async throws -> [(kind: String, to: String, raw: String)] {
        var out: [(kind: String, to: String, raw: String)] = []
        for entry in try await app.database.outbox(limit: 500).reversed() {
            let message = try await app.database.outboxMessage(id: entry.id) ?? []
            out.append((entry.kind, entry.recipient, String(decoding: message, as: UTF8.self)))
        }
        return out
    }

    /// The plain-text part of a queued message, decoded.
    func plain(_ raw: String) -> String {
        let header = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        guard let start = raw.range(of: header) else { return "" }
        let payload = raw[start.upperBound...].prefix { $0 != "-" }.replacingOccurrences(of: "\r\n", with: "")
        return String(decoding: Data(base64Encoded: payload) ?? Data(), as: UTF8.self)
    }

    func path(in text: String, after prefix: String) -> String? {
        guard let range = text.range(of: prefix) else { return nil }
        return prefix + text[range.upperBound...].prefix { !$0.isWhitespace && $0 != ">" }
    }

    @Test func anInvitationIsEmailedWithALinkThatOpens() async throws {
        let app = try await TestApp(athletes: 2) { $0.baseURL = "https://club.example" }
        try await app.run { factory in
            let admin = try await factory.signedIn("admin@alpha.test")
            _ = try await admin.get("/o/alpha/members")
            let page = try await admin.post(
                "/o/alpha/invitations", [("email", "new.runner@example.org"), ("role", "coach")])
            #expect(page.status == .ok && page.body.contains("We emailed this link"))
            let mails = try await queued(app).filter { $0.kind == "invitation" }
            #expect(mails.count == 1 && mails[0].to == "new.runner@example.org")
            let text = plain(mails[0].raw)
            #expect(text.contains("as a coach") && !mails[0].raw.contains("List-Unsubscribe"))
            let link = try #require(path(in: text, after: "https://club.example/invite/"))
            let opened = try await factory.browser().get(String(link.dropFirst("https://club.example".count)))
            #expect(opened.status == .ok && opened.body.contains("Alpha Running Club"))
            // A bad address is refused next to the field and queues nothing.
            _ = try await admin.get("/o/alpha/members")
            let bad = try await admin.post("/o/alpha/invitations", [("email", "not an address"), ("role", "coach")])
            #expect(bad.status == .unprocessableContent)
            #expect(try await queued(app).filter { $0.kind == "invitation" }.count == 1)
        }
    }

    @Test func aPasswordResetWorksOnceForAnHourAndSaysNothingOfWhoExists() async throws {
        let app = try await TestApp(athletes: 2)
        try await app.run { factory in
            let visitor = factory.browser()
            #expect(try await visitor.get("/login").body.contains("/password/forgot"))
            _ = try await visitor.get("/password/forgot")
            let bad = try await visitor.post("/password/forgot", [("email", "")])
            #expect(bad.status == .unprocessableContent && bad.body.contains("id=\"email-error\""))
            let unknown = try await visitor.post("/password/forgot", [("email", "nobody@alpha.test")])
            let known = try await visitor.post("/password/forgot", [("email", "athlete1@alpha.test")])
            #expect(unknown.status == .ok && known.status == .ok)
            #expect(unknown.body.contains("on its way") && known.body.contains("on its way"))
            var mails = try await queued(app).filter { $0.kind == "password-reset" }
            #expect(mails.map(\.to) == ["athlete1@alpha.test"])
            // Three an hour; the fourth is answered alike and sends nothing.
            for _ in 0..<3 { _ = try await visitor.post("/password/forgot", [("email", "athlete1@alpha.test")]) }
            mails = try await queued(app).filter { $0.kind == "password-reset" }
            #expect(mails.count == 3)
            let link = try #require(path(in: plain(mails[0].raw), after: "http://127.0.0.1:8080/password/reset/"))
            let resetPath = String(link.dropFirst("http://127.0.0.1:8080".count))
            let signedIn = try await factory.signedIn("athlete1@alpha.test")
            #expect(try await visitor.get(resetPath).body.contains("athlete1@alpha.test"))
            let mismatch = try await visitor.post(
                resetPath, [("new_password", "river-stone-lantern"), ("confirm_password", "river-stone-lanterns")])
            #expect(mismatch.status == .unprocessableContent && mismatch.body.contains("differ"))
            let done = try await visitor.post(
                resetPath, [("new_password", "river-stone-lantern"), ("confirm_password", "river-stone-lantern")])
            #expect(done.status == .seeOther && (done.location ?? "").hasPrefix("/login"))
            #expect(try await visitor.get(resetPath).status == .notFound, "used")
            let other = try #require(path(in: plain(mails[1].raw), after: "http://127.0.0.1:8080/password/reset/"))
            #expect(
                try await visitor.get(String(other.dropFirst("http://127.0.0.1:8080".count))).status == .notFound,
                "the account's other links die with the first use")
            #expect(try await signedIn.get("/o/alpha").status != .ok, "every session ended")
            _ = try await factory.signedIn("athlete1@alpha.test", password: "river-stone-lantern")
            // An hour later a fresh link no longer works.
            let (user, token) = try #require(
                try await app.database.createPasswordReset(email: "athlete2@alpha.test", now: app.clock.now))
            #expect(user.email == "athlete2@alpha.test")
            app.clock.advance(days: 1)
            #expect(try await visitor.get("/password/reset/\(token)").status == .notFound)
            #expect(try await visitor.get("/password/reset/short").status == .notFound)
        }
    }

    @Test func notificationEmailsFollowThePreferencesAndUnsubscribeWorksSignedOut() async throws {
        let app = try await TestApp(athletes: 4)
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coach))
        let own = try await app.scope("alpha", athlete.email)
        let activity = try await app.database.logActivity(
            own, athleteId: athlete.id,
            ActivityEntry(
                sport: .run, date: CalendarDate(TestApp.now, timeZone: .gmt), distanceMeters: 5000,
                durationSeconds: 1500, source: .manual),
            scheduledId: nil, activityId: nil, now: TestApp.now)
        let service = MailService(deps: app.deps, transport: RecordingTransport(), logger: Logger(label: "test"))
        // Email only (the bell off): still emailed, not in the list.
        var preferences = try await app.database.notificationPreferences(coach)
        if let i = preferences.firstIndex(where: { $0.kind == .comment }) { preferences[i].inApp = false }
        try await app.database.setNotificationPreferences(coach, preferences)
        try await app.database.addComment(own, on: .activity(activity), body: "How was my pacing?", now: TestApp.now)
        await service.writeNotificationEmails(app.deps.mail)
        let comments = try await queued(app).filter { $0.kind == "comment" }
        #expect(comments.map(\.to) == ["coach1@alpha.test"])
        #expect(try await app.database.notifications(coach).allSatisfy { $0.kind != .comment })
        #expect(comments[0].raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
        await service.writeNotificationEmails(app.deps.mail)
        #expect(try await queued(app).filter { $0.kind == "comment" }.count == 1, "written once")
        // Uploads are not emailed unless asked for.
        #expect(try await queued(app).allSatisfy { $0.kind != "upload" })

        let header = try #require(path(in: comments[0].raw, after: "http://127.0.0.1:8080/unsubscribe/"))
        let unsubscribe = String(header.dropFirst("http://127.0.0.1:8080".count))
        try await app.run { factory in
            let visitor = factory.browser()
            let ask = try await visitor.get(unsubscribe)
            #expect(ask.status == .ok && ask.body.contains("Stop these emails"))
            #expect(ask.body.contains("coach1@alpha.test"))
            #expect(
                try await app.database.notificationPreferences(coach).first { $0.kind == .comment }?.email == true,
                "opening the link changes nothing")
            // A mail program's one-click POST: no session, no CSRF token.
            let stopped = try await factory.browser().post(
                unsubscribe, [("List-Unsubscribe", "One-Click")], includeCSRF: false)
            #expect(stopped.status == .ok && stopped.body.contains("no longer gets"))
            #expect(try await app.database.notificationPreferences(coach).first { $0.kind == .comment }?.email == false)
            #expect(try await app.database.notificationPreferences(coach).first { $0.kind == .ill }?.email == true)
            try await app.database.addComment(own, on: .activity(activity), body: "Anyone?", now: TestApp.now)
            await service.writeNotificationEmails(app.deps.mail)
            #expect(try await queued(app).filter { $0.kind == "comment" && $0.to == "coach1@alpha.test" }.count == 1)
            // Everything from the organization, the digest included.
            let all = try await factory.browser().post(unsubscribe, [("all", "yes")], includeCSRF: false)
            #expect(all.status == .ok && all.body.contains("gets no more email"))
            #expect(try await app.database.notificationPreferences(coach).allSatisfy { !$0.email })
            #expect(try await app.database.mailSchedule(coach).enabled == false)
            #expect(try await visitor.get("/unsubscribe/" + String(repeating: "x", count: 43)).status == .notFound)
        }
    }

    @Test func tomorrowsWorkoutComesAtTheAthletesTimeInTheirZoneOnce() async throws {
        let app = try await TestApp(athletes: 6)
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        // TestApp.now is 08:00 UTC. An athlete in Nouméa (UTC+11) is at 19:00, past the default 18:00.
        var found: (Athlete, ScheduledItem)?
        let tomorrowUTC = CalendarDate(TestApp.now, timeZone: .gmt).adding(days: 1)
        for athlete in try await app.database.athletes(coach) {
            let items = try await app.database.schedule(
                coach, athleteId: athlete.id, from: tomorrowUTC, to: tomorrowUTC)
            if let item = items.first?.0, athlete.vdot != nil { found = (athlete, item); break }
        }
        let (athlete, _) = try #require(found, "a demo athlete with a workout tomorrow")
        try await app.database.updateAthlete(
            coach, id: athlete.id,
            AthleteProfileUpdate(
                phone: "", notes: "", units: nil, timeZone: "Pacific/Noumea", maxHR: nil, restingHR: nil),
            now: TestApp.now)
        let scheduler = ScheduledMail(deps: app.deps, composer: app.deps.mail)
        let first = try await scheduler.run(now: TestApp.now)
        #expect(first.failures.isEmpty, "\(first.failures)")
        // The email is about Nouméa's tomorrow (its date, not UTC's).
        let mine = try await queued(app).filter { $0.kind == "tomorrow" && $0.to == athlete.email }
        let others = try await queued(app).filter { $0.kind == "tomorrow" && $0.to != athlete.email }
        #expect(others.isEmpty, "08:00 UTC is before 18:00 for everyone else")
        let noumea = try #require(TimeZone(identifier: "Pacific/Noumea"))
        let theirTomorrow = CalendarDate(TestApp.now, timeZone: noumea).adding(days: 1)
        let theirs = try await app.database.schedule(
            coach, athleteId: athlete.id, from: theirTomorrow, to: theirTomorrow)
        #expect(mine.count == (theirs.isEmpty ? 0 : 1))
        if let first = theirs.first?.0, let mail = mine.first {
            let text = plain(mail.raw)
            #expect(text.contains(first.workout.name) && text.contains("/o/alpha/workouts/\(first.id)"))
            #expect(mail.raw.contains("text/html") && mail.raw.contains("List-Unsubscribe:"))
        }
        // At 19:00 UTC the others' emails come, each about their own tomorrow, with their paces.
        _ = try await scheduler.run(now: TestApp.now.addingTimeInterval(11 * 3600))
        let evening = try await queued(app).filter { $0.kind == "tomorrow" }
        let ids = evening.map(\.to)
        #expect(Set(ids).count == ids.count, "one each")
        _ = try await scheduler.run(now: TestApp.now.addingTimeInterval(12 * 3600))
        #expect(try await queued(app).filter { $0.kind == "tomorrow" }.count == evening.count, "never twice a day")
        // Past the three hours of catching up, a day's email is dropped, not sent late.
        let lateApp = try await TestApp(athletes: 6)
        let late = try await ScheduledMail(deps: lateApp.deps, composer: lateApp.deps.mail)
            .run(now: TestApp.now.addingTimeInterval(14 * 3600))
        #expect(late.queued == 0 && late.failures.isEmpty)
        #expect(try await queued(lateApp).allSatisfy { $0.kind != "tomorrow" && $0.kind != "digest" })
        if let other = evening.first(where: { $0.to != athlete.email }) {
            #expect(plain(other.raw).contains("/km") || plain(other.raw).contains("/mi"), "their own paces")
        }
        // The coach's digest at 07:00: what needs them, or nothing at all.
        let digests = try await queued(app).filter { $0.kind == "digest" }
        #expect(digests.allSatisfy { plain($0.raw).contains("athletes board") })
    }

    @Test func theScheduleTimeIsCheckedAndSaved() async throws {
        let app = try await TestApp(athletes: 2)
        try await app.run { factory in
            let athlete = try await factory.signedIn("athlete1@alpha.test")
            let page = try await athlete.get("/o/alpha/notifications")
            #expect(page.body.contains("Email me tomorrow&#39;s workout") || page.body.contains("Email me tomorrow's"))
            let bad = try await athlete.post(
                "/o/alpha/notifications/settings", [("schedule_on", "1"), ("schedule_time", "25:99")])
            #expect(bad.status == .unprocessableContent && bad.body.contains("id=\"schedule_time-error\""))
            let scope = try await app.scope("alpha", "athlete1@alpha.test")
            #expect(try await app.database.mailSchedule(scope).minuteOfDay == 18 * 60)
            let good = try await athlete.post(
                "/o/alpha/notifications/settings", [("schedule_on", "1"), ("schedule_time", "06:30")])
            #expect(good.status == .seeOther)
            let saved = try await app.database.mailSchedule(scope)
            #expect(saved == MailSchedule(kind: .tomorrow, enabled: true, minuteOfDay: 390))
            let coach = try await factory.signedIn("coach1@alpha.test")
            #expect(try await coach.get("/o/alpha/notifications").body.contains("daily digest"))
        }
    }

    @Test func aMissedKeySessionIsToldToTheCoachOnce() async throws {
        let app = try await TestApp(athletes: 6)
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        // Three days on, the quality sessions of today and the next two days have passed unlogged.
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        var missed: [(Int64, ScheduledItem)] = []
        for athlete in try await app.database.athletes(coach) {
            for (item, _) in try await app.database.schedule(
                coach, athleteId: athlete.id, from: today, to: today.adding(days: 2))
            where item.workout.kind != .easy && item.outcome == nil && !item.completed {
                missed.append((athlete.id, item))
            }
        }
        let (athleteId, item) = try #require(missed.first, "a quality session in the next three days")
        let later = TestApp.now.addingTimeInterval(3 * 86_400)
        try await app.database.runEngine(coach, athleteId: athleteId, now: later)
        try await app.database.runEngine(coach, athleteId: athleteId, now: later)
        let told = try await app.database.notifications(coach).filter {
            $0.kind == .missedKey && $0.link == .workout(item.id)
        }
        #expect(told.count == 1 && told[0].title.contains(item.workout.name))
    }
}
