import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// Assignment, the instance lifecycle, athlete pages and the calendar feed, through the router.
/// The test clock starts on Friday 2027-01-15.
struct InstanceRouterTests {
    static func setUp() async throws -> (TestApp, TenantScope, manual: Int64, generated: Int64) {
        let app = try await TestApp(seed: ["alpha", "beta"], athletes: 6)
        let alpha = try await app.scope("alpha", "coach1@alpha.test")
        let plans = try await app.database.plans(alpha)
        let manual = try #require(plans.first { $0.source == .manual }).id
        let generated = try #require(plans.first { $0.source == .generated }).id
        return (app, alpha, manual, generated)
    }

    static func d(_ s: String) -> CalendarDate { CalendarDate(s)! }

    @Test func assignToAGroupThenPauseAndResumeShiftsTheRest() async throws {
        let (app, alpha, manual, _) = try await Self.setUp()
        let group = try #require(try await app.database.groups(alpha).first { $0.name == "5K beginners" })
        let members = try await app.database.group(alpha, id: group.id).members
        #expect(members.count == 2)
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            try await coach.get("/o/alpha/plans/\(manual)/assign")
            let assigned = try await coach.post(
                "/o/alpha/plans/\(manual)/assign",
                [("group_id", "\(group.id)"), ("start_date", "2027-01-16"), ("race_date", "")])
            #expect(assigned.status == .seeOther && assigned.location == "/o/alpha/groups/\(group.id)")
            let groupPage = try await coach.get("/o/alpha/groups/\(group.id)")
            #expect(groupPage.body.contains("Base building, 4 weeks") && groupPage.body.contains("status-active"))

            let athlete = members[0]
            let instance = try #require(try await app.database.instances(alpha, athleteId: athlete.id).first)
            let detail = try await app.database.instance(alpha, id: instance.id)
            // A Saturday start begins on Monday 18th; Tuesdays keep their weekday.
            #expect(detail.items.first?.date == Self.d("2027-01-19") && detail.items.count == 16)

            // Tuesday: the athlete sees the day's workout with their own paces.
            app.clock.advance(days: 4)
            let me = try await factory.signedIn(athlete.email)
            let home = try await me.get("/o/alpha")
            #expect(
                home.body.contains("Easy run with strides") && home.body.contains("/km")
                    && home.body.contains("Mark as done"))
            #expect(try await me.post("/o/alpha/instances/\(instance.id)/pause").status == .forbidden)

