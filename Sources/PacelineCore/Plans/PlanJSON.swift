import Foundation

/// The stable JSON of `paceline plan generate --json`.
public struct PlanJSON: Encodable, Sendable {
    public struct Day: Encodable, Sendable {
        let weekday: String
        let date: String?
        let workout: Workout?

        enum CodingKeys: String, CodingKey { case weekday, date, workout }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(weekday, forKey: .weekday)
            try c.encodeIfPresent(date, forKey: .date)
            try c.encode(workout, forKey: .workout)  // null for rest
        }
    }
    public struct Week: Encodable, Sendable {
        let week: Int
        let phase: String?
        let recovery: Bool
        let days: [Day]
    }

    let duration_in_weeks: Int
    let name: String
    let start_date: String?
    let race_date: String?
    let weeks: [Week]

    public init(_ plan: GeneratedPlan) {
        let template = plan.template
        duration_in_weeks = template.durationInWeeks
        name = template.name
        start_date = plan.startDate?.description
        race_date = template.goal?.date?.description
        weeks = template.weeks.enumerated().map { index, week in
            Week(
                week: index + 1, phase: week.phase?.rawValue, recovery: week.isRecovery,
                days: Weekday.allCases.map { day in
                    Day(
                        weekday: day.code,
                        date: plan.startDate.map { $0.adding(days: index * 7 + day.rawValue).description },
                        workout: week[day])
                })
        }
    }
}
