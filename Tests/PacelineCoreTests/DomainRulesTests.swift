import Foundation
import Testing
@testable import PacelineCore

/// The rules that moved out of the web and store layers (issue 14): each has one home in the
/// core, and these tests pin what each decides.
struct DomainRulesTests {
    let today = CalendarDate(year: 2027, month: 3, day: 10) ?? .earliest

    // MARK: What a workout is for

    @Test func everySubtypeHasOneKindAndTheyAgreeWithQuality() {
        #expect(WorkoutKind(.race) == .race)
        #expect(WorkoutKind(.longRun) == .long)
        #expect(WorkoutKind(.tempoRun) == .quality)
        #expect(WorkoutKind(.intervalSwim) == .quality)
        #expect(WorkoutKind(.easyRun) == .easy)
        #expect(WorkoutKind(.mobility) == .easy)
        for subtype in WorkoutSubtype.allCases {
            let kind = WorkoutKind(subtype)
            // A race is also a quality session for the engine, and only races are `.race`.
            #expect((kind == .quality || kind == .race) == subtype.isQuality, "\(subtype)")
            #expect((kind == .race) == [.race, .bikeRace, .triathlon].contains(subtype), "\(subtype)")
        }
    }

    // MARK: Numbers as people type them

    @Test func oneNumberParserForEveryForm() {
        #expect(NumberInput.decimal("10.5") == 10.5)
        #expect(NumberInput.decimal("10,5") == 10.5)
        #expect(NumberInput.decimal(" 7 ") == 7)
        #expect(NumberInput.decimal("\u{2212}3") == -3)
        #expect(NumberInput.decimal("-3,25") == -3.25)
        for bad in ["", " ", "abc", "1e999", "nan", "inf", "1.2.3", "1,2,3", "--1"] {
            #expect(NumberInput.decimal(bad) == nil, "\(bad)")
        }
        #expect(NumberInput.whole(" 42 ") == 42)
        #expect(NumberInput.whole("\u{2212}5") == -5)
        #expect(NumberInput.whole("4.5") == nil)
        #expect(NumberInput.whole("99999999999999999999") == nil)
    }

    // MARK: Compliance: done as planned

    @Test func tickedOffWithoutNumbersIsDoneAsPlanned() {
        let planned = SessionAmount(distanceMeters: 10_000, durationSeconds: 3000)
        let ticked = SessionOutcome(date: today, planned: planned, recorded: nil, recordedStatus: nil, tickedOff: true)
        #expect(ticked.done == planned && ticked.status == .done && ticked.band == .onTarget)
        let nothing = SessionOutcome(
            date: today, planned: planned, recorded: nil, recordedStatus: nil, tickedOff: false)
        #expect(nothing.done == nil && nothing.band == .missed)
        // A recorded activity speaks for itself, ticked or not.
        let short = SessionAmount(distanceMeters: 4000, durationSeconds: 1500)
        let recorded = SessionOutcome(
            date: today, planned: planned, recorded: short, recordedStatus: .partial, tickedOff: true)
        #expect(recorded.done == short && recorded.status == .partial && recorded.band == .farOff)
    }

    @Test func todaysSessionIsNotDueUntilSomethingIsRecorded() {
        #expect(SessionOutcome.isDue(date: today.adding(days: -1), today: today, recorded: false, tickedOff: false))
        #expect(!SessionOutcome.isDue(date: today, today: today, recorded: false, tickedOff: false))
        #expect(SessionOutcome.isDue(date: today, today: today, recorded: true, tickedOff: false))
        #expect(SessionOutcome.isDue(date: today, today: today, recorded: false, tickedOff: true))
        #expect(!SessionOutcome.isDue(date: today.adding(days: 1), today: today, recorded: false, tickedOff: false))
    }

    // MARK: Pauses and race dates

    @Test func aPauseMayStartUpToSixtyDaysBackAndNotLater() {
        #expect(PauseRule.start(since: nil, today: today) == today)
        #expect(PauseRule.start(since: today.adding(days: -3), today: today) == today.adding(days: -3))
        #expect(PauseRule.start(since: today.adding(days: -PauseRule.maxBackdateDays), today: today) != nil)
        #expect(PauseRule.start(since: today.adding(days: -PauseRule.maxBackdateDays - 1), today: today) == nil)
        #expect(PauseRule.start(since: today.adding(days: 1), today: today) == nil)
        #expect(PauseRule.message.contains("\(PauseRule.maxBackdateDays) days"))
    }

    @Test func aRaceAlreadyRunCannotAnchorAPlanButAPastStartCan() {
        #expect(PlanPlacement.raceDate(today.adding(days: -1)).problem(today: today) != nil)
        #expect(PlanPlacement.raceDate(today).problem(today: today) == nil)
        #expect(PlanPlacement.start(today.adding(days: -30)).problem(today: today) == nil)
    }

    // MARK: Activities

    func entry(
        _ source: ActivitySource, distance: Double = 10_000, seconds: Double = 2700, rpe: Int? = nil,
        status: ActivityStatus = .done, sport: Sport = .run
    ) -> ActivityEntry {
        ActivityEntry(
            sport: sport, date: today, status: status, distanceMeters: distance, durationSeconds: seconds,
            averageHeartRate: 150, rpe: rpe, notes: "", source: source)
    }

    @Test func aFilesNumbersAreNotEditedByHand() {
        let file = entry(.fit)
        var edit = entry(.manual, distance: 21_000, seconds: 100, rpe: 7, status: .partial, sport: .bike)
        edit.notes = "windy"
        edit.feel = .tired
        let kept = file.applyingHandEdit(edit)
        #expect(
            kept.distanceMeters == 10_000 && kept.durationSeconds == 2700 && kept.sport == .run && kept.source == .fit)
        #expect(kept.status == .partial && kept.rpe == 7 && kept.notes == "windy" && kept.feel == .tired)
        // A hand-written log is the athlete's to change, and stays hand-written.
        let manual = entry(.manual).applyingHandEdit(edit)
        #expect(manual.distanceMeters == 21_000 && manual.sport == .bike && manual.source == .manual)
        let csv = entry(.csv).applyingHandEdit(edit)
        #expect(csv.distanceMeters == 21_000 && csv.source == .csv)
        #expect(ActivitySource.allCases.filter(\.isFile) == [.gpx, .tcx, .fit])
    }

    @Test func racesAndHardRunsOfThreeKilometresAreMarkers() throws {
        let vdot = try #require(entry(.gpx, distance: 5000, seconds: 1200, rpe: 9).performanceMarker(wasRace: false))
        #expect(abs(vdot - (try RaceResult(meters: 5000, seconds: 1200)).vdot.value) < 1e-9)
        #expect(entry(.gpx, distance: 5000, seconds: 1200, rpe: 7).performanceMarker(wasRace: false) == nil)
        #expect(entry(.gpx, distance: 5000, seconds: 1200, rpe: nil).performanceMarker(wasRace: true) != nil)
        #expect(entry(.gpx, distance: 2999, seconds: 700, rpe: 10).performanceMarker(wasRace: true) == nil)
        #expect(entry(.gpx, distance: 3000, seconds: 599, rpe: 10).performanceMarker(wasRace: true) == nil)
        #expect(
            entry(.gpx, distance: 5000, seconds: 1200, rpe: 9, status: .partial).performanceMarker(wasRace: true) == nil
        )
        #expect(
            entry(.gpx, distance: 20_000, seconds: 2400, rpe: 9, sport: .bike).performanceMarker(wasRace: true) == nil)
    }
}
