import Foundation

/// The engine explains itself to the athlete ("your resting heart rate is up"). A coach reads the
/// same words about someone else: "their resting heart rate is up". "They" takes the verbs "you" takes
/// ("you are" → "they are"), so swapping the pronouns keeps the sentence right.
enum Voice {
    /// `text` as the viewer should read it: unchanged for the athlete themself, in the third person
    /// for anyone else.
    static func about(_ text: String, isOwn: Bool) -> String {
        isOwn ? text : thirdPerson(text)
    }

    static func thirdPerson(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count + 16)
        var word = ""
        func flush() {
            switch word {
            case "you": out += "they"
            case "You": out += "They"
            case "your": out += "their"
            case "Your": out += "Their"
            case "yours": out += "theirs"
            case "yourself": out += "themself"
            default: out += word
            }
            word = ""
        }
        for character in text {
            if character.isLetter {
                word.append(character)
            } else {
                flush()
                out.append(character)
            }
        }
        flush()
        return out
    }
}
