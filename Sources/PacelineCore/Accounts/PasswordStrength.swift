import Foundation

/// The passwords everyone tries first. An attacker guessing against the log-in throttle starts
/// with this list, so a password on it is refused (NIST SP 800-63B §5.1.1.2).
public enum CommonPasswords {
    /// Every listed password, lower-cased.
    static let all: Set<Substring> = Set(rankedText.split(separator: "\n"))

    public static var count: Int { all.count }

    /// Why `password` is too easy to guess, in words for the person choosing it, or nil.
    /// Checked: the list itself (case-insensitively); a listed word with at most six digits or
    /// symbols added ("password2026!"); one character or a short group repeated ("aaaaaaaaaa",
    /// "abcabcabcabc"); a run of the keyboard's or the alphabet's order ("1234567890"); and the
    /// person's own email, its name part, their name or their organization's name.
    public static func weakness(of password: String, context: [String] = []) -> String? {
        let lower = password.lowercased()
        let listed = "That password is one of the most used passwords, the first an attacker tries. Choose another."
        if all.contains(Substring(lower)) { return listed }
        let base = lower.reversed().drop { !$0.isLetter }.reversed()
        if base.count >= 4, lower.count - base.count <= 6, all.contains(Substring(String(base))) { return listed }
        if isRepetitive(lower) || isSequential(lower) {
            return "That password is a repeated or sequential pattern, easy to guess. Choose another."
        }
        let compact = lower.filter { !$0.isWhitespace }
        for word in context {
            let candidate = word.lowercased().filter { !$0.isWhitespace }
            let localPart = candidate.split(separator: "@").first.map(String.init) ?? candidate
            for form in [candidate, localPart]
            where form.count >= 3 && (compact == form || compact.hasPrefix(form) && compact.count - form.count <= 4) {
                return "The password must not be your email, your name or your organization's name. Choose another."
            }
        }
        return nil
    }

    /// The whole password is one group of up to four characters repeated.
    static func isRepetitive(_ text: String) -> Bool {
        let chars = Array(text)
        for unit in 1...4 where chars.count % unit == 0 && chars.count >= unit * 2 {
            if chars.indices.allSatisfy({ chars[$0] == chars[$0 % unit] }) { return true }
        }
        return false
    }

    /// Every character is the next (or the previous) of the one before: "1234567890", "abcdefghij",
    /// "qwertyuiop" (along a keyboard row).
    static func isSequential(_ text: String) -> Bool {
        let rows = ["1234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm"]
        for row in rows {
            for order in [row + row, String(row.reversed()) + String(row.reversed())] where order.contains(text) {
                return true
            }
        }
        return false
    }
}
