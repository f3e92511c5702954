import Foundation

/// Monday-first weekdays, as plans lay out weeks.
public enum Weekday: Int, Sendable, CaseIterable, Codable, Comparable {
    case mon = 0, tue, wed, thu, fri, sat, sun

    public var code: String { ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][rawValue] }
    public var label: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][rawValue]
    }
    public var short: String { ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][rawValue] }

    public init?(code: String) {
        guard let day = Weekday.allCases.first(where: { $0.code == code.lowercased() }) else { return nil }
        self = day
    }

    /// The weekday of a calendar date.
    public init(_ date: CalendarDate) {
        self = Weekday(rawValue: date.weekdayIndex) ?? .mon
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a weekday is for in a plan.
public enum DayKind: String, Sendable, CaseIterable, Codable {
    case rest, easy, quality, long

    public var label: String { rawValue.capitalized }
}

/// For each weekday: rest, easy, quality or long.
public struct DayPattern: Sendable, Hashable, Codable {
    public var kinds: [DayKind]  // 7, Monday first

    public init(_ kinds: [DayKind]) {
        self.kinds = (kinds + Array(repeating: DayKind.rest, count: 7)).prefix(7).map { $0 }
    }

    public subscript(_ day: Weekday) -> DayKind {
        get { kinds[day.rawValue] }
        set { kinds[day.rawValue] = newValue }
    }

    public func days(_ kind: DayKind) -> [Weekday] { Weekday.allCases.filter { self[$0] == kind } }
    public var trainingDays: Int { kinds.filter { $0 != .rest }.count }

    /// "rest,easy,quality,easy,rest,long,easy" ↔ pattern.
    public var code: String { kinds.map(\.rawValue).joined(separator: ",") }
    public init?(code: String) {
        let kinds = code.split(separator: ",").compactMap { DayKind(rawValue: String($0)) }
        guard kinds.count == 7 else { return nil }
        self.kinds = kinds
    }

    public static let standard = DayPattern([.rest, .quality, .easy, .quality, .rest, .easy, .long])
}

/// A plan's purpose.
public enum PlanType: String, Sendable, CaseIterable, Codable {
    case run, bike, swim, strength, custom
}

/// One week of a template: a workout (a copy) or rest for each weekday.
public struct PlanWeek: Sendable, Hashable, Codable {
    public var days: [Workout?]  // 7, Monday first
    /// Set by the generator; nil for hand-built weeks.
    public var phase: TrainingPhase?
    public var isRecovery: Bool

    public init(
        days: [Workout?] = Array(repeating: nil, count: 7), phase: TrainingPhase? = nil, isRecovery: Bool = false
    ) {
        self.days = (days + Array(repeating: nil, count: 7)).prefix(7).map { $0 }
        self.phase = phase
        self.isRecovery = isRecovery
    }

    public subscript(_ day: Weekday) -> Workout? {
        get { days[day.rawValue] }
        set { days[day.rawValue] = newValue }
    }

    public var qualityCount: Int { days.compactMap { $0 }.filter { $0.subtype.isQuality }.count }

    public func totals(zones: PaceZones?) -> WorkoutTotals {
        WorkoutTotals(days.compactMap { $0 }.flatMap(\.blocks), zones: zones)
    }
}

public enum TrainingPhase: String, Sendable, CaseIterable, Codable {
    case base, build, peak, taper
}

/// A goal race.
public struct GoalEvent: Sendable, Hashable, Codable {
    public var distanceMeters: Double
    public var date: CalendarDate?

    public init(distanceMeters: Double, date: CalendarDate? = nil) {
        self.distanceMeters = distanceMeters
        self.date = date
    }
}

/// A plan template: weeks of days, each a workout copy or rest.
public struct PlanTemplate: Sendable, Hashable {
    public var name: String
    public var description: String
    public var type: PlanType
    public var level: TrainingLevel
    public var goal: GoalEvent?
    public var pattern: DayPattern
    public var weeks: [PlanWeek]
    /// The VDOT the generator planned for (week totals use its paces); nil for hand-built plans.
    public var referenceVDOT: Double?

    public init(
        name: String, description: String = "", type: PlanType = .run, level: TrainingLevel = .intermediate,
        goal: GoalEvent? = nil, pattern: DayPattern = .standard, weeks: [PlanWeek], referenceVDOT: Double? = nil
    ) {
        self.name = name
        self.description = description
        self.type = type
        self.level = level
        self.goal = goal
        self.pattern = pattern
        self.weeks = weeks
        self.referenceVDOT = referenceVDOT
    }

    public var durationInWeeks: Int { weeks.count }

    public static let maxWeeks = 52
}

/// Why an editor operation could not be done.
public struct PlanEditError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A day of a plan: week index (0-based) and weekday.
public struct PlanSlot: Sendable, Hashable, Codable {
    public let week: Int
    public let day: Weekday
    public init(week: Int, day: Weekday) {
        self.week = week
        self.day = day
    }
}

/// The editor's operations, on the domain value. Each checks its indexes and throws a message
/// rather than trapping.
extension PlanTemplate {
    func check(_ slot: PlanSlot) throws(PlanEditError) {
        guard weeks.indices.contains(slot.week) else {
            throw PlanEditError("\(Self.weekName(slot.week)) does not exist.")
        }
    }

    /// "Week 3" for a week index people could mean; the number came from a form, so one far out
    /// of range (where `index + 1` would overflow) is just "That week".
    static func weekName(_ index: Int) -> String {
        (0..<10_000).contains(index) ? "Week \(index + 1)" : "That week"
    }

    /// Places a copy of `workout` on a day (replacing what was there).
    public mutating func place(_ workout: Workout, at slot: PlanSlot) throws(PlanEditError) {
        try check(slot)
        weeks[slot.week][slot.day] = workout
    }

    /// Moves a day's workout to another day; if that day has one, the two swap.
    public mutating func move(from: PlanSlot, to: PlanSlot) throws(PlanEditError) {
        try check(from)
        try check(to)
        guard let moving = weeks[from.week][from.day] else {
            throw PlanEditError("There is no workout on that day to move.")
        }
        let displaced = weeks[to.week][to.day]
        weeks[to.week][to.day] = moving
        weeks[from.week][from.day] = displaced
    }

    public mutating func setRest(_ slot: PlanSlot) throws(PlanEditError) {
        try check(slot)
        weeks[slot.week][slot.day] = nil
    }

    /// Moves week `index` one place earlier (-1) or later (+1).
    public mutating func moveWeek(_ index: Int, by offset: Int) throws(PlanEditError) {
        // Both numbers may come from a form: check the index before adding to it.
        guard weeks.indices.contains(index), (-1...1).contains(offset), weeks.indices.contains(index + offset) else {
            throw PlanEditError("That week cannot move further.")
        }
        weeks.swapAt(index, index + offset)
    }

    /// Copies week `index` right after itself, or to the end.
    public mutating func copyWeek(_ index: Int, toEnd: Bool) throws(PlanEditError) {
        guard weeks.indices.contains(index) else { throw PlanEditError("\(Self.weekName(index)) does not exist.") }
        guard weeks.count < Self.maxWeeks else { throw PlanEditError("A plan has at most \(Self.maxWeeks) weeks.") }
        weeks.insert(weeks[index], at: toEnd ? weeks.count : index + 1)
    }

    public mutating func addWeek() throws(PlanEditError) {
        guard weeks.count < Self.maxWeeks else { throw PlanEditError("A plan has at most \(Self.maxWeeks) weeks.") }
        weeks.append(PlanWeek())
    }

    public mutating func deleteWeek(_ index: Int) throws(PlanEditError) {
        guard weeks.indices.contains(index) else { throw PlanEditError("\(Self.weekName(index)) does not exist.") }
        guard weeks.count > 1 else { throw PlanEditError("A plan needs at least one week.") }
        weeks.remove(at: index)
    }
}
