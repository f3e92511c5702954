import Foundation

/// Conversions from `Double` to `Int` that cannot trap.
///
/// `Int(someDouble)` traps on NaN, ±infinity and anything outside ±2⁶³ — and a trap stops the
/// whole server, for every organization. Numbers that came from a request, a file, a CSV row or
/// a command-line argument go through one of these instead: `Int(checked:)` when an out-of-range
/// value is an input error, `Int(saturating:)` when it is only shown (a message that echoes what
/// was typed, a total on a page).
extension Int {
    /// The smallest and largest `Double` that convert to `Int`: −2⁶³ is exact; 2⁶³ is not an Int.
    static let doubleRange = -9_223_372_036_854_775_808.0..<9_223_372_036_854_775_808.0

    /// `value` rounded by `rule`, or nil when it is not finite or does not fit an `Int`.
    public init?(checked value: Double, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        let rounded = value.rounded(rule)
        guard rounded.isFinite, Self.doubleRange.contains(rounded) else { return nil }
        self.init(rounded)
    }

    /// `value` rounded by `rule` and clamped to `Int`'s range; NaN is 0. For display only.
    public init(saturating value: Double, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        if value.isNaN { self = 0; return }
        let rounded = value.rounded(rule)
        if rounded < Self.doubleRange.lowerBound { self = .min; return }
        if rounded >= Self.doubleRange.upperBound { self = .max; return }
        self.init(rounded)
    }
}

extension Double {
    /// A number parsed from text people typed, or nil: not a number, NaN, ±infinity, or longer
    /// than any real value needs (so "1e999999" and 100 kB of digits are refused before parsing).
    public init?(finiteInput text: some StringProtocol, maxLength: Int = 32) {
        guard text.utf8.count <= maxLength, let value = Double(text), value.isFinite else { return nil }
        self = value
    }
}
