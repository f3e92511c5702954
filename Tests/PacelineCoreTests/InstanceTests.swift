import Foundation
import Testing
@testable import PacelineCore

struct InstanceTests {
    static func d(_ s: String) -> CalendarDate { CalendarDate(s)! }
    static let easy = Workout(
        name: "Easy", sport: .run, subtype: .easyRun, blocks: [WorkoutBlock(.run, distance: 5000)])
    static let race = Workout(
        name: "Race", sport: .run, subtype: .race, blocks: [WorkoutBlock(.run, distance: 10_000, pace: .z3)])

    /// Two weeks: Tue and Thu easy, and (week 2) a race on Sunday.
    static let template: PlanTemplate = {
        var week1 = PlanWeek(), week2 = PlanWeek()
        week1[.tue] = easy; week1[.thu] = easy
        week2[.tue] = easy; week2[.sun] = race
        return PlanTemplate(name: "T", weeks: [week1, week2])
    }()

    @Test func placementFromAStartDateKeepsWeekdays() {
        // A Wednesday start begins on the following Monday.
        let dates = PlanSchedule.dates(for: Self.template, placement: .start(Self.d("2026-11-25"))).map(
            \.date.description)
        #expect(dates == ["2026-12-01", "2026-12-03", "2026-12-08", "2026-12-13"])
        let monday = PlanSchedule.dates(for: Self.template, placement: .start(Self.d("2026-11-30"))).map(
            \.date.description)
        #expect(monday.first == "2026-12-01")
    }

    @Test func placementFromARaceDateEndsOnRaceDay() {
        let sunday = PlanSchedule.dates(for: Self.template, placement: .raceDate(Self.d("2027-03-07")))
        #expect(sunday.last?.date == Self.d("2027-03-07") && sunday.last?.workout.subtype == .race)
        #expect(sunday.first?.date == Self.d("2027-02-23"))
        // A Saturday race: the race moves onto it, within the last week.
        let saturday = PlanSchedule.dates(for: Self.template, placement: .raceDate(Self.d("2027-03-06")))
        #expect(
            saturday.last?.date == Self.d("2027-03-06")
                && saturday.map(\.date).allSatisfy { $0 <= Self.d("2027-03-06") })
        #expect(saturday.count == 4)
    }

    @Test func pauseAndResumeShiftByWholeWeeks() throws {
        var state = InstanceState(status: .active)
        try state.pause(on: Self.d("2026-11-27"))  // Friday
        #expect(state.status == .paused && !state.shows(Self.d("2026-11-27")) && state.shows(Self.d("2026-11-26")))
        let shift = try state.resume(on: Self.d("2026-12-02"))  // 5 days later, across the month boundary
        #expect(shift == 7 && state.status == .active && state.pausedSince == nil)
        // What moves on resume is the store's (ResumeTests in PacelineStoreTests).
        // Several pauses add up.
        try state.pause(on: Self.d("2026-12-10"))
        #expect(try state.resume(on: Self.d("2026-12-24")) == 14)
        #expect(
            InstanceState.shift(forPausedDays: 0) == 0 && InstanceState.shift(forPausedDays: 1) == 7
                && InstanceState.shift(forPausedDays: 8) == 14)
    }

    @Test func transitionsFollowTheLifecycle() throws {
        func refuses(_ state: InstanceState, _ change: (inout InstanceState) throws -> Void) -> Bool {
            var copy = state
            do { try change(&copy); return false } catch { return copy == state }
        }
        var state = InstanceState(status: .active)
        let refused1 = refuses(state) { _ = try $0.resume(on: Self.d("2026-12-01")) }
        #expect(refused1)
        try state.pause(on: Self.d("2026-12-01"))
        let refused2 = refuses(state) { try $0.pause(on: Self.d("2026-12-02")) }
        #expect(refused2)
        try state.cancel()
        #expect(state.status == .cancelled && !state.shows(Self.d("2025-01-01")))
        let refused3 = refuses(state) { try $0.cancel() }
        #expect(refused3)
        let refused4 = refuses(state) { try $0.pause(on: Self.d("2026-12-03")) }
        #expect(refused4)

        var done = InstanceState(status: .active)
        let sameDay = done.completeIfFinished(lastDate: Self.d("2026-12-01"), today: Self.d("2026-12-01"))
        let nextDay = done.completeIfFinished(lastDate: Self.d("2026-12-01"), today: Self.d("2026-12-02"))
        #expect(!sameDay && nextDay)
        #expect(done.status == .completed && done.status.isFinal)
        var paused = InstanceState(status: .paused, pausedSince: Self.d("2026-11-01"))
        let pausedCompletes = paused.completeIfFinished(lastDate: Self.d("2026-11-02"), today: Self.d("2026-12-02"))
        #expect(!pausedCompletes)
    }

    @Test func iCalendarEscapesFoldsAndUsesDates() {
        let long = String(repeating: "Ä", count: 60) + "; done, \\ really\nnext line"
        let cal = ICalendar(
            name: "Sam's plan",
            events: [
                ICalendar.Event(
                    uid: "sw-42@paceline", date: Self.d("2026-12-01"), summary: "Tempo, 20 min; easy",
                    description: long,
                    sequence: 3, stamp: Date(timeIntervalSince1970: 1_800_000_000))
            ]
        ).render()
        #expect(cal.hasPrefix("BEGIN:VCALENDAR\r\n") && cal.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!cal.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(cal.contains("DTSTART;VALUE=DATE:20261201\r\n") && cal.contains("DTEND;VALUE=DATE:20261202\r\n"))
        #expect(
            cal.contains("SUMMARY:Tempo\\, 20 min\\; easy") && cal.contains("SEQUENCE:3")
                && cal.contains("UID:sw-42@paceline"))
        #expect(cal.contains("DTSTAMP:20270115T080000Z"))
        for line in cal.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75, "\(line)") }
        let unfolded = cal.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("\\; done\\, \\\\ really\\nnext line"))
        #expect(unfolded.contains(String(repeating: "Ä", count: 60)))
    }
}
