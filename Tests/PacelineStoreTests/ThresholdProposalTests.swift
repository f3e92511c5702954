import Foundation
import Testing
@testable import PacelineCore
@testable import PacelineStore

/// Issue 19, item 5, through the store: a ride, a hard run and a swim test become threshold proposals; the
/// coach accepts (the history gains a detected value from the day of the evidence, zones and load follow),
/// undoes, or finds the proposal stale when someone entered a threshold since.
extension AdaptationStoryTests {
    func ftp(_ coach: TenantScope, _ athlete: Athlete, on day: CalendarDate) async throws -> Double? {
        SportThresholds(history: try await db.thresholds(coach, athleteId: athlete.id).map(\.entry), on: day).ftp
    }

    /// A ride `daysAgo` before Friday whose best 20 minutes held `watts`.
    func importRide(_ coach: TenantScope, _ athlete: Athlete, daysAgo: Int, best20 watts: Double) async throws -> Int64
    {
        let date = day(Self.friday).adding(days: -daysAgo)
        var ride = ActivityEntry(
            sport: .bike, startTime: try #require(ISO8601.parse("\(date)T09:00:00Z")), date: date,
            distanceMeters: 60_000, durationSeconds: 7200, averageHeartRate: 140, source: .fit)
        ride.averagePower = watts * 0.7
        ride.normalizedPower = watts * 0.78
        ride.bestPower20Minutes = watts
        guard
            case .imported(let id, _, _) = try await db.importActivity(
                coach, athleteId: athlete.id, ride, file: nil, now: Self.friday)
        else { throw StoreError.invalid("not imported") }
        return id
    }

