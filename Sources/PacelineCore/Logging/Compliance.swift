import Foundation

/// How closely what was done matches what was planned, by session and over a window.
///
/// Convention (the bands coaches know from TrainingPeaks): the done/planned ratio of distance (or
/// of time when the plan gives no distance) is **on target** from 80 % to 120 %, **off** from 50 %
/// to 80 % or 120 % to 150 %, **far off** beyond; a planned session with nothing done is
/// **missed**. A session done with no numbers to compare (a strength session ticked off) counts
/// as on target.
public enum ComplianceBand: String, Sendable, Hashable {
    case onTarget = "on-target", off, farOff = "far-off", missed

    public var label: String {
        switch self {
        case .onTarget: "On target"
        case .off: "Partly"
        case .farOff: "Far off"
        case .missed: "Missed"
        }
    }

    public static let onTargetRange = 0.8...1.2
    public static let offRange = 0.5...1.5

    public init(ratio: Double?) {
        guard let ratio, ratio.isFinite else { self = .onTarget; return }
        if Self.onTargetRange.contains(ratio) {
            self = .onTarget
        } else if Self.offRange.contains(ratio) {
            self = .off
        } else if ratio > 0 {
            self = .farOff
        } else {
            self = .missed
        }
    }
}

/// Planned or done amounts of one session.
public struct SessionAmount: Sendable, Hashable {
    public var distanceMeters: Double?
    public var durationSeconds: Double?
    public init(distanceMeters: Double?, durationSeconds: Double?) {
        self.distanceMeters = distanceMeters.flatMap { $0 > 0 ? $0 : nil }
        self.durationSeconds = durationSeconds.flatMap { $0 > 0 ? $0 : nil }
    }
}

/// One planned session and what became of it.
public struct SessionOutcome: Sendable, Hashable {
    public let date: CalendarDate
    public let planned: SessionAmount
    /// Nil when nothing was recorded; skipped sessions have status `.skipped`.
    public let done: SessionAmount?
    public let status: ActivityStatus?

    public init(date: CalendarDate, planned: SessionAmount, done: SessionAmount?, status: ActivityStatus?) {
        self.date = date
        self.planned = planned
        self.done = done
        self.status = status
    }

    /// Done ÷ planned, by distance when both have one, else by time; nil when there is nothing to compare.
    /// A planned session and what was recorded for it. A session ticked off with no activity
    /// counts as done as planned (the athlete said "done" without numbers); a recorded activity
    /// speaks for itself; neither means nothing was done.
    public init(
        date: CalendarDate, planned: SessionAmount, recorded: SessionAmount?, recordedStatus: ActivityStatus?,
        tickedOff: Bool
    ) {
        if let recorded, let recordedStatus {
            self.init(date: date, planned: planned, done: recorded, status: recordedStatus)
        } else {
            self.init(date: date, planned: planned, done: tickedOff ? planned : nil, status: tickedOff ? .done : nil)
        }
    }

    /// Whether a planned session counts towards compliance yet: past days always, today once
    /// something was recorded or ticked off (today's run is not "missed" at breakfast).
    public static func isDue(date: CalendarDate, today: CalendarDate, recorded: Bool, tickedOff: Bool) -> Bool {
        date < today || recorded || tickedOff
    }

    public var ratio: Double? {
        guard let done, status != .skipped else { return nil }
        if let p = planned.distanceMeters, let d = done.distanceMeters { return d / p }
        if let p = planned.durationSeconds, let d = done.durationSeconds { return d / p }
        return nil
    }

    public var isDone: Bool { done != nil && status != .skipped }

    public var band: ComplianceBand {
        guard isDone else { return .missed }
        return ComplianceBand(ratio: ratio)
    }
}

/// Compliance over a window of days (7 or 28 ending yesterday or today).
public struct ComplianceSummary: Sendable, Hashable {
    public let days: Int
    public let planned: Int
    public let completed: Int
    public let onTarget: Int
    public let plannedDistance: Double
    public let doneDistance: Double
    public let plannedDuration: Double
    public let doneDuration: Double

    /// Sessions `outcomes` dated within `days` days up to and including `through`.
    public init(_ outcomes: [SessionOutcome], days: Int, through: CalendarDate) {
        let from = through.adding(days: -(days - 1))
        let window = outcomes.filter { $0.date >= from && $0.date <= through }
        self.days = days
        planned = window.count
        completed = window.filter(\.isDone).count
        onTarget = window.filter { $0.band == .onTarget }.count
        plannedDistance = window.reduce(0) { $0 + ($1.planned.distanceMeters ?? 0) }
        doneDistance = window.reduce(0) { $0 + ($1.isDone ? ($1.done?.distanceMeters ?? 0) : 0) }
        plannedDuration = window.reduce(0) { $0 + ($1.planned.durationSeconds ?? 0) }
        doneDuration = window.reduce(0) { $0 + ($1.isDone ? ($1.done?.durationSeconds ?? 0) : 0) }
    }

    /// Share of planned sessions done, 0–1; nil with nothing planned.
    public var sessionRate: Double? { planned > 0 ? Double(completed) / Double(planned) : nil }
    /// Done distance ÷ planned distance; nil when nothing had a planned distance.
    public var distanceRate: Double? { plannedDistance > 0 ? doneDistance / plannedDistance : nil }

    /// The band of the whole window: by distance when planned, else by sessions done.
    public var band: ComplianceBand {
        guard planned > 0 else { return .onTarget }
        if completed == 0 { return .missed }
        return ComplianceBand(ratio: distanceRate ?? sessionRate)
    }
}
