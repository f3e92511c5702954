import Foundation

/// A small streaming XML scanner for activity files. Written here because Foundation's
/// `XMLParser` on Linux traps on some malformed input (found by the fuzz test), and an upload
/// must never take the server down. It reports elements, attributes and text; skips comments,
/// processing instructions, DOCTYPE and CDATA markers; decodes the five standard entities and
/// numeric references; replaces invalid UTF-8; and refuses unclosed or mismatched elements.
struct XMLScanner {
    protocol Handler: AnyObject {
        func start(_ name: String, attributes: [String: String])
        func end(_ name: String)
        func text(_ text: String)
        /// Return false to stop scanning (a limit was reached).
        var keepGoing: Bool { get }
    }

    static let maxDepth = 64

    static func scan(_ data: Data, handler: Handler) throws(ActivityFileError) {
        let b = [UInt8](data)
        var i = 0
        var stack: [String] = []
        func fail(_ message: String) -> ActivityFileError {
            ActivityFileError("This is not a well-formed XML file: \(message).")
        }
        func find(_ pattern: [UInt8], from start: Int) -> Int? {
            guard !pattern.isEmpty, b.count >= pattern.count else { return nil }
            var j = start
            while j + pattern.count <= b.count {
                if b[j] == pattern[0] && Array(b[j..<j + pattern.count]) == pattern { return j }
                j += 1
            }
            return nil
        }
        while i < b.count && handler.keepGoing {
            if b[i] != 60 {  // text up to the next "<"
                var j = i
                while j < b.count && b[j] != 60 { j += 1 }
                handler.text(decode(b[i..<j]))
                i = j
                continue
            }
            if b[i...].starts(with: Array("<!--".utf8)) {
                guard let end = find(Array("-->".utf8), from: i + 4) else { throw fail("a comment is not closed") }
                i = end + 3
            } else if b[i...].starts(with: Array("<![CDATA[".utf8)) {
                guard let end = find(Array("]]>".utf8), from: i + 9) else {
                    throw fail("a CDATA section is not closed")
                }
                handler.text(String(decoding: b[(i + 9)..<end], as: UTF8.self))
                i = end + 3
            } else if i + 1 < b.count && (b[i + 1] == 63 || b[i + 1] == 33) {  // <? … ?> or <! … >
                guard let end = find([62], from: i + 2) else { throw fail("a declaration is not closed") }
                i = end + 1
            } else if i + 1 < b.count && b[i + 1] == 47 {  // </name>
                guard let end = find([62], from: i + 2) else { throw fail("an end tag is not closed") }
                let name = String(decoding: b[(i + 2)..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                guard let open = stack.popLast(), open == name else {
                    throw fail("</\(name.prefix(40))> does not match the open element")
                }
                handler.end(name)
                i = end + 1
            } else {  // <name attr="v" …> or <name … />
                var j = i + 1
                var quote: UInt8 = 0
                while j < b.count {
                    if quote != 0 {
                        if b[j] == quote { quote = 0 }
                    } else if b[j] == 34 || b[j] == 39 {
                        quote = b[j]
                    } else if b[j] == 62 {
                        break
                    }
                    j += 1
                }
                guard j < b.count else { throw fail("a start tag is not closed") }
                let selfClosing = j > i + 1 && b[j - 1] == 47
                let body = b[(i + 1)..<(selfClosing ? j - 1 : j)]
                let (name, attributes) = try tag(body)
                guard !name.isEmpty else { throw fail("an element has no name") }
                handler.start(name, attributes: attributes)
                if selfClosing {
                    handler.end(name)
                } else {
                    stack.append(name)
                    guard stack.count <= maxDepth else { throw fail("elements are nested too deeply") }
                }
                i = j + 1
            }
        }
        if handler.keepGoing && !stack.isEmpty {
            throw ActivityFileError(
                "The file is incomplete: it ends inside <\(stack.last?.prefix(40) ?? "")> (was the upload cut off?).")
        }
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }

    static func tag(_ body: ArraySlice<UInt8>) throws(ActivityFileError) -> (String, [String: String]) {
        var i = body.startIndex
        while i < body.endIndex && !isSpace(body[i]) { i += 1 }
        let name = String(decoding: body[body.startIndex..<i], as: UTF8.self)
        var attributes: [String: String] = [:]
        while i < body.endIndex {
            while i < body.endIndex && isSpace(body[i]) { i += 1 }
            guard i < body.endIndex else { break }
            let nameStart = i
            while i < body.endIndex && body[i] != 61 && !isSpace(body[i]) { i += 1 }
            let key = String(decoding: body[nameStart..<i], as: UTF8.self)
            while i < body.endIndex && isSpace(body[i]) { i += 1 }
            guard i < body.endIndex, body[i] == 61 else {
                throw ActivityFileError("This is not a well-formed XML file: attribute \(key.prefix(40)) has no value.")
            }
            i += 1
            while i < body.endIndex && isSpace(body[i]) { i += 1 }
            guard i < body.endIndex, body[i] == 34 || body[i] == 39 else {
                throw ActivityFileError(
                    "This is not a well-formed XML file: attribute \(key.prefix(40)) is not quoted.")
            }
            let quote = body[i]
            i += 1
            let valueStart = i
            while i < body.endIndex && body[i] != quote { i += 1 }
            guard i < body.endIndex else {
                throw ActivityFileError("This is not a well-formed XML file: an attribute value is not closed.")
            }
            if attributes.count < 64 { attributes[key] = decode(body[valueStart..<i]) }
            i += 1
        }
        return (name, attributes)
    }

    /// Text with entities decoded; invalid UTF-8 becomes U+FFFD, never a trap.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        let raw = String(decoding: bytes, as: UTF8.self)
        guard raw.contains("&") else { return raw }
        var out = ""
        var rest = raw[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].prefix(12).firstIndex(of: ";") else { out += rest[amp...]; return out }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let number =
                    entity.hasPrefix("#x")
                    ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst(), radix: 10) : nil
                if let number, let scalar = Unicode.Scalar(number) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += rest[amp...semi]
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
