import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// The engine through the router: a check-in triggers a proposal at once; the coach sees it on
/// the dashboard and the athlete's page, accepts it, undoes it; the athlete sees what changed
/// and why but cannot decide; other organizations get 404.
struct AdaptationWebTests {
    @Test func anIllnessCheckInBecomesAProposalTheCoachCanAcceptAndUndo() async throws {
        let app = try await TestApp(athletes: 4)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        let before = try await app.database.schedule(
            coachScope, athleteId: athlete.id, from: today, to: today.adding(days: 6)
        ).map(\.0.workout)
        try await app.run { factory in
            let owner = try await factory.signedIn(athlete.email)
            #expect(
                try await owner.post(
                    "/o/alpha/checkin", [("date", today.description), ("ill", "1"), ("illness_note", "fever")]
                ).status == .seeOther)
            let own = try await owner.get("/o/alpha/form")
            #expect(own.status == .ok)
            #expect(
                own.body.contains("Readiness today") && own.body.contains("band-red")
                    && own.body.contains("you reported illness"))
            #expect(own.body.contains("Recover first") && !own.body.contains(">Accept<"))
            #expect(own.body.contains("<svg") && own.body.contains("<title"))
            #expect(own.body.contains("Readiness, day by day") && own.body.contains("readiness-history"))