    @Test func aStrongRideProposesFTPAndAcceptingItMovesTheZonesFromThatDay() async throws {
        let (coach, athlete, _) = try await setUp()
        let today = day(Self.friday)
        let before = try #require(try await ftp(coach, athlete, on: today), "the demo's odd athletes have an FTP")
        let watts = ((before + 30) / 0.95).rounded()
        let rideId = try await importRide(coach, athlete, daysAgo: 1, best20: watts)
        // What the file said is stored with the activity.
        let stored = try await db.activity(coach, id: rideId).entry
        #expect(stored.bestPower20Minutes == watts && stored.normalizedPower == watts * 0.78)

        _ = try await db.runEngine(coach, athleteId: athlete.id, now: Self.friday)
        let proposal = try #require(
            try await db.adaptations(coach, athleteId: athlete.id, states: [.proposed]).first { $0.kind == .threshold })
        let expected = (watts * 0.95).rounded()
        #expect(
            proposal.changes == [
                .setThreshold(kind: .ftp, from: before, to: expected, validFrom: today.adding(days: -1))
            ])
        #expect(proposal.explanation.contains("\(Int(watts)) W"))

        try await db.decideAdaptation(coach, id: proposal.id, accept: true, now: Self.friday)
        #expect(try await ftp(coach, athlete, on: today) == expected)
        #expect(try await ftp(coach, athlete, on: today.adding(days: -2)) == before, "the days before keep theirs")
        let detected = try #require(
            try await db.thresholds(coach, athleteId: athlete.id).first { $0.entry.source == .detected })
        #expect(detected.entry.kind == .ftp && detected.entry.validFrom == today.adding(days: -1))
        // The engine's load of that ride now uses the new FTP (power, the most trusted source).
        let model = try await db.athleteModel(coach, athleteId: athlete.id, now: Self.friday)
        let ride = try #require(model.input.activities.first { $0.sport == .bike })
        let load = try #require(Load.of(ride, model.input.physiology))
        #expect(load.source == .power)
        #expect(abs(load.value - 2 * pow(watts * 0.78 / expected, 2) * 100) < 1e-6)
        // The next run proposes it no more.
        _ = try await db.runEngine(coach, athleteId: athlete.id, now: Self.friday.addingTimeInterval(3600))
        #expect(
            try await db.adaptations(coach, athleteId: athlete.id, states: [.proposed]).allSatisfy {
                $0.kind != .threshold
            })

        // Undo: the detected value goes, the FTP before it is in force again.
        try await db.undoAdaptation(coach, id: proposal.id, now: Self.friday)
        #expect(try await ftp(coach, athlete, on: today) == before)
        #expect(try await db.thresholds(coach, athleteId: athlete.id).allSatisfy { $0.entry.source != .detected })
    }

    /// A ride 40 W over the demo FTP `daysAgo` before Friday, the engine run: its FTP proposal, undecided.
    func ftpProposed(
        daysAgo: Int
    ) async throws -> (
        coach: TenantScope, athlete: Athlete, proposal: AdaptationRecord, today: CalendarDate, before: Double
    ) {
        let (coach, athlete, _) = try await setUp()
        let today = day(Self.friday)
        let before = try #require(try await ftp(coach, athlete, on: today))
        _ = try await importRide(coach, athlete, daysAgo: daysAgo, best20: ((before + 40) / 0.95).rounded())
        _ = try await db.runEngine(coach, athleteId: athlete.id, now: Self.friday)
        let proposal = try #require(
            try await db.adaptations(coach, athleteId: athlete.id, states: [.proposed]).first { $0.kind == .threshold })
        return (coach, athlete, proposal, today, before)
    }

    @Test func anFTPEnteredAfterTheProposalMakesItStaleAndTheEnteredValueStays() async throws {
        let (coach, athlete, proposal, today, before) = try await ftpProposed(daysAgo: 2)
        try await db.addThreshold(
            coach, athleteId: athlete.id,
            ThresholdEntry(kind: .ftp, value: before + 5, validFrom: today, source: .test),
            now: Self.friday)
        await #expect(throws: StoreError.self) {
            try await db.decideAdaptation(coach, id: proposal.id, accept: true, now: Self.friday)
        }
        #expect(try await ftp(coach, athlete, on: today) == before + 5)
        #expect(try await db.adaptations(coach, athleteId: athlete.id).first { $0.id == proposal.id }?.state == .stale)
    }

    @Test func undoIsRefusedWhenTheDetectedValueWasRemovedOrReplaced() async throws {
        let (coach, athlete, proposal, today, before) = try await ftpProposed(daysAgo: 1)
        try await db.decideAdaptation(coach, id: proposal.id, accept: true, now: Self.friday)
        // The athlete types another value for the same day: it replaces the detected one; undo would lose it.
        try await db.addThreshold(
            coach, athleteId: athlete.id,
            ThresholdEntry(kind: .ftp, value: before + 12, validFrom: today.adding(days: -1), source: .entered),
            now: Self.friday)
        await #expect(throws: StoreError.self) { try await db.undoAdaptation(coach, id: proposal.id, now: Self.friday) }
        #expect(try await ftp(coach, athlete, on: today) == before + 12)
    }

    @Test func aSwimTestAndAHardRunProposeCSSAndTheRunningThresholdHeartRate() async throws {
        let (coach, athlete, _) = try await setUp()
        let today = day(Self.friday)
        let wednesday = today.adding(days: -2)
        for (meters, seconds) in [(400.0, 330.0), (200.0, 150.0)] {
            _ = try await db.importActivity(
                coach, athleteId: athlete.id,
                ActivityEntry(
                    sport: .swim, date: wednesday, distanceMeters: meters, durationSeconds: seconds, rpe: 9,
                    source: .manual),
                file: nil, now: Self.friday)
        }
        var run = ActivityEntry(
            sport: .run, startTime: try #require(ISO8601.parse("\(today.adding(days: -1))T07:00:00Z")),
            date: today.adding(days: -1), distanceMeters: 9000, durationSeconds: 2100, averageHeartRate: 178,
            rpe: 9, source: .fit)
        run.effortHeartRate = 199
        _ = try await db.importActivity(coach, athleteId: athlete.id, run, file: nil, now: Self.friday)
        _ = try await db.runEngine(coach, athleteId: athlete.id, now: Self.friday)
        let proposals = try await db.adaptations(coach, athleteId: athlete.id, states: [.proposed])
            .filter { $0.kind == .threshold }
        let changes = proposals.flatMap(\.changes)
        #expect(changes.contains { if case .setThreshold(.css, _, 90, wednesday) = $0 { true } else { false } })
        #expect(changes.contains { if case .setThreshold(.lthrRun, _, 199, _) = $0 { true } else { false } })
        for proposal in proposals {
            try await db.decideAdaptation(coach, id: proposal.id, accept: true, now: Self.friday)
        }
        let now = SportThresholds(
            history: try await db.thresholds(coach, athleteId: athlete.id).map(\.entry), on: today)
        #expect(now.cssPer100m == 90 && now.lthrRun == 199)
    }

    @Test func anotherOrganizationsCoachCannotDecideTheProposal() async throws {
        let (coach, athlete, proposal, _, before) = try await ftpProposed(daysAgo: 1)
        _ = try await db.seedDemo(slug: "rival", athletes: 1, passwordHash: Self.hash, now: Self.friday)
        let rivalUser = try #require(try await db.user(email: "coach1@rival.test"))
        let rival = try #require(try await db.resolveTenant(slug: "rival", userId: rivalUser.id))
        await #expect(throws: StoreError.notFound) {
            try await db.decideAdaptation(rival, id: proposal.id, accept: true, now: Self.friday)
        }
        #expect(try await ftp(coach, athlete, on: day(Self.friday)) == before)
    }
}
