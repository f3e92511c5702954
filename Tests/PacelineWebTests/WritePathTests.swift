import Foundation
import PacelineCore
import PacelineStore
import Testing

@testable import PacelineWeb

/// Issue 20, item 2: a save answers as soon as it is durable; the engine's look at the new data runs
/// right after, once for a burst of saves by the same athlete — and still sees every one of them.
struct WritePathTests {
    @Test func aBurstOfSavesIsOneLookByTheEngineThatSeesThemAll() async throws {
        let app = try await TestApp(athletes: 4)
        let coachScope = try await app.scope("alpha", "coach1@alpha.test")
        let athlete = try #require(try await TestApp.athleteOnActivePlan(app.database, coachScope))
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        let before = await (app.deps.engine.runs, app.deps.engine.joined)
        try await app.run { factory in
            let owner = try await factory.signedIn(athlete.email)
            let (cookies, csrf) = (owner.cookies, owner.csrf)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for day in 1...8 {
                    group.addTask {
                        // One browser each (a browser keeps its cookies), in the same session.
                        let tab = factory.browser()
                        tab.cookies = cookies
                        tab.csrf = csrf
                        let status = try await tab.post(
                            "/o/alpha/checkin", [("date", today.adding(days: -day).description), ("hrv", "\(50 + day)")]
                        ).status
                        #expect(status == .seeOther)
                    }
                }
                try await group.waitForAll()
            }
            // The last save of the burst: ill today.
            #expect(
                try await owner.post("/o/alpha/checkin", [("date", today.description), ("ill", "1")]).status
                    == .seeOther)
        }
        await app.deps.engine.idle()
        let after = await (app.deps.engine.runs, app.deps.engine.joined)
        // Every save asked; each asked either for a run or joined one already waiting.
        #expect((after.0 - before.0) + (after.1 - before.1) == 9)
        #expect(after.0 - before.0 >= 1)
        // The run after the last save saw it: the illness is proposed and the board is red.
        let proposals = try await app.database.adaptations(coachScope, athleteId: athlete.id, states: [.proposed])
        #expect(proposals.contains { $0.kind == .sick }, "the engine did not see the last save")
        let row = try #require(try await app.database.triage(coachScope, today: today).first { $0.id == athlete.id })
        #expect(row.readiness == .red)
    }

    @Test func theScheduledRunIsNotRepeatedByARestart() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let interval = Double(EngineService.interval.components.seconds)
        #expect(EngineService.wait(lastRun: nil, now: now) == 0)
        #expect(EngineService.wait(lastRun: now.addingTimeInterval(-3600), now: now) == interval - 3600)
        #expect(EngineService.wait(lastRun: now.addingTimeInterval(-interval - 1), now: now) == 0)
        // Another server's clock ahead of ours: never more than one interval.
        #expect(EngineService.wait(lastRun: now.addingTimeInterval(86_400), now: now) == interval)
    }

    @Test func theRunOverEveryAthleteIsRecordedInTheDatabase() async throws {
        let app = try await TestApp(athletes: 2)
        let later = TestApp.now.addingTimeInterval(7200)
        _ = try await app.database.runEngineForAll(now: later)
        #expect(try await app.database.lastEngineRunForAll() == later)
    }
}
