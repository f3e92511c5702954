import Foundation

/// Names for downloaded files: ASCII letters and digits joined by dashes ("Ladders — 6 × 800" →
/// "ladders-6-800"), never empty, so every system and every header takes them.
enum FileNames {
    static func slug(_ text: String, words: Int = 8, fallback: String) -> String {
        let letters = text.lowercased().unicodeScalars.map {
            $0.isASCII && CharacterSet.alphanumerics.contains($0) ? Character($0) : "-"
        }
        let joined = String(letters).split(separator: "-").prefix(words).joined(separator: "-")
        return joined.isEmpty ? fallback : joined
    }
}
