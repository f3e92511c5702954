import Foundation

/// Training level: decides the plan generator's quality sessions and progression.
public enum TrainingLevel: String, Sendable, CaseIterable, Codable {
    case basic, intermediate, advanced
}

/// A recommended level with the reasons, in words for the athlete and coach.
public struct LevelRecommendation: Sendable, Hashable {
    public let level: TrainingLevel
    public let reasons: [String]

    /// Thresholds for each level: all three must be met (VDOT, km per week, days per week).
    public static let advanced = (vdot: 50.0, weeklyKm: 60.0, days: 5)
    public static let intermediate = (vdot: 38.0, weeklyKm: 30.0, days: 4)

    public init(vdot: VDOT, weeklyKm: Double, daysPerWeek: Int) {
        func shortfalls(_ t: (vdot: Double, weeklyKm: Double, days: Int)) -> [String] {
            var out: [String] = []
            if vdot.value < t.vdot { out.append(String(format: "VDOT %.1f is below %.0f", vdot.value, t.vdot)) }
            if weeklyKm < t.weeklyKm {
                out.append(String(format: "%.0f km a week is below %.0f km", weeklyKm, t.weeklyKm))
            }
            if daysPerWeek < t.days { out.append("\(daysPerWeek) running days a week is below \(t.days)") }
            return out
        }
        let missingAdvanced = shortfalls(Self.advanced)
        let missingIntermediate = shortfalls(Self.intermediate)
        let summary = String(format: "VDOT %.1f, %.0f km a week over %d days", vdot.value, weeklyKm, daysPerWeek)
        if missingAdvanced.isEmpty {
            level = .advanced
            reasons = [
                "\(summary): fitness, volume and frequency all support VO2max intervals, threshold and race-pace work."
            ]
        } else if missingIntermediate.isEmpty {
            level = .intermediate
            reasons =
                ["\(summary) supports tempo and threshold work, later intervals."]
                + missingAdvanced.map { "Not advanced yet: \($0)." }
        } else {
            level = .basic
            reasons =
                ["\(summary): build the habit and the volume first, with strides and fartlek."]
                + missingIntermediate.map { "Not intermediate yet: \($0)." }
        }
    }
}
