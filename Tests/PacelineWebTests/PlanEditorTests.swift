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
