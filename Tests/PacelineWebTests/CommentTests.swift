import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// Issue 17, item 1: coach and athlete talk on a workout or an activity.
struct CommentTests {
    /// An athlete on a plan, a workout of theirs, and an activity logged for it.
    func setUp(_ app: TestApp) async throws -> (coach: TenantScope, athlete: Athlete, workout: Int64, activity: Int64) {
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coach))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        let item = try #require(
            try await app.database.schedule(coach, athleteId: athlete.id, from: today.adding(days: -14), to: today)
                .map(\.0).first)
        let activity = try await app.database.logActivity(
            coach, athleteId: athlete.id,
            ActivityEntry(sport: .run, date: item.date, distanceMeters: 8000, durationSeconds: 2700, source: .manual),
            scheduledId: nil, activityId: nil, now: TestApp.now)
        return (coach, athlete, item.id, activity)
    }

    @Test func theAthleteWritesTheCoachSeesItNewAndReplies() async throws {
        let app = try await TestApp(athletes: 4)
        let (coachScope, athlete, workout, activity) = try await setUp(app)
        try await app.run { factory in
            let owner = try await factory.signedIn(athlete.email)
            let page = try await owner.get("/o/alpha/activities/\(activity)")
            #expect(page.body.contains("How did it feel? Tell your coach") && page.body.contains("No comments yet"))
            let posted = try await owner.post(
                "/o/alpha/activities/\(activity)/comments",
                [("body", "Legs *heavy* after 5 km. <script>alert(1)</script> [x](javascript:alert(1))")])
            #expect(posted.status == .seeOther && (posted.location ?? "").contains("#comment-"))

            let coach = try await factory.signedIn("coach1@alpha.test")
            let unread = try await app.database.unreadComments(coachScope, on: [.activity(activity)])
            #expect(unread[.activity(activity)] == 1)
            let seen = try await coach.get("/o/alpha/activities/\(activity)")
            #expect(seen.body.contains("1 new") && seen.body.contains("<em>heavy</em>"))
            #expect(!seen.body.contains("<script>alert(1)") && !seen.body.contains("href=\"javascript:"))
            #expect(try await app.database.unreadComments(coachScope, on: [.activity(activity)]).isEmpty, "read now")
            let replied = try await coach.post(
                "/o/alpha/activities/\(activity)/comments", [("body", "Easy week then. **Rest.**")])
            #expect(replied.status == .seeOther)
            let reply = try await owner.get("/o/alpha/activities/\(activity)")
            #expect(reply.body.contains("<strong>Rest.</strong>") && reply.body.contains("1 new"))
            #expect(reply.body.contains("comment-coach"))
            // The workout has its own thread.
            #expect(try await owner.get("/o/alpha/workouts/\(workout)").body.contains("No comments yet"))
        }
    }

    @Test func badCommentsAreRefusedNextToTheBoxAndStoreNothing() async throws {
        let app = try await TestApp(athletes: 4)
        let (_, athlete, workout, activity) = try await setUp(app)
        try await app.run { factory in
            let owner = try await factory.signedIn(athlete.email)
            let coach = try await app.scope("alpha", "coach1@alpha.test")
            let other = try #require(try await app.database.athletes(coach).first { $0.id != athlete.id })
            let stranger = try await factory.signedIn(other.email)
            let intruder = try await factory.signedIn("coach1@beta.test")
            let before = try await app.database.contentSnapshot()
            for (body, message) in [
                ("   ", "Write something first."), (String(repeating: "x", count: 100_000), "at most 5000 characters"),
            ] {
                for path in ["/o/alpha/workouts/\(workout)/comments", "/o/alpha/activities/\(activity)/comments"] {
                    let refused = try await owner.post(path, [("body", body)])
                    #expect(refused.status == .unprocessableContent || refused.status == .contentTooLarge, "\(path)")
                    if refused.status == .unprocessableContent {
                        #expect(refused.body.contains("comment-body-error") && refused.body.contains(message))
                    }
                }
            }
            // Another athlete's workout, and another organization's ids: not found, nothing stored.
            #expect(
                try await stranger.post("/o/alpha/workouts/\(workout)/comments", [("body", "hi")]).status == .notFound)
            #expect(
                try await intruder.post("/o/beta/activities/\(activity)/comments", [("body", "hi")]).status
                    == .notFound)
            #expect(try await app.database.contentSnapshot() == before)
        }
    }

    @Test func anAuthorEditsForFifteenMinutesAndDeletesOnlyTheirOwn() async throws {
        let app = try await TestApp(athletes: 4)
        let (coach, athlete, workout, _) = try await setUp(app)
        let owner = try await app.scope("alpha", athlete.email)
        let id = try await app.database.addComment(owner, on: .workout(workout), body: "Can I swap to Friday?",
                                                   now: TestApp.now)
        try await app.database.editComment(
            owner, id: id, body: "Can I swap to Saturday?", now: TestApp.now.addingTimeInterval(14 * 60))
        await #expect(throws: StoreError.invalid("A comment can be edited for 15 minutes after it is written.")) {
            try await app.database.editComment(
                owner, id: id, body: "Sunday?", now: TestApp.now.addingTimeInterval(16 * 60))
        }
        await #expect(throws: StoreError.notFound) {
            try await app.database.editComment(coach, id: id, body: "Coach edit", now: TestApp.now)
        }
        await #expect(throws: StoreError.notFound) { try await app.database.deleteComment(coach, id: id) }
        let thread = try await app.database.comments(coach, on: .workout(workout))
        #expect(thread.map(\.body) == ["Can I swap to Saturday?"] && thread[0].editedAt != nil && !thread[0].byCoach)
        try await app.run { factory in
            let browser = try await factory.signedIn(athlete.email)
            let ask = try await browser.post("/o/alpha/comments/\(id)/delete")
            #expect(ask.status == .ok && ask.body.contains("Delete your comment?"))
            #expect(try await app.database.comments(coach, on: .workout(workout)).count == 1, "asked first")
            let deleted = try await browser.post("/o/alpha/comments/\(id)/delete", [("confirm", "yes")])
            #expect(deleted.status == .seeOther)
        }
        #expect(try await app.database.comments(coach, on: .workout(workout)).isEmpty)
    }
}

