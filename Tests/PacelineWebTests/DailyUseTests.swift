import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// A coach's and an athlete's day (issue 15): numbers that add up, input never dropped, words that
/// match the state, links and states that are true, a question before anything is destroyed.
/// The test clock starts on Friday 2027-01-15.
struct DailyUseTests {
    // MARK: 1. Numbers

    @Test func aBlockSwitchedFromTimeToDistanceDropsItsOldTime() throws {
        // 6 × (800 m + 400 m): the steps were timed (3:05 and 2:00) before they were switched to distance.
        var form = WorkoutForm()
        form.name = "Track 6 × 800"
        form.subtype = WorkoutSubtype.intervalRun.rawValue
        var set = WorkoutForm.Block.fresh(.interval)
        set.repeatCount = "6"
        var work = WorkoutForm.Block.fresh(.run)
        (work.length, work.distance, work.duration, work.pace) = ("distance", "800", "3:05", "z5")
        var rest = WorkoutForm.Block.fresh(.recoveryRun)
        (rest.length, rest.distance, rest.duration) = ("distance", "400", "2:00")
        set.children = [work, rest]
        form.blocks = [set]
        let (workout, errors) = form.workout()
        #expect(errors.isEmpty)
        let parsed = try #require(workout)
        #expect(parsed.blocks[0].children.allSatisfy { $0.durationSeconds == nil })
        let bare = WorkoutTotals(parsed.blocks, zones: nil)
        #expect(bare.distanceMeters == 7200 && bare.durationSeconds == 0 && !bare.isComplete)

        // Blocks stored before the fix keep both numbers: the governing one alone counts.
        let stale = [WorkoutBlock(.run, distance: 800, duration: 1800, pace: .z5, length: .distance, repeat: 6)]
        #expect(WorkoutTotals(stale, zones: nil).durationSeconds == 0)
        let zones = PaceZones(vdot: try VDOT(50))
        let timed = WorkoutTotals(stale, zones: zones).durationSeconds
        #expect(abs(timed - 6 * 0.8 * (zones.range(.z5).fast + zones.range(.z5).slow) / 2) < 1e-6)

        // A placed workout's card shows what its blocks add up to, not a target typed long ago.
        var edited = parsed
        edited.targetDurationSeconds = 45 * 60
        edited.blocks = [WorkoutBlock(.run, duration: 25 * 60, pace: .z1)]
        let card = WorkoutView.summary(edited, units: .km, zones: zones)
        #expect(card.contains("25 min") && !card.contains("45 min"))
    }

