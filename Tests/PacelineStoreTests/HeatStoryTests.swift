import Foundation
import Testing
@testable import PacelineCore
@testable import PacelineStore

/// The heat rule through the store: a forecast in, heat-adjusted paces proposed, accepted onto
/// the athlete's plan instance (never the template), taken off when the forecast cools, undone.
struct HeatStoryTests {
    let db: AppDatabase
    let story: AdaptationStoryTests
    /// Wednesday 2027-01-13 08:00 UTC (a southern-hemisphere summer, say).
    static let wednesday = AdaptationStoryTests.friday.addingTimeInterval(-2 * 86_400)
    let today = CalendarDate(wednesday, timeZone: .gmt)
    let hot = DayWeather(temperatureC: 31, dewPointC: 22)

    init() async throws {
        story = try await AdaptationStoryTests()
        db = story.db
    }

    func heatProposals(
        _ coach: TenantScope, _ athlete: Athlete, _ states: [AdaptationState] = [.proposed]
    ) async throws -> [AdaptationRecord] {
        try await db.adaptations(coach, athleteId: athlete.id, states: states).filter { $0.kind == .heat }
    }

    @Test func aHotThursdayGetsHeatAdjustedPacesOnTheInstanceOnly() async throws {
        let (coach, athlete, templateId) = try await story.setUp()
        try await story.trainAsPlanned(coach, athlete, before: today)
        let thursday = today.adding(days: 1), saturday = today.adding(days: 3)
        try await db.saveWeather(
            coach, athleteId: athlete.id, [thursday: hot, saturday: DayWeather(temperatureC: 24, dewPointC: 18)],
            now: Self.wednesday)
        #expect(try await db.runEngine(coach, athleteId: athlete.id, now: Self.wednesday) == 2)
        #expect(
            try await db.runEngine(coach, athleteId: athlete.id, now: Self.wednesday) == 0,
            "a second run proposes nothing new")
        let proposals = try await heatProposals(coach, athlete)
        let forThursday = try #require(proposals.first { $0.title.contains("Thursday") })
        #expect(forThursday.explanation.contains("31 °C") && forThursday.explanation.contains("Tempo run 20 min"))

