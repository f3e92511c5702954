import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import PacelineStore

/// Reads a `multipart/form-data` body as it streams in, one part at a time, so an upload of a
/// week of runs never sits in memory whole. Each part is handed over as soon as it is complete;
/// a part over its size limit is cut off (and marked) rather than buffered.
struct MultipartUpload {
    struct Part {
        let name: String
        let fileName: String?
        let content: ByteBuffer
        let tooLarge: Bool

        var text: String { String(buffer: content) }
    }

    struct Limits {
        /// Largest file part kept.
        var fileBytes: Int
        /// Largest text field kept.
        var fieldBytes = 64 * 1024
        /// Largest whole body read.
        var totalBytes: Int
        var maxParts = 64
    }

    /// The boundary of a `multipart/form-data` content type, if the request is one.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(value.count) ? value : nil
            }
        }
        return nil
    }

    /// `form-data; name="files"; filename="run.gpx"` → ("files", "run.gpx").
    static func disposition(_ header: String) -> (name: String, fileName: String?) {
        var name = "", fileName: String? = nil
        var rest = Substring(header)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop { $0 == " " }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].lowercased()
            var value = rest[rest.index(after: equals)...]
            var parsed = ""
            if value.first == "\"" {
                value = value.dropFirst()
                var escaped = false
                var end = value.endIndex
                for index in value.indices {
                    let c = value[index]
                    if escaped { parsed.append(c); escaped = false; continue }
                    if c == "\\" { escaped = true; continue }
                    if c == "\"" { end = index; break }
                    parsed.append(c)
                }
                rest = end < value.endIndex ? value[value.index(after: end)...] : value[value.endIndex...]
            } else {
                let end = value.firstIndex(of: ";") ?? value.endIndex
                parsed = String(value[..<end])
                rest = value[end...]
            }
            if key == "name" { name = parsed }
            if key == "filename" { fileName = parsed }
        }
        // Browsers on Windows may send a whole path; keep the last component only.
        if let path = fileName, let slash = path.lastIndex(where: { $0 == "/" || $0 == "\\" }) {
            fileName = String(path[path.index(after: slash)...])
        }
        return (name, fileName)
    }

    /// Streams the request body through the parser and calls `handle` with each finished part, in order.
    /// The first part must be the form's `_csrf` field holding `csrf` (the session's token): nothing is
    /// handed over before it is checked (see `CSRFMiddleware`).
    static func read(
        _ request: Request, csrf: String, limits: Limits, handle: (Part) async throws -> Void
    ) async throws {
        guard let boundary = boundary(request.headers[.contentType]) else {
            throw PageError(
                status: .unsupportedMediaType, title: "Not a file upload",
                message: "Send the form from the page: it uploads files as multipart/form-data.")
        }
        final class Collector {
            var name = ""
            var fileName: String?
            var content = ByteBuffer()
            var tooLarge = false
            var finished: [Part] = []
            var parts = 0
        }
        let collector = Collector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { field, value in
            if field.lowercased() == "content-disposition" {
                (collector.name, collector.fileName) = disposition(value)
            }
        }
        parser.onBody = { buffer in
            let limit = collector.fileName == nil ? limits.fieldBytes : limits.fileBytes
            if collector.content.readableBytes + buffer.readableBytes > limit {
                collector.tooLarge = true
            } else {
                collector.content.writeBuffer(&buffer)
            }
        }
        parser.onPartComplete = {
            collector.finished.append(
                Part(
                    name: collector.name, fileName: collector.fileName, content: collector.content,
                    tooLarge: collector.tooLarge))
            collector.parts += 1
            collector.name = ""
            collector.fileName = nil
            collector.content = ByteBuffer()
            collector.tooLarge = false
        }
        var total = 0
        var tokenChecked = false
        for try await chunk in request.body {
            total += chunk.readableBytes
            guard total <= limits.totalBytes else {
                throw PageError(
                    status: .contentTooLarge, title: "Upload too large",
                    message:
                        "One upload can carry at most \(limits.totalBytes / 1_048_576) MB. Upload fewer files at a "
                        + "time."
                )
            }
            do {
                try parser.execute(chunk)
            } catch {
                throw PageError(
                    status: .badRequest, title: "Upload not understood",
                    message: "The upload was cut off or malformed. Try again.")
            }
            guard collector.parts <= limits.maxParts else {
                throw PageError(
                    status: .contentTooLarge, title: "Too many files",
                    message: "Upload at most \(limits.maxParts - 2) files at a time.")
            }
            let ready = collector.finished
            collector.finished.removeAll()
            for part in ready {
                if !tokenChecked {
                    guard !csrf.isEmpty, part.name == CSRFMiddleware.fieldName, !part.tooLarge,
                        SecretToken.constantTimeEquals(part.text, csrf)
                    else { throw CSRFMiddleware.expired }
                    tokenChecked = true
                    continue
                }
                try await handle(part)
            }
        }
        if !tokenChecked { throw CSRFMiddleware.expired }
    }
}