            let coach = try await factory.signedIn("coach1@alpha.test")
            let dashboard = try await coach.get("/o/alpha")
            #expect(dashboard.body.contains("Proposed plan changes") && dashboard.body.contains("Recover first"))
            // The illness's proposal (the demo's rider may also have an FTP proposal pending).
            let record = try #require(
                try await app.database.adaptations(coachScope, athleteId: athlete.id, states: [.proposed]).first {
                    $0.kind == .sick
                })
            #expect(try await owner.post("/o/alpha/adaptations/\(record.id)/accept").status == .forbidden)
            let intruder = try await factory.signedIn("coach1@beta.test")
            #expect(try await intruder.post("/o/beta/adaptations/\(record.id)/accept").status == .notFound)
            #expect(try await intruder.get("/o/beta/athletes/\(athlete.id)/form").status == .notFound)

            let accepted = try await coach.post("/o/alpha/adaptations/\(record.id)/accept")
            #expect(accepted.status == .seeOther)
            let after = try await app.database.schedule(
                coachScope, athleteId: athlete.id, from: today, to: today.adding(days: 6)
            ).map(\.0.workout)
            // What changed is what the proposal said: its sessions became what it proposed, the rest stayed.
            var expected = before
            for change in record.changes {
                if case .replace(_, _, let was, let becomes) = change, let index = expected.firstIndex(of: was) {
                    expected[index] = becomes
                }
            }
            #expect(after != before && after == expected, "the plan changed otherwise than proposed")
            let page = try await coach.get(try #require(accepted.location))
            #expect(page.body.contains("Applied to the athlete") && page.body.contains(">Undo<"))
            // Accepting twice is refused with a message.
            let twice = try await coach.post("/o/alpha/adaptations/\(record.id)/accept")
            #expect(twice.status == .seeOther)
            #expect(try await coach.get(try #require(twice.location)).body.contains("already applied"))
            #expect(try await coach.post("/o/alpha/adaptations/\(record.id)/undo").status == .seeOther)
            let restored = try await app.database.schedule(
                coachScope, athleteId: athlete.id, from: today, to: today.adding(days: 6)
            ).map(\.0.workout)
            #expect(restored == before)
            // Settings: auto-apply and sex, bad values refused.
            #expect(
                try await coach.post(
                    "/o/alpha/athletes/\(athlete.id)/engine", [("auto_apply", "1"), ("sex", "female")]
                ).status == .seeOther)
            #expect(
                try await coach.post("/o/alpha/athletes/\(athlete.id)/engine", [("sex", "other")]).status
                    == .unprocessableContent)
            let settings = try await coach.get("/o/alpha/athletes/\(athlete.id)/form")
            #expect(
                settings.body.contains("value=\"female\" selected")
                    && settings.body.contains("name=\"auto_apply\" value=\"1\" checked"))
        }
    }

    @Test func aHotForecastOnTheWeatherPageBecomesAdjustedPacesOnTheWorkoutPage() async throws {
        let app = try await TestApp(athletes: 4)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        let run = try #require(
            try await app.database.schedule(
                coachScope, athleteId: athlete.id, from: today.adding(days: 1), to: today.adding(days: 6)
            )
            .map(\.0).first { $0.workout.sport == .run })
        let day = run.date.description
        try await app.run { factory in
            let owner = try await factory.signedIn(athlete.email)
            let page = try await owner.get("/o/alpha/weather")
            #expect(page.status == .ok && page.body.contains("Dew point (°C)") && page.body.contains(run.workout.name))
            // Bad readings: a clear message on the page, nothing saved.
            let before = try await app.database.contentSnapshot()
            let above = try await owner.post("/o/alpha/weather", [("t_\(day)", "20"), ("d_\(day)", "26")])
            #expect(above.status == .unprocessableContent && above.body.contains("cannot be above the air temperature"))
            let half = try await owner.post("/o/alpha/weather", [("t_\(day)", "31"), ("d_\(day)", "")])
            #expect(half.status == .unprocessableContent && half.body.contains("Give the dew point too"))
            let words = try await owner.post("/o/alpha/weather", [("t_\(day)", "hot"), ("d_\(day)", "22")])
            #expect(
                words.status == .unprocessableContent && words.body.contains("number of degrees")
                    && words.body.contains("value=\"hot\""))
            #expect(
                try await owner.post("/o/alpha/weather", [("t_\(day)", "70"), ("d_\(day)", "22")]).status
                    == .unprocessableContent)
            #expect(try await app.database.contentSnapshot() == before)

            // The demo's athlete has a cold: the coach turns down the easier week it proposed, so no
            // other proposal is pending for these sessions (the heat rule waits for one).
            let coach = try await factory.signedIn("coach1@alpha.test")
            for pending in try await app.database.adaptations(coachScope, athleteId: athlete.id, states: [.proposed]) {
                #expect(try await coach.post("/o/alpha/adaptations/\(pending.id)/reject").status == .seeOther)
            }
            // A hot forecast: saved, and the engine proposes heat-adjusted paces for that day's run.
            let saved = try await owner.post("/o/alpha/weather", [("t_\(day)", "31"), ("d_\(day)", "22")])
            #expect(saved.status == .seeOther)
            #expect(try await owner.get("/o/alpha/weather").body.contains("paces 6 % slower"))
            // A form that does not carry a day leaves that day alone (a page opened before midnight).
            let other = run.date.adding(days: 1).description
            #expect(
                try await owner.post("/o/alpha/weather", [("t_\(other)", "12"), ("d_\(other)", "4")]).status
                    == .seeOther)
            #expect(
                try await app.database.weather(coachScope, athleteId: athlete.id, from: run.date, to: run.date)[
                    run.date]?.temperatureC == 31)
            let record = try #require(
                try await app.database.adaptations(coachScope, athleteId: athlete.id, states: [.proposed]).first {
                    $0.kind == .heat
                })
            #expect(try await coach.get("/o/alpha").body.contains(record.title))
            #expect(try await coach.post("/o/alpha/adaptations/\(record.id)/accept").status == .seeOther)
            // The athlete's workout page: the targets, each with the heat-adjusted pace beside it.
            let workout = try await owner.get("/o/alpha/workouts/\(run.id)")
            #expect(
                workout.body.contains(
                    "Hot day — 31 °C, dew point 22 "
                        + "°C") && workout.body.contains("[in the heat "))
            let month = run.date.description.prefix(7)
            #expect(try await owner.get("/o/alpha/calendar?month=\(month)").body.contains("Hot: paces 6 % slower"))
            // The coach can fill in the weather too; another organization cannot see it.
            #expect(try await coach.get("/o/alpha/athletes/\(athlete.id)/weather").body.contains("value=\"31\""))
            let intruder = try await factory.signedIn("coach1@beta.test")
            #expect(try await intruder.get("/o/beta/athletes/\(athlete.id)/weather").status == .notFound)
            #expect(
                try await intruder.post(
                    "/o/beta/athletes/\(athlete.id)/weather", [("t_\(day)", "40"), ("d_\(day)", "30")]
                ).status == .notFound)
        }
    }
}

