import Foundation

/// Numbers as people type them into a form or a spreadsheet: "10.5", "10,5" (a decimal comma),
/// " 7 " and "−3" (the typographic minus a phone keyboard offers). One parser for every form
/// and CSV column, so "10,5" means the same everywhere.
public enum NumberInput {
    /// A finite decimal number, or nil for anything else ("", "abc", "1e999", "nan").
    public static func decimal(_ text: String) -> Double? {
        let cleaned = text.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: ",", with: ".")
            .replacingOccurrences(of: "\u{2212}", with: "-")
        guard !cleaned.isEmpty, let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    /// A whole number, or nil (no decimals, no overflow).
    public static func whole(_ text: String) -> Int? {
        let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{2212}", with: "-")
        return Int(cleaned)
    }
}
