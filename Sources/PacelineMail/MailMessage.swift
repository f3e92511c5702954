import Foundation
import MultipartKit
import NIOCore
import NIOHTTP1

/// An email address with an optional display name. Built only from checked parts: no CR, LF or
/// angle brackets can reach a header through it (header injection), and the display name is
/// written as an RFC 2047 encoded word when it is not plain ASCII.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let address: String
    static let special = Set("<>()[]\\,;:\"".unicodeScalars)

    /// nil when `address` is not one addr-spec (`local@domain`, printable ASCII, no spaces, ≤ 254).
    public init?(name: String = "", address: String) {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            trimmed.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && !Self.special.contains($0) })
        else { return nil }
        self.address = trimmed
        self.name = String(name.filter { !$0.isNewline && $0 != "\0" }.prefix(100))
    }

    /// The sender when `PACELINE_MAIL_FROM` is not an address (a constant known to be one).
    public static let fallbackSender = MailAddress(checkedName: "Paceline", address: "paceline@localhost.localdomain")

    private init(checkedName name: String, address: String) {
        self.name = name
        self.address = address
    }

    /// Parses `Name <local@domain>` or a bare `local@domain` (the `PACELINE_MAIL_FROM` setting).
    public init?(parsing text: String) {
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
            let name = text[..<open].trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            self.init(name: name, address: String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
        } else {
            self.init(address: text)
        }
    }

    /// The header form: `"Name" <a@b>`, `=?utf-8?B?…?= <a@b>` or `a@b`.
    public var headerValue: String {
        guard !name.isEmpty else { return address }
        let plain = name.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value < 127 }
        let shown =
            plain
            ? "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
            : MailMessage.encodedWords(name).joined(separator: " ")
        return "\(shown) <\(address)>"
    }

    public var description: String { headerValue }
}

/// One email: headers and a plain-text body with an optional HTML alternative, written out as
/// RFC 5322 with MIME (RFC 2045–2047). Bodies are base64 (any UTF-8, lines ≤ 76); the parts of
/// `multipart/alternative` are written by MultipartKit's serializer. What no library here offers —
/// encoded words for headers, folding, the date format — is the few lines below.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var text: String
    public var html: String?
    /// `<id@host>` without the brackets: stable per event, so a resend after a crash is recognisable.
    public var messageID: String
    public var date: Date
    /// RFC 2369 / RFC 8058: the one-click unsubscribe address (an https or http URL), if the mail is
    /// one of a series the recipient can stop.
    public var unsubscribeURL: String?
    /// Extra headers (`X-Paceline-Kind`…): names must be tokens; values are cleaned of line breaks.
    public var extraHeaders: [(String, String)] = []

    public init(
        from: MailAddress, to: MailAddress, subject: String, text: String, html: String? = nil,
        messageID: String, date: Date, unsubscribeURL: String? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
        self.unsubscribeURL = unsubscribeURL
    }

    /// The whole message, CRLF line ends, ready for SMTP DATA (dot-stuffing is the transport's).
    public func rendered() throws -> [UInt8] {
        var lines: [String] = [
            "From: \(from.headerValue)",
            "To: \(to.headerValue)",
            "Subject: \(Self.subjectHeader(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(Self.clean(messageID).filter { $0 != "<" && $0 != ">" && $0 != " " })>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        if let url = unsubscribeURL.map(Self.clean), !url.isEmpty {
            lines.append("List-Unsubscribe: <\(url)>")
            lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        for (name, value) in extraHeaders
        where !name.isEmpty && name.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != ":" }) {
            lines.append("\(name): \(Self.clean(value))")
        }
        let textPart = Self.part(type: "text/plain", body: text)
        guard let html else {
            lines += textPart.headers.map { "\($0.name): \($0.value)" }
            return Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + textPart.body).utf8)
        }
        let htmlPart = Self.part(type: "text/html", body: html)
        // Base64 never contains "=_", so this boundary cannot occur inside a part.
        let boundary = "=_paceline_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let parts = [textPart, htmlPart].map { part in
            MultipartPart(headers: HTTPHeaders(part.headers.map { ($0.name, $0.value) }), body: part.body)
        }
        let body = try MultipartSerializer().serialize(parts: parts, boundary: boundary)
        lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
    }

    static func part(type: String, body: String) -> (headers: [(name: String, value: String)], body: String) {
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return (
            [("Content-Type", "\(type); charset=utf-8"), ("Content-Transfer-Encoding", "base64")],
            Data(normalized.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn,
                .endLineWithLineFeed])
        )
    }

    /// No line breaks or NULs in a header value.
    static func clean(_ value: String) -> String {
        String(value.map { $0.isNewline || $0 == "\0" || $0 == "\t" ? " " : $0 })
    }

    /// Plain ASCII up to 78 characters as it is; anything else as folded RFC 2047 encoded words.
    static func subjectHeader(_ subject: String) -> String {
        let value = String(clean(subject).prefix(300))
        if value.count <= 78, value.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) { return value }
        return encodedWords(value).joined(separator: "\r\n ")
    }

    /// `=?utf-8?B?…?=` words of at most 45 bytes of text each (72 characters), never splitting a character.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = [], chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
