import Foundation

/// Menstrual-cycle phase, optional on a check-in.
public enum CyclePhase: String, Sendable, CaseIterable, Codable {
    case menstrual, follicular, ovulation, luteal

    public var label: String { rawValue.capitalized }
}

/// One day's check-in: how the athlete slept and feels. Every field is optional except the day,
/// so a ten-second check-in (just sleep and soreness) is a valid one.
public struct CheckIn: Sendable, Hashable {
    public var date: CalendarDate
    /// HRV as rMSSD in milliseconds (what watches and chest straps report).
    public var hrvRMSSD: Double?
    public var restingHR: Int?
    public var sleepHours: Double?
    /// 1 (very poor) – 5 (excellent).
    public var sleepQuality: Int?
    /// 1 (none) – 5 (very sore).
    public var soreness: Int?
    /// 1 (relaxed) – 5 (very stressed).
    public var stress: Int?
    public var ill: Bool
    public var illnessNote: String
    public var cyclePhase: CyclePhase?
    public var notes: String

    public init(
        date: CalendarDate, hrvRMSSD: Double? = nil, restingHR: Int? = nil, sleepHours: Double? = nil,
        sleepQuality: Int? = nil,
        soreness: Int? = nil, stress: Int? = nil, ill: Bool = false, illnessNote: String = "",
        cyclePhase: CyclePhase? = nil,
        notes: String = ""
    ) {
        self.date = date
        self.hrvRMSSD = hrvRMSSD
        self.restingHR = restingHR
        self.sleepHours = sleepHours
        self.sleepQuality = sleepQuality
        self.soreness = soreness
        self.stress = stress
        self.ill = ill
        self.illnessNote = illnessNote
        self.cyclePhase = cyclePhase
        self.notes = notes
    }

    public static let maxNoteLength = 5_000

    public func problems() -> [FieldProblem] {
        var out: [FieldProblem] = []
        if let hrv = hrvRMSSD, !(hrv.isFinite && hrv >= 1 && hrv <= 300) {
            out.append(.init(field: "hrv", message: "HRV (rMSSD) is between 1 and 300 ms."))
        }
        if let rhr = restingHR, !(25...120).contains(rhr) {
            out.append(.init(field: "resting_hr", message: "Resting heart rate is between 25 and 120 bpm."))
        }
        if let sleep = sleepHours, !(sleep.isFinite && sleep >= 0 && sleep <= 24) {
            out.append(.init(field: "sleep_hours", message: "Sleep is between 0 and 24 hours."))
        }
        for (field, value, words) in [
            ("sleep_quality", sleepQuality, "Sleep quality"), ("soreness", soreness, "Soreness"),
            ("stress", stress, "Stress"),
        ] {
            if let value, !(1...5).contains(value) {
                out.append(.init(field: field, message: "\(words) is from 1 to 5."))
            }
        }
        if illnessNote.count > Self.maxNoteLength {
            out.append(.init(field: "illness_note", message: "The illness note can be at most 5000 characters."))
        }
        if notes.count > Self.maxNoteLength {
            out.append(.init(field: "notes", message: "Notes can be at most 5000 characters."))
        }
        return out
    }

    /// A check-in about a day that has not started yet is refused; past days can be edited.
    public static func dateProblem(_ date: CalendarDate, today: CalendarDate) -> FieldProblem? {
        if date > today {
            return .init(field: "date", message: "You can check in for today or an earlier day, not for \(date).")
        }
        if date < today.adding(days: -3650) {
            return .init(field: "date", message: "That day is more than ten years ago.")
        }
        return nil
    }
}