        let before = try await story.schedule(coach, athlete, from: today, days: 7)
        try await db.decideAdaptation(coach, id: forThursday.id, accept: true, now: Self.wednesday)
        let after = try await story.schedule(coach, athlete, from: today, days: 7)
        let tempo = try #require(after[thursday]?.workout)
        #expect(
            tempo.heat == HeatAdjustment(hot) && tempo.name == "Tempo run 20 min"
                && tempo.blocks == before[thursday]?.workout.blocks)
        #expect(after[saturday]?.workout.heat == nil, "Saturday's proposal waits for its own decision")
        #expect(
            try await db.plan(coach, id: templateId).template.weeks[0][.thu]?.heat == nil, "the template is untouched")

        // The forecast cools: the adjustment is proposed off.
        try await db.saveWeather(
            coach, athleteId: athlete.id, [thursday: DayWeather(temperatureC: 16, dewPointC: 7)], now: Self.wednesday)
        #expect(try await db.runEngine(coach, athleteId: athlete.id, now: Self.wednesday) == 1)
        let off = try #require(
            try await heatProposals(coach, athlete).first { $0.title.contains("Heat adjustment off") })
        guard case .replace(_, _, _, let plain)? = off.changes.first else { Issue.record("not a replace"); return }
        #expect(plain.heat == nil)

        // Undo the first instead: the plan is as before, and the "off" proposal can no longer apply.
        try await db.undoAdaptation(coach, id: forThursday.id, now: Self.wednesday)
        #expect(
            try await story.schedule(coach, athlete, from: today, days: 7)[thursday]?.workout
                == before[thursday]?.workout)
        await #expect(throws: StoreError.self) {
            try await db.decideAdaptation(coach, id: off.id, accept: true, now: Self.wednesday)
        }
        #expect(try await db.adaptation(coach, id: off.id).state == .stale)
    }

    @Test func afterTheCoachAcceptsAnEasierWeekTheHotDaysEasyRunGetsItsPaces() async throws {
        let (coach, athlete, _) = try await story.setUp()
        try await story.trainAsPlanned(coach, athlete, before: today)
        let thursday = today.adding(days: 1)
        try await db.saveWeather(coach, athleteId: athlete.id, [thursday: hot], now: Self.wednesday)
        try await db.saveCheckIns(
            coach, athleteId: athlete.id, [CheckIn(date: today, ill: true, illnessNote: "a cold")], fromCSV: false,
            now: Self.wednesday)
        #expect(try await db.runEngine(coach, athleteId: athlete.id, now: Self.wednesday) == 1)
        let sick = try #require(try await db.adaptations(coach, athleteId: athlete.id, states: [.proposed]).first)
        #expect(sick.kind == .sick, "one proposal per session at a time: heat waits for this decision")
        try await db.decideAdaptation(coach, id: sick.id, accept: true, now: Self.wednesday)
        // Accepting ran the engine again: Thursday's easy run now gets its hot day's paces.
        let heat = try #require(try await heatProposals(coach, athlete).first)
        guard case .replace(_, let date, let before, let after)? = heat.changes.first else {
            Issue.record("not a replace"); return
        }
        #expect(date == thursday && before.subtype == .easyRun && after.heat == HeatAdjustment(hot))
    }

    @Test func afterTheCoachRejectsAnEasierWeekTheHotTempoGetsItsPaces() async throws {
        let (coach, athlete, _) = try await story.setUp()
        try await story.trainAsPlanned(coach, athlete, before: today)
        let thursday = today.adding(days: 1)
        try await db.saveWeather(coach, athleteId: athlete.id, [thursday: hot], now: Self.wednesday)
        try await db.saveCheckIns(
            coach, athleteId: athlete.id, [CheckIn(date: today, ill: true)], fromCSV: false, now: Self.wednesday)
        try await db.runEngine(coach, athleteId: athlete.id, now: Self.wednesday)
        let sick = try #require(try await db.adaptations(coach, athleteId: athlete.id, states: [.proposed]).first)
        try await db.decideAdaptation(coach, id: sick.id, accept: false, now: Self.wednesday)
        let heat = try #require(try await heatProposals(coach, athlete).first)
        guard case .replace(_, let date, let before, _)? = heat.changes.first else {
            Issue.record("not a replace"); return
        }
        #expect(date == thursday && before.name == "Tempo run 20 min")
        #expect(try await db.adaptation(coach, id: sick.id).state == .rejected)
    }

    @Test func withAutoApplyTheHotDayIsAdjustedAtOnce() async throws {
        let (coach, athlete, _) = try await story.setUp()
        try await db.setAthleteEngineSettings(coach, athleteId: athlete.id, autoApply: true, sex: nil)
        let thursday = today.adding(days: 1)
        try await db.saveWeather(coach, athleteId: athlete.id, [thursday: hot], now: Self.wednesday)
        try await db.runEngine(coach, athleteId: athlete.id, now: Self.wednesday)
        #expect(try await heatProposals(coach, athlete, [.applied]).count == 1)
        #expect(
            try await story.schedule(coach, athlete, from: today, days: 7)[thursday]?.workout.heat
                == HeatAdjustment(hot))
    }

    @Test func aBadReadingSavesNothingAndAnEmptyDayClearsIt() async throws {
        let (coach, athlete, _) = try await story.setUp()
        let thursday = today.adding(days: 1), friday = today.adding(days: 2)
        try await db.saveWeather(coach, athleteId: athlete.id, [thursday: hot], now: Self.wednesday)
        let snapshot = try await db.contentSnapshot()
        await #expect(throws: StoreError.self) {
            try await db.saveWeather(
                coach, athleteId: athlete.id, [friday: hot, thursday: DayWeather(temperatureC: 20, dewPointC: 26)],
                now: Self.wednesday)
        }
        #expect(try await db.contentSnapshot() == snapshot)
        try await db.saveWeather(coach, athleteId: athlete.id, [thursday: DayWeather?.none], now: Self.wednesday)
        #expect(try await db.weather(coach, athleteId: athlete.id, from: today, to: friday).isEmpty)
    }

    @Test func theDemoHasAHotDayAhead() async throws {
        _ = try await db.seedDemo(
            slug: "demo", athletes: 12, passwordHash: AdaptationStoryTests.hash, now: AdaptationStoryTests.friday)
        let user = try #require(try await db.user(email: "coach1@demo.test"))
        let coach = try #require(try await db.resolveTenant(slug: "demo", userId: user.id))
        let proposals = try await db.adaptations(coach, states: [.proposed])
        #expect(proposals.contains { $0.kind == .heat } && proposals.contains { $0.kind == .sick })
    }
}
