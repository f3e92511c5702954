import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

struct PlanEditorRouterTests {
    /// An alpha plan of three empty weeks, and two library workouts.
    static func setUp() async throws -> (TestApp, TenantScope, Int64, [LibraryWorkout]) {
        let app = try await TestApp(seed: ["alpha", "beta"])
        let alpha = try await app.scope("alpha", "coach1@alpha.test")
        let id = try await app.database.createPlan(
            alpha, PlanTemplate(name: "Spring 10K", weeks: [PlanWeek(), PlanWeek(), PlanWeek()]),
            source: .manual, now: TestApp.now)
        let workouts = try await app.database.workouts(alpha)
        return (app, alpha, id, workouts)
    }

    @Test func everyEditorFormWorksAndIsVersionChecked() async throws {
        let (app, alpha, id, workouts) = try await Self.setUp()
        let tempo = try #require(workouts.first { $0.workout.name == "Tempo run 20 min" })
        let easy = try #require(workouts.first { $0.workout.name == "Easy run 40 min" })
        let base = "/o/alpha/plans/\(id)"
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            func version() async throws -> String { String(try await app.database.plan(alpha, id: id).version) }
            func post(_ op: String, _ form: [(String, String)]) async throws -> Browser.Page {
                try await coach.get(base + "/edit")
                return try await coach.post(base + "/" + op, form + [("version", try await version())])
            }
            // Place from the library: a copy.
            #expect(
                try await post("place", [("workout_id", "\(tempo.id)"), ("week", "0"), ("day", "1")]).status
                    == .seeOther)
            #expect(
                try await post("place", [("workout_id", "\(easy.id)"), ("week", "0"), ("day", "3")]).status == .seeOther
            )
            var plan = try await app.database.plan(alpha, id: id).template
            #expect(plan.weeks[0][.tue]?.name == "Tempo run 20 min" && plan.weeks[0][.thu]?.name == "Easy run 40 min")
            // Move onto a taken day swaps.
            #expect(try await post("move", [("from", "0:1"), ("to_week", "0"), ("to_day", "3")]).status == .seeOther)
            plan = try await app.database.plan(alpha, id: id).template
            #expect(plan.weeks[0][.thu]?.name == "Tempo run 20 min" && plan.weeks[0][.tue]?.name == "Easy run 40 min")
            // Rest, copy week (after itself and to the end), reorder, delete, add.
            #expect(try await post("rest", [("week", "0"), ("day", "1")]).status == .seeOther)
            #expect(try await post("weeks", [("op", "copy"), ("week", "0")]).status == .seeOther)
            #expect(try await post("weeks", [("op", "copy-end"), ("week", "0")]).status == .seeOther)
            plan = try await app.database.plan(alpha, id: id).template
            #expect(
                plan.weeks.count == 5 && plan.weeks[1][.thu]?.name == "Tempo run 20 min" && plan.weeks[4][.thu] != nil)
            #expect(try await post("weeks", [("op", "down"), ("week", "0")]).status == .seeOther)
            let ask = try await post("weeks", [("op", "delete"), ("week", "4")])
            #expect(ask.status == .ok && ask.body.contains("Delete week 5 of"))
            #expect(try await app.database.plan(alpha, id: id).template.weeks.count == 5)
            #expect(try await post("weeks", [("op", "delete"), ("week", "4"), ("confirm", "yes")]).status == .seeOther)
            #expect(try await post("weeks", [("op", "add")]).status == .seeOther)
            #expect(
                try await post(
                    "details", [("name", "Spring 10K v2"), ("level", "advanced"), ("description", "## Goal\\nSub-40")]
                ).status == .seeOther)
            plan = try await app.database.plan(alpha, id: id).template
            #expect(plan.weeks.count == 5 && plan.name == "Spring 10K v2" && plan.level == .advanced)

            // Editing the library afterwards never reaches the plan.
            let admin = try await factory.signedIn("admin@alpha.test")
            try await admin.get("/o/alpha/library/\(tempo.id)/edit")
            var renamed = tempo.workout
            renamed.name = "Tempo renamed in library"
            try await app.database.updateWorkout(
                alpha, id: tempo.id, renamed, expectedVersion: tempo.version, now: TestApp.now)
            #expect(
                try await app.database.plan(alpha, id: id).template.weeks.contains {
                    $0[.thu]?.name == "Tempo run 20 min"
                })

            // A stale version is refused with 409 and changes nothing.
            let before = try await app.database.plan(alpha, id: id)
            try await coach.get(base + "/edit")
            let stale = try await coach.post(
                base + "/place", [("workout_id", "\(easy.id)"), ("week", "0"), ("day", "0"), ("version", "1")])
            #expect(stale.status == .conflict && stale.body.contains("Someone else changed this plan"))
            let missing = try await coach.post(base + "/rest", [("week", "0"), ("day", "3")])
            #expect(missing.status == .conflict)
            #expect(try await app.database.plan(alpha, id: id) == before)

            // Bad input: 422 with a message, nothing changed.
            for (op, form) in [
                ("place", [("workout_id", "999999"), ("week", "0"), ("day", "0")]),
                ("place", [("workout_id", "\(easy.id)"), ("week", "40"), ("day", "0")]),
                ("place", [("workout_id", "\(easy.id)"), ("week", "0"), ("day", "9")]),
                ("move", [("from", "2:6"), ("to_week", "0"), ("to_day", "0")]),
                ("weeks", [("op", "explode"), ("week", "0")]),
                ("details", [("name", ""), ("level", "basic")]),
            ] {
                let page = try await post(op, form)
                #expect(
                    page.status == .unprocessableContent || page.status == .notFound, "\(op) \(form): \(page.status)")
            }
            #expect(try await app.database.plan(alpha, id: id).template == before.template)

            // Editing a placed workout's blocks inline saves into the plan only.
            let day = base + "/days/1/3"
            let editor = try await coach.get(day)
            #expect(editor.status == .ok && editor.body.contains("Week 2, Thursday"))
            let form = LibraryTests.form(name: "Tempo, longer", version: try await version())
            #expect(try await coach.post(day, form + [("op", "save")]).status == .seeOther)
            #expect(try await app.database.plan(alpha, id: id).template.weeks[1][.thu]?.name == "Tempo, longer")
            #expect(try await coach.get(base + "/days/9/3").status == .notFound)
            #expect(try await coach.get(base + "/days/0/7").status == .notFound)
        }
    }

    @Test func generatorPageCreatesAPlanAndRefusesNonsense() async throws {
        let app = try await TestApp(seed: ["alpha"])
        let alpha = try await app.scope("alpha", "coach1@alpha.test")
        let before = try await app.database.plans(alpha).count
        let base: [(String, String)] = [
            ("race_distance", "42195"), ("custom_distance", ""), ("race_date", ""), ("weeks", "16"),
            ("vdot", "45"), ("level", "intermediate"), ("weekly_km", "40"), ("max_days", ""),
            ("quality_days", "tue"), ("quality_days", "thu"), ("long_run_day", "sun"),
            ("rest_days", "mon"), ("rest_days", "fri"),
        ]
        @Sendable func with(_ key: String, _ value: String) -> [(String, String)] {
            base.map { $0.0 == key ? ($0.0, value) : $0 }
        }
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            try await coach.get("/o/alpha/plans/generate")
            let created = try await coach.post("/o/alpha/plans/generate", base)
            #expect(created.status == .seeOther && created.location?.hasSuffix("/edit") == true)
            let editor = try await coach.get(try #require(created.location))
            #expect(editor.body.contains("Marathon plan, 16 weeks") && editor.body.contains("Race: Marathon"))
            #expect(editor.body.contains("<p>Generated for VDOT 45.0"))  // the description, through cmark
            let cases: [([(String, String)], String)] = [
                (with("race_date", "2020-01-01").map { $0.0 == "weeks" ? ("weeks", "") : $0 }, "in the future"),
                (with("weeks", "0"), "at least 8 weeks"),
                (with("weeks", "200"), "at most 30 weeks"),
                (with("vdot", "5"), "VDOT must be between"),
                (
                    base.filter { $0.0 != "quality_days" && $0.0 != "rest_days" }
                        + ["mon", "tue", "wed", "thu", "fri", "sat"].map { ("rest_days", $0) },
                    "at least 3 training days"
                ),
                (with("race_date", "not-a-date"), "YYYY-MM-DD"),
                (with("level", "godlike"), "Choose a level"),
            ]
            for (form, message) in cases {
                let page = try await coach.post("/o/alpha/plans/generate", form)
                #expect(
                    page.status == .unprocessableContent && page.body.contains(message),
                    "expected “\(message)”, got \(page.status)")
            }
        }
        #expect(try await app.database.plans(alpha).count == before + 1)
    }

    /// Issue 19, item 6: the cycling and triathlon form on the same page; its refusals next to its own
    /// fields, the running form's values untouched; a triathlon plan assigned lands its race on race day.
    @Test func aCoachGeneratesACyclingAndATriathlonPlan() async throws {
        let app = try await TestApp(seed: ["alpha"])
        let alpha = try await app.scope("alpha", "coach1@alpha.test")
        let before = try await app.database.plans(alpha).count
        let base: [(String, String)] = [
            ("goal", "cycling"), ("event_date", ""), ("e_weeks", "10"), ("hours", "8"), ("ftp", "250"),
            ("event_km", "120"), ("e_level", "intermediate"), ("training_days", "tue"), ("training_days", "thu"),
            ("training_days", "sat"), ("training_days", "sun"), ("e_quality_days", "tue"),
            ("e_quality_days", "thu"), ("long_day", "sat"),
        ]
        @Sendable func with(_ key: String, _ value: String) -> [(String, String)] {
            base.map { $0.0 == key ? ($0.0, value) : $0 }
        }
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            let page = try await coach.get("/o/alpha/plans/generate")
            #expect(
                page.body.contains("Cycling event or triathlon") && page.body.contains("value=\"olympic-triathlon\""))
            let created = try await coach.post("/o/alpha/plans/generate", base)
            #expect(created.status == .seeOther, "\(created.body.components(separatedBy: "<main").last ?? "")")
            let editor = try await coach.get(try #require(created.location))
            #expect(editor.body.contains("Cycling event plan, 10 weeks") && editor.body.contains("Event: 120 km ride"))
            #expect(editor.body.contains("Generated for FTP 250 W"))
            let tri = try await coach.post(
                "/o/alpha/plans/generate",
                with("goal", "sprint-triathlon").filter { $0.0 != "training_days" }
                    + ["mon", "tue", "thu", "sat", "sun"].map { ("training_days", $0) })
            #expect(tri.status == .seeOther)
            let triEditor = try await coach.get(try #require(tri.location))
            #expect(triEditor.body.contains("Sprint triathlon plan, 10 weeks"))
            #expect(triEditor.body.contains("Brick: long ride and a"))
            #expect(triEditor.body.contains("Race: Sprint triathlon (750 m swim, 20 km bike, 5 km run)"))
            let cases: [([(String, String)], String, String)] = [
                (with("ftp", ""), "ftp", "FTP in watts"),
                (with("ftp", "abc"), "ftp", "FTP in watts"),
                (with("hours", "99"), "hours", "2–25"),
                (with("hours", "x"), "hours", "hours a week"),
                (with("e_weeks", "2"), "e_weeks", "6–30 weeks"),
                (with("event_date", "2020-01-01"), "event_date", "in the future"),
                (with("event_km", "-5"), "event_km", "5–1000 km"),
                (with("long_day", "mon"), "e_days", "long day must be a training day"),
                (with("goal", "ironman"), "goal", "cycling event or a triathlon"),
                (with("e_level", "godlike"), "e_level", "Choose a level"),
            ]
            for (form, field, message) in cases {
                let refused = try await coach.post("/o/alpha/plans/generate", form)
                #expect(refused.status == .unprocessableContent, "\(field)")
                #expect(refused.body.contains("id=\"\(field)-error\"") && refused.body.contains(message), "\(field)")
                // The running form above keeps its own defaults, with no error.
                #expect(refused.body.contains("name=\"vdot\"") && !refused.body.contains("id=\"vdot-error\""))
            }
        }
        #expect(try await app.database.plans(alpha).count == before + 2)
        // Assigned with its race date, the triathlon lands on race day, nothing after it.
        let plans = try await app.database.plans(alpha)
        let triId = try #require(plans.first { $0.name.hasPrefix("Sprint triathlon") }?.id)
        let template = try await app.database.plan(alpha, id: triId)
        let race = try #require(template.template.weeks.last?.days.compactMap { $0 }.last)
        #expect(race.kind == .race)
    }

    @Test func athletesCannotSeePlansAndOtherOrganizationsGetNotFound() async throws {
        let (app, _, id, _) = try await Self.setUp()
        try await app.run { factory in
            let athlete = try await factory.signedIn("athlete1@alpha.test")
            #expect(try await athlete.get("/o/alpha/plans").status == .forbidden)
            #expect(try await athlete.get("/o/alpha/plans/\(id)/edit").status == .forbidden)
            let outsider = try await factory.signedIn("coach1@beta.test")
            #expect(try await outsider.get("/o/beta/plans/\(id)/edit").status == .notFound)
            let created = try await outsider.post("/o/beta/plans", [("name", "Beta plan"), ("weeks", "4")])
            #expect(created.status == .seeOther)
            let bad = try await outsider.post("/o/beta/plans", [("name", "Too long"), ("weeks", "99")])
            #expect(bad.status == .unprocessableContent)
        }
    }
}