/// Issue 17, item 2: notifications in the app — the bell, the list, read state, preferences.
struct NotificationTests {
    @Test func eachEventTellsTheRightPeopleOnceAndTheBellCountsThem() async throws {
        let app = try await TestApp(athletes: 4)
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        let admin = try await app.scope("alpha", "admin@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coach))
        let own = try await app.scope("alpha", athlete.email)
        // Only coach1 looks after this athlete: the others are not told.
        try await app.database.assignCoach(admin, coachUserId: coach.user.id, athleteId: athlete.id, now: TestApp.now)
        func kinds(_ scope: TenantScope) async throws -> [NotificationKind] {
            try await app.database.notifications(scope).map(\.kind)
        }
        let coachBefore = try await kinds(coach), adminBefore = try await kinds(admin)
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        // The athlete logs a run, reports illness and comments: the coach is told of each, once.
        let activity = try await app.database.logActivity(
            own, athleteId: athlete.id,
            ActivityEntry(sport: .run, date: today, distanceMeters: 6000, durationSeconds: 2000, source: .manual),
            scheduledId: nil, activityId: nil, now: TestApp.now)
        _ = try await app.database.saveCheckIns(
            own, athleteId: athlete.id, [CheckIn(date: today, ill: true, illnessNote: "fever")], fromCSV: false,
            now: TestApp.now)
        _ = try await app.database.saveCheckIns(
            own, athleteId: athlete.id, [CheckIn(date: today, ill: true, illnessNote: "fever")], fromCSV: false,
            now: TestApp.now)
        try await app.database.addComment(own, on: .activity(activity), body: "Felt awful", now: TestApp.now)
        let coachNew = try await kinds(coach).dropLast(coachBefore.count)
        #expect(Set(coachNew) == [.upload, .ill, .comment] && coachNew.count == 3, "\(coachNew)")
        #expect(try await kinds(admin) == adminBefore, "not the admin: coach1 looks after this athlete")
        #expect(!(try await kinds(own)).contains(.comment), "not the author")
        // The coach replies: the athlete is told.
        try await app.database.addComment(coach, on: .activity(activity), body: "Rest today.", now: TestApp.now)
        #expect(try await kinds(own).first == .comment)
        // A coach who switched comments off is not told of the next one.
        var preferences = try await app.database.notificationPreferences(coach)
        if let i = preferences.firstIndex(where: { $0.kind == .comment }) { preferences[i].inApp = false }
        try await app.database.setNotificationPreferences(coach, preferences)
        let count = try await app.database.notifications(coach).count
        try await app.database.addComment(own, on: .activity(activity), body: "Thanks", now: TestApp.now)
        #expect(try await app.database.notifications(coach).count == count)

        try await app.run { factory in
            let browser = try await factory.signedIn("coach1@alpha.test")
            let unread = try await app.database.unreadNotificationCount(coach)
            #expect(unread >= 3)
            let home = try await browser.get("/o/alpha")
            #expect(home.body.contains("Notifications, \(unread) unread") && home.body.contains("bell-count"))
            let list = try await browser.get("/o/alpha/notifications")
            #expect(list.body.contains("reports being ill: fever") && list.body.contains("What you are told"))
            let first = try #require(try await app.database.notifications(coach).first { $0.kind == .comment })
            let opened = try await browser.get("/o/alpha/notifications/\(first.id)")
            #expect(opened.status == .seeOther && opened.location == "/o/alpha/activities/\(activity)#comments")
            #expect(try await app.database.unreadNotificationCount(coach) == unread - 1)
            #expect(try await browser.post("/o/alpha/notifications/read").status == .seeOther)
            #expect(try await app.database.unreadNotificationCount(coach) == 0)
            // Someone else's notification is not found.
            let athleteNote = try #require(try await app.database.notifications(own).first)
            #expect(try await browser.get("/o/alpha/notifications/\(athleteNote.id)").status == .notFound)
            // The preferences form: everything off but the proposals.
            let saved = try await browser.post(
                "/o/alpha/notifications/settings", [("app-proposal", "1"), ("email-proposal", "1")])
            #expect(saved.status == .seeOther)
            let after = try await app.database.notificationPreferences(coach)
            #expect(after.filter(\.inApp).map(\.kind) == [.proposal])
        }
    }

    @Test func aNewPlanAndAnAppliedChangeAreToldToTheAthlete() async throws {
        let app = try await TestApp(athletes: 4)
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coach))
        let own = try await app.scope("alpha", athlete.email)
        let plan = try #require(try await app.database.plans(coach).first)
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        _ = try await app.database.assign(
            coach, templateId: plan.id, athleteIds: [athlete.id], groupId: nil,
            placement: .start(today.adding(days: 60)), now: TestApp.now)
        #expect(try await app.database.notifications(own).first?.kind == .planAssigned)
        _ = try await app.database.saveCheckIns(
            coach, athleteId: athlete.id, [CheckIn(date: today, ill: true)], fromCSV: false, now: TestApp.now)
        _ = try await app.database.runEngine(coach, athleteId: athlete.id, now: TestApp.now)
        let proposal = try #require(
            try await app.database.adaptations(coach, athleteId: athlete.id, states: [.proposed]).first)
        try await app.database.decideAdaptation(coach, id: proposal.id, accept: true, now: TestApp.now)
        let told = try await app.database.notifications(own)
        #expect(told.first?.kind == .planChanged && (told.first?.title ?? "").contains(proposal.title))
    }

    @Test func anAutoAppliedChangeIsToldToTheAthleteWhoseCheckInRanTheEngine() async throws {
        let app = try await TestApp(athletes: 4)
        let coach = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coach))
        let own = try await app.scope("alpha", athlete.email)
        for pending in try await app.database.adaptations(coach, athleteId: athlete.id, states: [.proposed]) {
            try await app.database.decideAdaptation(coach, id: pending.id, accept: false, now: TestApp.now)
        }
        try await app.database.setAthleteEngineSettings(coach, athleteId: athlete.id, autoApply: true, sex: nil)
        // A week on (a new week's sick proposal, not the one just rejected), the athlete checks in ill.
        let later = TestApp.now.addingTimeInterval(7 * 86_400)
        _ = try await app.database.saveCheckIns(
            own, athleteId: athlete.id, [CheckIn(date: CalendarDate(later, timeZone: .gmt), ill: true)],
            fromCSV: false, now: later)
        _ = try await app.database.runEngine(own, athleteId: athlete.id, now: later)
        let applied = try await app.database.adaptations(coach, athleteId: athlete.id, states: [.applied])
        #expect(!applied.isEmpty, "auto-apply applied the sick proposal")
        #expect(try await app.database.notifications(own).contains { $0.kind == .planChanged })
    }
}