    @Test func everyFieldOfTheGeneratorIsCheckedAtOnce() async throws {
        let app = try await TestApp(seed: ["alpha"], athletes: 2)
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            try await coach.get("/o/alpha/plans/generate")
            let refused = try await coach.post(
                "/o/alpha/plans/generate",
                [
                    ("race_distance", "10000"), ("custom_distance", ""), ("race_date", ""), ("weeks", "-1"),
                    ("vdot", "fast"), ("level", "intermediate"), ("weekly_km", "-1"), ("max_days", "9"),
                    ("long_run_day", "sun"),
                ])
            #expect(refused.status == .unprocessableContent)
            for field in ["weeks", "vdot", "weekly_km", "max_days"] {
                #expect(refused.body.contains("id=\"\(field)-error\""), "no message next to \(field)")
            }
            #expect(refused.body.contains("/js/forms.js"))
        }
        // The log form: an unreadable date does not hide an impossible heart rate.
        var log = LogEntryForm(date: "yesterday")
        (log.distance, log.duration, log.avgHR) = ("10", "50:00", "400")
        let (_, errors) = log.validate(units: .km, today: CalendarDate("2027-01-15")!)
        #expect(errors["date"] != nil && errors["avg_hr"] != nil)
    }

    // MARK: 2. Assign

    @Test func assignAsksWhichDateWhenBothAreGiven() async throws {
        let (app, alpha, _, generated) = try await InstanceRouterTests.setUp()
        let athlete = try #require(try await app.database.athletes(alpha).last)
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            let form = try await coach.get("/o/alpha/plans/\(generated)/assign")
            #expect(form.body.contains(#"name="anchor""#))
            let before = try await app.database.contentSnapshot()
            let both = try await coach.post(
                "/o/alpha/plans/\(generated)/assign",
                [("athlete_id", "\(athlete.id)"), ("start_date", "2027-02-01"), ("race_date", "2027-05-02")])
            #expect(both.status == .unprocessableContent && both.body.contains("not both"))
            #expect(try await app.database.contentSnapshot() == before)
            // Chosen: the start date the coach typed is the one used.
            let chosen = try await coach.post(
                "/o/alpha/plans/\(generated)/assign",
                [
                    ("athlete_id", "\(athlete.id)"), ("anchor", "start"), ("start_date", "2027-02-01"),
                    ("race_date", "2027-05-02"),
                ])
            #expect(chosen.status == .seeOther)
            let instances = try await app.database.instances(alpha, athleteId: athlete.id)
            let instance = try #require(instances.max { $0.id < $1.id })
            let first = try #require(try await app.database.instance(alpha, id: instance.id).items.first?.date)
            #expect(first >= CalendarDate("2027-02-01")! && first < CalendarDate("2027-02-08")!)
        }
    }

    // MARK: 4. Words that match the state

    @Test func wordsMatchTheState() async throws {
        let app = try await TestApp(seed: ["alpha"], athletes: 4)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        let instance = try #require(
            try await app.database.instances(coachScope, athleteId: athlete.id).first { $0.state.status == .active })
        let items = try await app.database.instance(coachScope, id: instance.id).items
        let open = try #require(items.first { $0.date > CalendarDate("2027-01-15")! && $0.outcome == nil })
        try await app.run { factory in
            let me = try await factory.signedIn(athlete.email)
            let page = try await me.get("/o/alpha/workouts/\(open.id)")
            #expect(page.status == .ok)
            #expect(page.body.contains("Log this workout") && !page.body.contains("Edit the log"))
            #expect(page.body.contains("Not logged yet"))

            let coach = try await factory.signedIn("coach1@alpha.test")
            let instancePage = try await coach.get("/o/alpha/instances/\(instance.id)")
            #expect(instancePage.body.contains("Pause from") && !instancePage.body.contains("Paused since"))
            for group in try await app.database.groups(coachScope) {
                #expect(!(try await coach.get("/o/alpha/groups/\(group.id)").body.contains("Give the plan to 0")))
            }
            try await coach.post("/o/alpha/instances/\(instance.id)/cancel", [("confirm", "yes")])
            // The athlete is told the plan was cancelled, not that none was ever assigned.
            let home = try await me.get("/o/alpha")
            if !home.body.contains("status-active") {
                #expect(home.body.contains("was cancelled") && !home.body.contains("has not assigned a plan"))
            }
            // The cancelled plan's page: no "Add" on free days, open days say so.
            let cancelled = try await coach.get("/o/alpha/instances/\(instance.id)")
            #expect(!cancelled.body.contains(">Add<") && cancelled.body.contains("Cancelled"))
            #expect(!cancelled.body.contains(#"href="""#))
        }
        // The coach reads the engine's words about someone else.
        #expect(
            Voice.about("you reported being ill; your resting heart rate is up", isOwn: false)
                == "they reported being ill; their resting heart rate is up")
        #expect(Voice.about("Your HRV", isOwn: true) == "Your HRV")
        #expect(Voice.thirdPerson("Young runners: yours") == "Young runners: theirs")
        // A watch's 6.875 h of sleep is shown as a person would type it.
        let sleep = CheckInForm(CheckIn(date: CalendarDate("2027-01-14")!, sleepHours: 6.875))
        #expect(sleep.sleepHours == "6.9")
    }

    // MARK: 5. Sport-true numbers and an easy run run hard

    @Test func bikesShowSpeedAndEasyRunsRunHardAreSaid() throws {
        #expect(TimeFormat.speed(sport: .bike, meters: 40_000, seconds: 3600, units: .km)! == ("Speed", "40.0 km/h"))
        #expect(TimeFormat.speed(sport: .run, meters: 10_000, seconds: 3000, units: .km)! == ("Pace", "5:00/km"))
        #expect(TimeFormat.speed(sport: .swim, meters: 1000, seconds: 1200, units: .km)! == ("Pace", "2:00/100 m"))
        #expect(TimeFormat.speed(sport: .bike, meters: 0, seconds: 3600, units: .km) == nil)
        let zones = PaceZones(vdot: try VDOT(45))
        let easy = Workout(
            name: "Easy", sport: .run, subtype: .easyRun, blocks: [WorkoutBlock(.run, duration: 3000, pace: .z1)])
        let edge = zones.range(.z1).fast
        let hard = EasyPaceCheck.tooFast(easy, distanceMeters: 10_000, durationSeconds: edge * 10 * 0.85, zones: zones)
        #expect(hard != nil)
        #expect(EasyPaceCheck.tooFast(easy, distanceMeters: 10_000, durationSeconds: edge * 10, zones: zones) == nil)
        var tempo = easy
        tempo.subtype = .tempoRun
        #expect(EasyPaceCheck.tooFast(tempo, distanceMeters: 10_000, durationSeconds: 1800, zones: zones) == nil)
    }

    // MARK: 6–8. Links, error pages, uploads

    @Test func errorPagesKeepTheMenuAndUploadsKeepTheTokenOutOfTheAddress() async throws {
        let app = try await TestApp(seed: ["alpha", "beta"], athletes: 2)
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            let missing = try await coach.get("/o/alpha/plans/999999/edit")
            #expect(missing.status == .notFound)
            #expect(missing.body.contains("Sign out") && missing.body.contains(#"aria-label="Main""#))
            // An address no route knows still keeps the signed-in menu.
            let typo = try await coach.get("/o/alpha/plnas")
            #expect(typo.status == .notFound && typo.body.contains("Sign out"))
            #expect(!missing.body.contains("Create an organization"))
            let elsewhere = try await coach.get("/o/beta")
            #expect(elsewhere.status == .notFound && elsewhere.body.contains("Sign out"))
            let forbidden = try await coach.get("/o/alpha/members")
            #expect(forbidden.status == .forbidden && forbidden.body.contains(#"aria-label="Main""#))
            #expect(try await coach.get("/css/app.css").status == .ok)

            let athlete = try await factory.signedIn("athlete1@alpha.test")
            let log = try await athlete.get("/o/alpha/activities")
            #expect(!log.body.contains("_csrf="))
            // No file: the log again, with the reason next to the file input.
            let empty = try await athlete.postMultipart(
                "/o/alpha/activities/upload", fields: [("sport", "run")], files: [])
            #expect(empty.status == .unprocessableContent && empty.body.contains(#"id="files-error""#))
            #expect(empty.body.contains("Upload activities"))
            // The token in the address alone is refused; so is a multipart post to any other route.
            let gpx = Data("<gpx></gpx>".utf8)
            let before = try await app.database.contentSnapshot()
            let queryOnly = try await athlete.postMultipart(
                "/o/alpha/activities/upload?_csrf=\(athlete.csrf)", files: [("files", "a.gpx", gpx)],
                includeCSRF: false)
            #expect(queryOnly.status == .forbidden)
            let elsewherePost = try await coach.postMultipart(
                "/o/alpha/groups", fields: [("name", "Sneaky")], files: [])
            #expect(elsewherePost.status == .forbidden)
            #expect(try await app.database.contentSnapshot() == before)
        }
    }

    @Test func calendarsLabelMonthsAndListDaysForPhones() async throws {
        let app = try await TestApp(seed: ["alpha"], athletes: 4)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        try await app.run { factory in
            let me = try await factory.signedIn(athlete.email)
            let calendar = try await me.get("/o/alpha/calendar?month=2027-04")
            // The grid starts on Monday 29 March: "Mar" there, "Apr" on the 1st.
            #expect(calendar.body.contains(#"class="cal-month">Mar"#) && calendar.body.contains(#"cal-month">Apr"#))
            #expect(calendar.body.contains(#"class="agenda""#))
        }
    }

    // MARK: 9–10. Questions before destruction; the coach's queue

    @Test func destructiveActionsAskFirstAndTheQueueStaysPut() async throws {
        let app = try await TestApp(athletes: 4)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        try await app.run { factory in
            let owner = try await factory.signedIn(athlete.email)
            try await owner.get("/o/alpha/checkin")
            try await owner.post("/o/alpha/checkin", [("date", today.description), ("ill", "1")])
            let coach = try await factory.signedIn("coach1@alpha.test")
            let dashboard = try await coach.get("/o/alpha")
            #expect(dashboard.body.contains(#"name="next" value="/o/alpha#proposals""#))
            let record = try #require(
                try await app.database.adaptations(coachScope, athleteId: athlete.id, states: [.proposed]).first)
            let rejected = try await coach.post(
                "/o/alpha/adaptations/\(record.id)/reject", [("next", "/o/alpha#proposals")])
            #expect(rejected.status == .seeOther && rejected.location == "/o/alpha#proposals")
            // An off-site `next` is ignored.
            let admin = try await factory.signedIn("admin@alpha.test")
            let members = try await admin.get("/o/alpha/members")
            #expect(members.status == .ok)

            // Deleting an activity and removing a member ask first.
            let activity = try #require(
                try await app.database.activities(
                    coachScope, athleteId: athlete.id, from: today.adding(days: -60), to: today, limit: 1
                ).first)
            let before = try await app.database.contentSnapshot()
            let ask = try await coach.post("/o/alpha/activities/\(activity.id)/delete")
            #expect(ask.status == .ok && ask.body.contains("Yes, delete the activity") && ask.body.contains("go back"))
            let everyone = try await app.database.members(coachScope)
            let member = try #require(everyone.first { $0.role == .athlete })
            let askMember = try await admin.post("/o/alpha/members/\(member.id)/remove")
            #expect(askMember.status == .ok && askMember.body.contains("Yes, remove"))
            #expect(try await app.database.contentSnapshot() == before)
            let done = try await coach.post("/o/alpha/activities/\(activity.id)/delete", [("confirm", "yes")])
            #expect(done.status == .seeOther)
        }
    }

    // MARK: 13. Coaches may edit the library when the admin allows it

    @Test func theAdminLetsCoachesEditTheLibrary() async throws {
        let app = try await TestApp(seed: ["alpha"], athletes: 2)
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            let refused = try await coach.post("/o/alpha/library", LibraryTests.form() + [("op", "save")])
            #expect(refused.status == .forbidden && refused.body.contains("an admin can let coaches edit it"))
            #expect(!(try await coach.get("/o/alpha/library").body.contains("New workout")))

            let admin = try await factory.signedIn("admin@alpha.test")
            let settings = try await admin.get("/o/alpha/settings")
            #expect(settings.body.contains("coaches_edit_library"))
            let saved = try await admin.post(
                "/o/alpha/settings",
                [("name", "Alpha Running Club"), ("units", "km"), ("time_zone", "UTC"), ("coaches_edit_library", "1")])
            #expect(saved.status == .seeOther)

            #expect(try await coach.get("/o/alpha/library").body.contains("New workout"))
            try await coach.get("/o/alpha/library/new")
            let created = try await coach.post("/o/alpha/library", LibraryTests.form() + [("op", "save")])
            #expect(created.status == .seeOther)
            // Athletes never edit it; switching the setting off refuses coaches again.
            let athlete = try await factory.signedIn("athlete1@alpha.test")
            #expect(try await athlete.get("/o/alpha/library/new").status == .forbidden)
            try await admin.post(
                "/o/alpha/settings", [("name", "Alpha Running Club"), ("units", "km"), ("time_zone", "UTC")])
            #expect(try await coach.get("/o/alpha/library/new").status == .forbidden)
        }
    }

    // MARK: 14. The activity page draws the file; the calendar is plain text and easy to add

    @Test func activityPagesDrawTheRouteAndTheCalendarIsEasyToAdd() async throws {
        let app = try await TestApp(seed: ["alpha"], athletes: 3)
        let tcx = try LogTests.fixture("tcx/cerknicko-run.tcx")
        try await app.run { factory in
            let athlete = try await factory.signedIn("athlete2@alpha.test")
            try await athlete.get("/o/alpha/activities")
            let uploaded = try await athlete.postMultipart(
                "/o/alpha/activities/upload", fields: [("sport", "run")], files: [("files", "lake.tcx", tcx)])
            let href = try #require(
                uploaded.body.range(of: #"/o/alpha/activities/[0-9]+"#, options: .regularExpression).map {
                    String(uploaded.body[$0])
                })
            let page = try await athlete.get(href)
            #expect(page.body.contains(#"class="route-map""#) && page.body.contains("route-line"))
            #expect(page.body.contains("Pace along the distance") && page.body.contains("Heart rate along"))
            #expect(!page.body.contains("https://tile") && !page.body.contains("<img"))

            let profile = try await athlete.get("/o/alpha/me")
            #expect(profile.body.contains(#"href="webcal://"#) && profile.body.contains("calendar.google.com"))
        }
        #expect(
            Markdown.plainText("Run **easy**, then _strides_.\n\n- 4 × 20 s\n- [drills](https://x.test/d)")
                == "Run easy, then strides.\n• 4 × 20 s\n• drills (https://x.test/d)")
        #expect(Markdown.plainText("Hi <b>there</b>") == "Hi there")
    }

    // MARK: 11. The coach's board

    @Test func theBoardShowsWhoNeedsAttentionFilteredSortedAndPaged() async throws {
        let app = try await TestApp(seed: ["alpha"], athletes: 56)
        let alpha = try await app.scope("alpha", "admin@alpha.test")
        let athletes = try await app.database.athletes(alpha)
        let ill = try #require(try await TestApp.athleteOnActivePlan(app.database, alpha))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        let coach = try #require(try await app.database.members(alpha).first { $0.email == "coach2@alpha.test" })
        let mine = try #require(athletes.first { $0.id != ill.id })
        try await app.run { factory in
            let owner = try await factory.signedIn(ill.email)
            try await owner.get("/o/alpha/checkin")
            try await owner.post("/o/alpha/checkin", [("date", today.description), ("ill", "1")])

            let admin = try await factory.signedIn("admin@alpha.test")
            try await admin.get("/o/alpha/athletes/\(mine.id)")
            let assigned = try await admin.post(
                "/o/alpha/athletes/\(mine.id)/coaches", [("coach_user_id", "\(coach.userId)")])
            #expect(assigned.status == .seeOther)
            #expect(try await admin.get("/o/alpha/athletes/\(mine.id)").body.contains(coach.name))

            let browser = try await factory.signedIn("coach2@alpha.test")
            let board = try await browser.get("/o/alpha/athletes")
            #expect(board.status == .ok)
            // The ill athlete leads the default order, flagged; 50 to a page, the rest on page 2.
            let first = try #require(board.body.range(of: "<tbody>").map { board.body[$0.upperBound...] })
            #expect(first.prefix(600).contains(ill.name), "the ill athlete is not first")
            #expect(board.body.contains(#"class="flag flag-red">Ill"#))
            // An athlete with no check-in or activity in two weeks has no readiness to show, not "Green".
            let quiet = try await app.database.triage(alpha, today: today).filter {
                $0.lastActivity.map { $0 < today.adding(days: -14) } ?? true
                    && ($0.lastCheckIn.map { $0 < today.adding(days: -14) } ?? true)
            }
            #expect(!quiet.isEmpty && quiet.allSatisfy { $0.readiness == nil })
            #expect(board.body.contains("1–50 of 56") && board.body.contains("page=2"))
            let second = try await browser.get("/o/alpha/athletes?page=2")
            #expect(second.body.contains("51–56 of 56"))
            // "My athletes": the groups the demo gives this coach, and the athlete the admin added.
            let own = try await browser.get("/o/alpha/athletes?mine=1&sort=name")
            let coached = try await app.database.triage(alpha, today: today).filter {
                $0.coachUserIds.contains(coach.userId)
            }
            #expect(coached.contains { $0.id == mine.id } && coached.count < athletes.count)
            #expect(own.body.contains(mine.name) && own.body.contains("of \(coached.count)<"))
            // By group.
            let group = try #require(try await app.database.groups(alpha).first { $0.memberCount > 0 })
            let members = Set(try await app.database.group(alpha, id: group.id).members.map(\.name))
            let grouped = try await browser.get("/o/alpha/athletes?group=\(group.id)&sort=name")
            #expect(grouped.body.contains("1–\(members.count) of \(members.count)"))
            // The dashboard shows the same athlete needing attention, not a row per athlete.
            let dashboard = try await browser.get("/o/alpha")
            #expect(dashboard.body.contains("Your athletes needing attention"))
            let everyone = try await factory.signedIn("admin@alpha.test")
            let wide = try await everyone.get("/o/alpha")
            #expect(wide.body.contains("Athletes needing attention") && wide.body.contains(ill.name))
            let listed = wide.body.components(separatedBy: #"class="flags">"#).count - 1
            #expect(listed >= 1 && listed <= CoachDashboardPage.attentionLimit)
            // The assign page lists athletes as a findable checklist.
            let plan = try #require(try await app.database.plans(alpha).first)
            let assign = try await everyone.get("/o/alpha/plans/\(plan.id)/assign")
            #expect(assign.body.contains(#"type="checkbox""#) && assign.body.contains("data-filter"))
        }
    }
}

