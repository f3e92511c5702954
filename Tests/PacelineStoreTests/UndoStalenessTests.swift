import Foundation
import Testing
@testable import PacelineCore
@testable import PacelineStore

/// Undo after someone else changed the same session: refused, and the later change stays.
/// Accepting one proposal makes the other pending proposals about the same sessions stale.
extension AdaptationStoryTests {
    /// The cold story up to the proposal (Thursday's tempo to become an easy run), undecided.
    func coldProposed() async throws -> (
        coach: TenantScope, athlete: Athlete, proposal: AdaptationRecord, thursday: CalendarDate, wednesday: Date
    ) {
        let (coach, athlete, _) = try await setUp()
        let wednesday = Self.friday.addingTimeInterval(-2 * 86_400)
        let today = day(wednesday)
        try await trainAsPlanned(coach, athlete, before: today.adding(days: -2))
        var checkIns = (3...62).map { back in
            CheckIn(
                date: today.adding(days: -back), hrvRMSSD: 66 + Double(back % 5) - 2, restingHR: 47 + back % 3,
                sleepHours: 7.5)
        }
        checkIns += (0...2).map {
            CheckIn(date: today.adding(days: -$0), hrvRMSSD: 44 + Double($0), restingHR: 56, sleepHours: 7, ill: true)
        }
        try await db.saveCheckIns(coach, athleteId: athlete.id, checkIns, fromCSV: false, now: wednesday)
        _ = try await db.runEngine(coach, athleteId: athlete.id, now: wednesday)
        let proposal = try #require(
            try await db.adaptations(coach, athleteId: athlete.id, states: [.proposed]).first { $0.kind == .sick })
        return (coach, athlete, proposal, today.adding(days: 1), wednesday)
    }

    /// The cold story up to the coach's accept: Thursday's tempo became an easy run.
    func coldAccepted() async throws -> (
        coach: TenantScope, athlete: Athlete, proposal: AdaptationRecord, thursday: CalendarDate, wednesday: Date
    ) {
        let story = try await coldProposed()
        try await db.decideAdaptation(story.coach, id: story.proposal.id, accept: true, now: story.wednesday)
        return story
    }

    /// The coach puts the library's long run on `date` by hand (the instance's own edit).
    func coachPlacesALongRun(
        _ coach: TenantScope, _ athlete: Athlete, on date: CalendarDate, now: Date
    ) async throws -> Workout {
        let instance = try #require(try await db.instances(coach, athleteId: athlete.id).first)
        let longRun = try #require(Self.library["Long run 90 min"])
        try await db.placeScheduled(
            coach, instanceId: instance.id, date: date, workout: longRun, expectedVersion: instance.version, now: now)
        return longRun
    }

    @Test func acceptingAfterTheCoachEditedTheSameDayIsRefusedAndMarksItStale() async throws {
        let (coach, athlete, proposal, thursday, wednesday) = try await coldProposed()
        let coachsChoice = try await coachPlacesALongRun(coach, athlete, on: thursday, now: wednesday)
        await #expect(throws: StoreError.self) {
            try await db.decideAdaptation(coach, id: proposal.id, accept: true, now: wednesday)
        }
        #expect(
            try await schedule(coach, athlete, from: thursday, days: 1)[thursday]?.workout.name == coachsChoice.name)
        #expect(try await db.adaptations(coach, athleteId: athlete.id).first { $0.id == proposal.id }?.state == .stale)
    }

    @Test func undoAfterTheCoachEditedTheSameDayIsRefusedAndKeepsTheEdit() async throws {
        let (coach, athlete, proposal, thursday, wednesday) = try await coldAccepted()
        let coachsChoice = try await coachPlacesALongRun(coach, athlete, on: thursday, now: wednesday)
        await #expect(throws: StoreError.self) { try await db.undoAdaptation(coach, id: proposal.id, now: wednesday) }
        let after = try await schedule(coach, athlete, from: thursday, days: 1)
        #expect(after[thursday]?.workout.name == coachsChoice.name, "the undo overwrote the coach's edit")
        #expect(
            try await db.adaptations(coach, athleteId: athlete.id).first { $0.id == proposal.id }?.state == .applied)
    }

    @Test func undoWithNothingEditedStillRestores() async throws {
        let (coach, athlete, proposal, thursday, wednesday) = try await coldAccepted()
        try await db.undoAdaptation(coach, id: proposal.id, now: wednesday)
        #expect(
            try await schedule(coach, athlete, from: thursday, days: 1)[thursday]?.workout.name == "Tempo run 20 min")
        #expect(try await db.adaptations(coach, athleteId: athlete.id).first { $0.id == proposal.id }?.state == .undone)
    }
}