            // The coach pauses from today: nothing shows on paused days.
            try await coach.get("/o/alpha/instances/\(instance.id)")
            #expect(
                try await coach.post("/o/alpha/instances/\(instance.id)/pause", [("since", "2027-01-19")]).status
                    == .seeOther)
            let paused = try await me.get("/o/alpha")
            #expect(paused.body.contains("is paused since 2027-01-19") && !paused.body.contains("Mark as done"))
            #expect(try await coach.post("/o/alpha/instances/\(instance.id)/pause").status == .unprocessableContent)

            // Two days later the coach resumes: the rest moves a whole week later, weekdays kept.
            app.clock.advance(days: 2)
            #expect(try await coach.post("/o/alpha/instances/\(instance.id)/resume").status == .seeOther)
            let after = try await app.database.instance(alpha, id: instance.id)
            #expect(
                after.items.first?.date == Self.d("2027-01-26")
                    && after.items.map { Weekday($0.date) } == detail.items.map { Weekday($0.date) })
            #expect(after.events.map(\.action) == ["assigned", "paused", "resumed"])
            let history = try await coach.get("/o/alpha/instances/\(instance.id)")
            #expect(history.body.contains("paused 2027-01-19 – 2027-01-21; 7 days later"))
            // A backdated pause too far back is refused.
            #expect(
                try await coach.post("/o/alpha/instances/\(instance.id)/pause", [("since", "2026-01-01")]).status
                    == .unprocessableContent)

            // Cancel is final; the plan drops out of the athlete's pages.
            let ask = try await coach.post("/o/alpha/instances/\(instance.id)/cancel")
            #expect(ask.status == .ok && ask.body.contains("Yes, cancel the plan"))
            #expect(try await app.database.instance(alpha, id: instance.id).summary.state.status == .active)
            #expect(
                try await coach.post("/o/alpha/instances/\(instance.id)/cancel", [("confirm", "yes")]).status
                    == .seeOther)
            #expect(try await coach.post("/o/alpha/instances/\(instance.id)/resume").status == .unprocessableContent)
            let cancelled = try await me.get("/o/alpha/calendar?month=2027-01")
            #expect(!cancelled.body.contains("Easy run with strides"))
        }
    }

    @Test func raceDatePlacementOverlapWarningAndLatecomers() async throws {
        let (app, alpha, manual, generated) = try await Self.setUp()
        let group = try #require(try await app.database.groups(alpha).first { $0.name == "Track group" })
        let athletes = try await app.database.athletes(alpha)
        let memberIds = Set(try await app.database.group(alpha, id: group.id).members.map(\.id))
        let outsider = try #require(athletes.first { !memberIds.contains($0.id) })
        try await app.run { factory in
            let coach = try await factory.signedIn("coach2@alpha.test")
            try await coach.get("/o/alpha/plans/\(generated)/assign")
            let byRace = try await coach.post(
                "/o/alpha/plans/\(generated)/assign", [("group_id", "\(group.id)"), ("race_date", "2027-04-03")])
            #expect(byRace.status == .seeOther)
            let member = try #require(try await app.database.group(alpha, id: group.id).members.first)
            let instance = try #require(try await app.database.instances(alpha, athleteId: member.id).first)
            let items = try await app.database.instance(alpha, id: instance.id).items
            #expect(items.last?.date == Self.d("2027-04-03") && items.last?.workout.subtype == .race)

            // The same athlete again over the same days: assigned, with a warning.
            try await coach.get("/o/alpha/plans/\(manual)/assign")
            let overlap = try await coach.post(
                "/o/alpha/plans/\(manual)/assign", [("athlete_id", "\(member.id)"), ("start_date", "2027-02-01")])
            #expect(overlap.status == .seeOther)
            let page = try await coach.get(try #require(overlap.location))
            #expect(page.body.contains("already had a plan over some of these days"))

            // Bad input changes nothing.
            let before = try await app.database.contentSnapshot()
            for form in [
                [("start_date", "2027-02-01")], [("athlete_id", "\(member.id)"), ("start_date", "soon")],
                [("athlete_id", "\(member.id)"), ("race_date", "2020-01-01")],
            ] {
                #expect(try await coach.post("/o/alpha/plans/\(manual)/assign", form).status == .unprocessableContent)
            }
            #expect(
                try await coach.post(
                    "/o/alpha/plans/\(manual)/assign", [("group_id", "999999"), ("start_date", "2027-02-01")]
                ).status == .notFound)
            #expect(try await app.database.contentSnapshot() == before)

            // A member added later gets the group's plan on the same calendar.
            try await app.database.addToGroup(alpha, groupId: group.id, athleteId: outsider.id, now: TestApp.now)
            let assignment = try #require(try await app.database.groupAssignments(alpha, groupId: group.id).first)
            #expect(assignment.latecomers == 1)
            try await coach.get("/o/alpha/groups/\(group.id)")
            #expect(
                try await coach.post("/o/alpha/groups/\(group.id)/assignments/\(assignment.id)/latecomers").status
                    == .seeOther)
            let late = try #require(try await app.database.instances(alpha, athleteId: outsider.id).first)
            #expect(try await app.database.instance(alpha, id: late.id).items.map(\.date) == items.map(\.date))
            // Group-wide pause.
            #expect(
                try await coach.post("/o/alpha/groups/\(group.id)/assignments/\(assignment.id)/pause").status
                    == .seeOther)
            let statuses = try await app.database.groupAssignments(alpha, groupId: group.id).first?.members.compactMap(
                \.status)
            #expect(statuses?.allSatisfy { $0 == .paused } == true && statuses?.count == 3)
        }
    }

    @Test func workoutsAreTheAthletesOwnAndCanBeMarkedDone() async throws {
        let (app, alpha, _, _) = try await Self.setUp()
        let squad = try #require(try await app.database.groups(alpha).first { $0.name == "Marathon squad" })
        let members = try await app.database.group(alpha, id: squad.id).members
        let active = members[1]  // the demo pauses the first member
        let theirs = try await app.database.schedule(
            alpha, athleteId: active.id, from: Self.d("2027-01-15"), to: Self.d("2027-01-31"))
        let item = try #require(theirs.first?.0)
        try await app.run { factory in
            let owner = try await factory.signedIn(active.email)
            let page = try await owner.get("/o/alpha/workouts/\(item.id)")
            #expect(page.status == .ok && page.body.contains(item.workout.name))
            #expect(try await owner.post("/o/alpha/workouts/\(item.id)/done", [("done", "1")]).status == .seeOther)
            #expect(try await app.database.scheduledWorkout(alpha, id: item.id).completed)
            let other = try await factory.signedIn(members[0].email)
            #expect(try await other.get("/o/alpha/workouts/\(item.id)").status == .notFound)
            #expect(try await other.post("/o/alpha/workouts/\(item.id)/done", [("done", "0")]).status == .notFound)
            let coach = try await factory.signedIn("coach1@alpha.test")
            #expect(try await coach.get("/o/alpha/workouts/\(item.id)").status == .ok)
            // History: the demo marked most past workouts done; the month shows done and missed days.
            let month = try await owner.get("/o/alpha/calendar?month=2027-01")
            #expect(
                month.body.contains("cal-done") && month.body.contains("cal-missed")
                    && month.body.contains("January 2027"))
            #expect(try await owner.get("/o/alpha/calendar?month=2027-13").status == .unprocessableContent)
            // The coach's board lists each athlete's plan, status and today's workout.
            let board = try await coach.get("/o/alpha/athletes?sort=name")
            #expect(board.body.contains("status-paused") && board.body.contains("status-active"))
            #expect(try await coach.get("/o/alpha").body.contains("needing attention"))
        }
    }

    @Test func calendarFeedKeepsUIDsAcrossEditsAndDropsPausedDays() async throws {
        let (app, alpha, _, _) = try await Self.setUp()
        let squad = try #require(try await app.database.groups(alpha).first { $0.name == "Marathon squad" })
        let athlete = try await app.database.group(alpha, id: squad.id).members[1]
        let instance = try #require(
            try await app.database.instances(alpha, athleteId: athlete.id).first { $0.state.status == .active })
        let token = try await app.database.calendarToken(alpha, athleteId: athlete.id)
        let future = try #require(
            try await app.database.instance(alpha, id: instance.id).items.first { $0.date > Self.d("2027-01-20") })
        try await app.run { factory in
            let client = factory.browser()
            let first = try await client.get("/cal/\(token).ics")
            #expect(
                first.status == .ok && first.body.hasPrefix("BEGIN:VCALENDAR\r\n")
                    && first.body.contains("UID:\(future.uid)"))
            let coach = try await factory.signedIn("coach1@alpha.test")
            try await coach.get("/o/alpha/instances/\(instance.id)")
            let version = try await app.database.instance(alpha, id: instance.id).summary.version
            let target = future.date.adding(days: 1)
            let moved = try await coach.post(
                "/o/alpha/instances/\(instance.id)/move",
                [("from", future.date.description), ("to", target.description), ("version", "\(version)")])
            #expect(moved.status == .seeOther)
            let stale = try await coach.post(
                "/o/alpha/instances/\(instance.id)/rest", [("date", target.description), ("version", "\(version)")])
            #expect(stale.status == .conflict)
            let second = try await client.get("/cal/\(token).ics")
            let event = try #require(
                second.body.components(separatedBy: "BEGIN:VEVENT").first { $0.contains("UID:\(future.uid)") })
            let c = target.components
            #expect(
                event.contains(String(format: "DTSTART;VALUE=DATE:%04d%02d%02d", c.year, c.month, c.day))
                    && event.contains("SEQUENCE:1"))
            // Paused days drop out.
            try await app.database.transition(
                alpha, instanceId: instance.id, .pause, today: Self.d("2027-01-16"), now: TestApp.now)
            let paused = try await client.get("/cal/\(token).ics")
            #expect(!paused.body.contains("UID:\(future.uid)"))
            // A new address kills the old one.
            let owner = try await factory.signedIn(athlete.email)
            try await owner.get("/o/alpha/me")
            #expect(try await owner.post("/o/alpha/me/calendar").status == .seeOther)
            #expect(try await client.get("/cal/\(token).ics").status == .notFound)
            #expect(try await client.get("/cal/nonsense.ics").status == .notFound)
        }
    }

    @Test func coachEditsAnAthletesDayWithoutTouchingTheTemplate() async throws {
        let (app, alpha, _, generated) = try await Self.setUp()
        let squad = try #require(try await app.database.groups(alpha).first { $0.name == "Marathon squad" })
        let athlete = try await app.database.group(alpha, id: squad.id).members[1]
        let instance = try #require(
            try await app.database.instances(alpha, athleteId: athlete.id).first { $0.state.status == .active })
        let item = try #require(
            try await app.database.instance(alpha, id: instance.id).items.first { $0.date > Self.d("2027-01-20") })
        let templateBefore = try await app.database.plan(alpha, id: generated).template
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            let day = "/o/alpha/instances/\(instance.id)/days/\(item.date)"
            let editor = try await coach.get(day)
            #expect(editor.status == .ok && editor.body.contains(item.workout.name))
            let version = try await app.database.instance(alpha, id: instance.id).summary.version
            let saved = try await coach.post(
                day, LibraryTests.form(name: "Hills instead", version: "\(version)") + [("op", "save")])
            #expect(saved.status == .seeOther)
            #expect(try await app.database.scheduledWorkout(alpha, id: item.id).workout.name == "Hills instead")
            let stale = try await coach.post(
                day, LibraryTests.form(name: "Lost", version: "\(version)") + [("op", "save")])
            #expect(stale.status == .conflict && stale.body.contains("Someone else changed this plan"))
            #expect(try await coach.get("/o/alpha/instances/\(instance.id)/days/2027-02-30").status == .notFound)
        }
        #expect(try await app.database.plan(alpha, id: generated).template == templateBefore)
        #expect(try await app.database.scheduledWorkout(alpha, id: item.id).workout.name == "Hills instead")
    }
}