/// Issue 16 on the pages: days away, the engine's validation, the birth year, the learned facts.
struct IndividualWebTests {
    @Test func daysAwayAreMarkedWithMessagesNextToTheFieldsAndProposeARePlan() async throws {
        let app = try await TestApp(athletes: 4)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        // Nothing else pending (one proposal per session at a time): the demo's proposals are rejected.
        for pending in try await app.database.adaptations(coachScope, athleteId: athlete.id, states: [.proposed]) {
            try await app.database.decideAdaptation(coachScope, id: pending.id, accept: false, now: TestApp.now)
        }
        try await app.run { factory in
            let owner = try await factory.signedIn(athlete.email)
            let page = try await owner.get("/o/alpha/away")
            #expect(page.status == .ok && page.body.contains("Days you cannot train"))
            #expect(page.body.contains("No days marked"))
            let before = try await app.database.contentSnapshot()
            for (fields, message) in [
                ([("from", "tomorrow"), ("to", "")], "Give the first day as YYYY-MM-DD."),
                ([("from", today.adding(days: 5).description), ("to", today.adding(days: 2).description)],
                 "The last day is before the first."),
                ([("from", today.adding(days: -2).description), ("to", "")], "Days already past cannot be marked."),
                ([("from", today.adding(days: 1).description), ("to", today.adding(days: 90).description)],
                 "Mark at most 42 days at once."),
                ([("from", today.adding(days: 1).description), ("reason", String(repeating: "r", count: 201))],
                 "The reason is at most 200 characters."),
            ] {
                let refused = try await owner.post("/o/alpha/away", fields)
                #expect(refused.status == .unprocessableContent, "\(fields)")
                #expect(refused.body.contains("class=\"field-error\"") && refused.body.contains(message), "\(message)")
            }
            #expect(try await app.database.contentSnapshot() == before, "a refused form stores nothing")
            let from = today.adding(days: 1), to = today.adding(days: 4)
            let saved = try await owner.post(
                "/o/alpha/away", [("from", from.description), ("to", to.description), ("reason", "Conference")])
            #expect(saved.status == .seeOther)
            let listed = try await owner.get("/o/alpha/away")
            #expect(listed.body.contains("Conference") && listed.body.contains(from.description))
            let days = try await app.database.unavailableDays(coachScope, athleteId: athlete.id, now: TestApp.now)
            #expect(days.count == 4)
            // The engine ran: sessions planned on those days are proposed elsewhere (or dropped).
            let planned = try await app.database.schedule(coachScope, athleteId: athlete.id, from: from, to: to)
            #expect(!planned.isEmpty, "the plan has sessions on those days")
            let proposals = try await app.database.adaptations(
                coachScope, athleteId: athlete.id, states: [.proposed])
            let away = try #require(proposals.first { $0.kind == .availability }, "\(proposals.map(\.kind))")
            #expect(away.explanation.contains("You cannot train on"))
            // The coach sees and unmarks them under the athlete; another organization gets 404.
            let coach = try await factory.signedIn("coach1@alpha.test")
            #expect(try await coach.get("/o/alpha/athletes/\(athlete.id)/away").body.contains("Conference"))
            let unmark = try await coach.post("/o/alpha/athletes/\(athlete.id)/away/\(days[0].id)/delete")
            #expect(unmark.status == .seeOther)
            let intruder = try await factory.signedIn("coach1@beta.test")
            let foreign = try await intruder.post("/o/beta/athletes/\(athlete.id)/away/\(days[1].id)/delete")
            #expect(foreign.status == .notFound)
            let left = try await app.database.unavailableDays(coachScope, athleteId: athlete.id, now: TestApp.now)
            #expect(left.count == 3)
        }
    }

    @Test func theEnginesPredictionsAndLearnedQuantitiesAreShown() async throws {
        let app = try await TestApp(athletes: 4)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            let organization = try await coach.get("/o/alpha/engine/validation")
            #expect(organization.status == .ok && organization.body.contains("By athlete"))
            #expect(organization.body.contains("Mean error") && organization.body.contains("Bias"))
            let one = try await coach.get("/o/alpha/athletes/\(athlete.id)/form/validation")
            #expect(one.status == .ok && one.body.contains("Each prediction"))
            let owner = try await factory.signedIn(athlete.email)
            #expect(try await owner.get("/o/alpha/form/validation").body.contains("How well the engine predicts you"))
            #expect(try await owner.get("/o/alpha/engine/validation").status == .forbidden)
            let intruder = try await factory.signedIn("coach1@beta.test")
            #expect(try await intruder.get("/o/beta/athletes/\(athlete.id)/form/validation").status == .notFound)
            // The form page names every learned quantity.
            let form = try await coach.get("/o/alpha/athletes/\(athlete.id)/form")
            for label in ["Time between hard sessions", "Weekly ceiling", "Stride mechanics"] {
                #expect(form.body.contains(label), "\(label)")
            }
            // The birth year: saved when plausible, refused otherwise.
            let engine = "/o/alpha/athletes/\(athlete.id)/engine"
            #expect(try await coach.post(engine, [("sex", "female"), ("birth_year", "1968")]).status == .seeOther)
            let after = try await coach.get("/o/alpha/athletes/\(athlete.id)/form")
            #expect(after.body.contains("value=\"1968\"") && after.body.contains("for age"))
            for bad in ["1800", "abc", "2026", "99999999999999999999"] {
                let refused = try await coach.post(engine, [("sex", ""), ("birth_year", bad)])
                #expect(refused.status == .unprocessableContent, "\(bad)")
            }
        }
    }
}
