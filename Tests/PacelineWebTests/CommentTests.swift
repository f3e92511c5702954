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
