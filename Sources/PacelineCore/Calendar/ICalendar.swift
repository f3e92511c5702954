import Foundation

/// An iCalendar (RFC 5545) writer for all-day events: CRLF line ends, lines folded at 75 octets,
/// TEXT escaping of backslash, semicolon, comma and newline.
public struct ICalendar: Sendable {
    public struct Event: Sendable, Hashable {
        public let uid: String
        public let date: CalendarDate
        public let summary: String
        public let description: String
        public let sequence: Int
        public let stamp: Date

        public init(uid: String, date: CalendarDate, summary: String, description: String, sequence: Int, stamp: Date) {
            self.uid = uid
            self.date = date
            self.summary = summary
            self.description = description
            self.sequence = sequence
            self.stamp = stamp
        }
    }

    public let name: String
    public let events: [Event]

    public init(name: String, events: [Event]) {
        self.name = name
        self.events = events
    }

    public func render() -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Paceline//Training plan//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + Self.escape(name),
        ]
        for event in events {
            let c = event.date.components
            let next = event.date.adding(days: 1).components
            lines += [
                "BEGIN:VEVENT",
                "UID:" + Self.escape(event.uid),
                "DTSTAMP:" + Self.timestamp(event.stamp),
                String(format: "DTSTART;VALUE=DATE:%04d%02d%02d", c.year, c.month, c.day),
                String(format: "DTEND;VALUE=DATE:%04d%02d%02d", next.year, next.month, next.day),
                "SEQUENCE:\(event.sequence)",
                "SUMMARY:" + Self.escape(event.summary),
                "DESCRIPTION:" + Self.escape(event.description),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(ch)
            }
        }
        return out
    }

    /// Folds a content line into pieces of at most 75 octets, never splitting a UTF-8 character;
    /// continuation lines start with a space.
    public static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var pieces: [String] = []
        var current = ""
        var octets = 0
        var limit = 75
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > limit {
                pieces.append(current)
                current = ""
                octets = 0
                limit = 74  // the leading space counts
            }
            current.unicodeScalars.append(scalar)
            octets += size
        }
        pieces.append(current)
        return pieces.joined(separator: "\r\n ")
    }

    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
    }
}
