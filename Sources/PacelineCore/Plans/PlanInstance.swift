import Foundation

/// Where an assigned plan starts.
public enum PlanPlacement: Sendable, Hashable {
    /// Week 1 begins on the Monday on or after this date.
    case start(CalendarDate)
    /// The last week is the race week and the race (the plan's last workout) falls on this date.
    case raceDate(CalendarDate)
}

/// One dated workout of an athlete's plan instance.
public struct DatedWorkout: Sendable, Hashable {
    public var date: CalendarDate
    public var workout: Workout

    public init(date: CalendarDate, workout: Workout) {
        self.date = date
        self.workout = workout
    }
}

extension PlanPlacement {
    /// Why this placement cannot be assigned on `today`, or nil. A race already run cannot anchor
    /// a plan; a start date in the past is allowed (a coach records a plan already under way).
    public func problem(today: CalendarDate) -> String? {
        if case .raceDate(let date) = self, date < today { return "The race date is in the past." }
        return nil
    }
}

/// How far back a pause may start ("she has been ill since Monday"): far enough to record an
/// illness after the fact, not so far that months of history are rewritten.
public enum PauseRule {
    public static let maxBackdateDays = 60

    public static let message = "The pause can start today or up to \(maxBackdateDays) days ago (YYYY-MM-DD)."

    /// The first paused day for a pause asked for on `today` from `since` (nil: today), or nil when
    /// `since` is in the future or too long ago.
    public static func start(since: CalendarDate?, today: CalendarDate) -> CalendarDate? {
        guard let since else { return today }
        guard since <= today, since.days(until: today) <= maxBackdateDays else { return nil }
        return since
    }
}

public enum PlanSchedule {
    /// The dates of a template's workouts for a placement: each keeps its weekday.
    public static func dates(for template: PlanTemplate, placement: PlanPlacement) -> [DatedWorkout] {
        let weeks = template.weeks.count
        let firstMonday: CalendarDate
        switch placement {
        case .start(let date):
            firstMonday = date.weekdayIndex == 0 ? date : date.mondayOfWeek.adding(days: 7)
        case .raceDate(let date):
            firstMonday = date.mondayOfWeek.adding(days: -7 * max(weeks - 1, 0))
        }
        var out: [DatedWorkout] = []
        for (index, week) in template.weeks.enumerated() {
            for day in Weekday.allCases {
                guard let workout = week[day] else { continue }
                out.append(DatedWorkout(date: firstMonday.adding(days: index * 7 + day.rawValue), workout: workout))
            }
        }
        if case .raceDate(let race) = placement, let lastIndex = out.indices.last,
            out[lastIndex].workout.kind == .race
        {
            // The race moves onto race day within its week; nothing is scheduled after it.
            out[lastIndex].date = race
            out = out.enumerated().filter { $0.offset == lastIndex || $0.element.date < race }.map(\.element)
        }
        return out
    }
}

/// The lifecycle of an athlete's plan (DESIGN.md): active → paused → active, active|paused →
/// cancelled, active → completed when the last scheduled day has passed. Cancelled and completed are final.
public enum InstanceStatus: String, Sendable, CaseIterable, Codable {
    case active, paused, completed, cancelled

    public var isFinal: Bool { self == .completed || self == .cancelled }
    public var label: String { rawValue.capitalized }
}

public struct LifecycleError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The state a transition needs and produces; the store persists it.
public struct InstanceState: Sendable, Hashable {
    public var status: InstanceStatus
    /// The first paused day while paused.
    public var pausedSince: CalendarDate?

    public init(status: InstanceStatus, pausedSince: CalendarDate? = nil) {
        self.status = status
        self.pausedSince = pausedSince
    }

    public mutating func pause(on day: CalendarDate) throws(LifecycleError) {
        guard status == .active else {
            throw LifecycleError("Only an active plan can be paused (this one is \(status.rawValue)).")
        }
        status = .paused
        pausedSince = day
    }

    /// Resumes on `day`; returns how many days the remaining workouts move later: the paused span
    /// rounded up to whole weeks, so every workout keeps its weekday and none lands on a paused day.
    public mutating func resume(on day: CalendarDate) throws(LifecycleError) -> Int {
        guard status == .paused, let since = pausedSince else {
            throw LifecycleError("Only a paused plan can be resumed.")
        }
        let span = max(since.days(until: day), 0)
        status = .active
        pausedSince = nil
        return Self.shift(forPausedDays: span)
    }

    public static func shift(forPausedDays span: Int) -> Int { span <= 0 ? 0 : ((span + 6) / 7) * 7 }

    public mutating func cancel() throws(LifecycleError) {
        guard !status.isFinal else { throw LifecycleError("This plan is already \(status.rawValue).") }
        status = .cancelled
        pausedSince = nil
    }

    /// Active plans whose last workout day is before `today` are completed.
    public mutating func completeIfFinished(lastDate: CalendarDate?, today: CalendarDate) -> Bool {
        guard status == .active, let lastDate, lastDate < today else { return false }
        status = .completed
        return true
    }

    /// Whether a workout on `date` is shown (calendar, feed, today): not while paused from that day
    /// on, never for a cancelled plan.
    public func shows(_ date: CalendarDate) -> Bool {
        switch status {
        case .cancelled: false
        case .paused: pausedSince.map { date < $0 } ?? true
        case .active, .completed: true
        }
    }
}
