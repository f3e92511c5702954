import Foundation
import Testing
@testable import PacelineCore

struct ComplianceTests {
    let day = CalendarDate(year: 2027, month: 1, day: 15) ?? .earliest

    func outcome(
        planned: Double?, done: Double?, status: ActivityStatus? = .done, plannedTime: Double? = nil,
        doneTime: Double? = nil, offset: Int = 0
    ) -> SessionOutcome {
        SessionOutcome(
            date: day.adding(days: -offset),
            planned: SessionAmount(distanceMeters: planned, durationSeconds: plannedTime),
            done: done == nil && doneTime == nil ? nil : SessionAmount(distanceMeters: done, durationSeconds: doneTime),
            status: status)
    }

    @Test func bandsFollowTheDoneToPlannedRatio() {
        #expect(outcome(planned: 10_000, done: 10_000).band == .onTarget)
        #expect(outcome(planned: 10_000, done: 8_000).band == .onTarget)  // 80 % is the edge, inclusive
        #expect(outcome(planned: 10_000, done: 7_900).band == .off)
        #expect(outcome(planned: 10_000, done: 12_100).band == .off)
        #expect(outcome(planned: 10_000, done: 4_900).band == .farOff)
        #expect(outcome(planned: 10_000, done: 15_100).band == .farOff)
        #expect(outcome(planned: 10_000, done: nil, status: nil).band == .missed)
        #expect(outcome(planned: 10_000, done: 10_000, status: .skipped).band == .missed)
        // No planned distance: compared by time.
        #expect(outcome(planned: nil, done: 9_000, plannedTime: 3600, doneTime: 3000).ratio == 3000.0 / 3600)
        // Nothing comparable (a strength session ticked off): on target.
        #expect(outcome(planned: nil, done: nil, status: .done, plannedTime: nil, doneTime: 1800).band == .onTarget)
    }

    @Test func windowCountsOnlyItsDays() {
        let outcomes = [
            outcome(planned: 10_000, done: 10_000, offset: 0),
            outcome(planned: 8_000, done: nil, status: nil, offset: 3),
            outcome(planned: 20_000, done: 16_000, offset: 6),
            outcome(planned: 12_000, done: 12_000, offset: 7),  // outside 7 days, inside 28
        ]
        let week = ComplianceSummary(outcomes, days: 7, through: day)
        #expect(week.planned == 3 && week.completed == 2 && week.onTarget == 2)
        #expect(week.plannedDistance == 38_000 && week.doneDistance == 26_000)
        #expect(week.band == .off)  // 68 % of planned distance
        let month = ComplianceSummary(outcomes, days: 28, through: day)
        #expect(month.planned == 4 && month.completed == 3)
        #expect(ComplianceSummary([], days: 7, through: day).sessionRate == nil)
    }
}

struct CSVTests {
    @Test func quotedFieldsSeparatorsAndLineEndings() throws {
        let rows = try CSV.parse("a,b,c\r\n1,\"two, three\",\"say \"\"hi\"\"\"\n\n4,\"multi\nline\",6")
        #expect(rows == [["a", "b", "c"], ["1", "two, three", "say \"hi\""], ["4", "multi\nline", "6"]])
        #expect(try CSV.parse("\u{FEFF}date;hrv\n2027-01-01;60") == [["date", "hrv"], ["2027-01-01", "60"]])
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a,b\n\"open") }
    }

    @Test func checkInRowsSayWhatIsWrong() throws {
        let today = CalendarDate(year: 2027, month: 1, day: 15) ?? .earliest
        let rows = try CheckInCSV.rows(
            "Date,HRV,Resting "
                + "HR,ill\n2027-01-01,60,48,no\n2027-01-01,61,48,no\n2027-13-01,1,1,no\n2027-01-02,60,48,maybe",
            today: today)
        #expect(rows.map(\.line) == [2, 3, 4, 5])
        #expect(rows[0].value?.hrvRMSSD == 60 && rows[0].value?.restingHR == 48)
        #expect(rows[1].problem?.contains("appears twice") == true)
        #expect(rows[2].problem?.contains("is not a date") == true)
        #expect(rows[3].problem == "ill: write yes or no.")
    }

    @Test func activityRowsAcceptTimesAndUnits() throws {
        let today = CalendarDate(year: 2027, month: 1, day: 15) ?? .earliest
        let rows = try ActivityCSV.rows(
            "start_time,type,distance_mi,duration\n2027-01-10T23:30:00Z,Running,6.2,50:00\n"
                + "2027-01-11T07:00:00Z,run,3,25",
            today: today,
            timeZone: TimeZone(identifier: "America/New_York") ?? .gmt)
        let first = try #require(rows[0].value)
        #expect(first.date.description == "2027-01-10")  // 18:30 in New York
        #expect(abs((first.distanceMeters ?? 0) - 6.2 * 1609.344) < 0.01 && first.durationSeconds == 3000)
        #expect(rows[1].problem?.contains("faster than anyone") == true)  // 3 mi in 25 s
    }
}

struct CheckInTests {
    @Test func rangesAndDays() {
        let today = CalendarDate(year: 2027, month: 1, day: 15) ?? .earliest
        #expect(
            CheckIn(date: today, hrvRMSSD: 65, restingHR: 50, sleepHours: 7, sleepQuality: 3, soreness: 1, stress: 5)
                .problems().isEmpty)
        #expect(CheckIn(date: today, hrvRMSSD: 0.5).problems().map(\.field) == ["hrv"])
        #expect(
            CheckIn(date: today, restingHR: 200, sleepHours: 25, soreness: 0).problems().map(\.field) == [
                "resting_hr", "sleep_hours", "soreness",
            ])
        #expect(CheckIn.dateProblem(today.adding(days: 1), today: today) != nil)
        #expect(CheckIn.dateProblem(today.adding(days: -30), today: today) == nil)
    }

    @Test func entriesRefuseImpossibleNumbers() {
        let day = CalendarDate(year: 2027, month: 1, day: 15) ?? .earliest
        #expect(
            ActivityEntry(sport: .run, date: day, distanceMeters: 10_000, durationSeconds: 2400, source: .manual)
                .problems().isEmpty)
        #expect(
            ActivityEntry(sport: .run, date: day, distanceMeters: 10_000, durationSeconds: 600, source: .manual)
                .problems().map(\.field) == ["distance"])
        #expect(
            ActivityEntry(sport: .bike, date: day, distanceMeters: 10_000, durationSeconds: 600, source: .manual)
                .problems().isEmpty)
        #expect(ActivityEntry(sport: .run, date: day, status: .skipped, source: .manual).problems().isEmpty)
        #expect(ActivityEntry(sport: .run, date: day, source: .manual).problems().map(\.field) == ["duration"])
        #expect(
            ActivityEntry(
                sport: .run, date: day, durationSeconds: 60, averageHeartRate: 180, maxHeartRate: 170, rpe: 0,
                source: .manual
            )
            .problems().map(\.field) == ["avg_hr", "rpe"])
        #expect(
            ActivityEntry(sport: .run, date: day, durationSeconds: .infinity, source: .manual).problems().map(\.field)
                == ["duration"])
    }
}
