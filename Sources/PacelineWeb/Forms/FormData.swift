import Foundation
import Hummingbird

/// A parsed `application/x-www-form-urlencoded` body. Missing fields read as "".
struct FormData: Sendable {
    var values: [String: [String]] = [:]

    subscript(_ key: String) -> String { values[key]?.first ?? "" }
    func all(_ key: String) -> [String] { values[key] ?? [] }

    static let maxFields = 100_000

    /// Collects the body (it stays on the request for later readers) and parses it.
    static func parse(_ request: inout Request, context: some RequestContext) async throws -> FormData {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw PageError(
                status: .contentTooLarge, title: "Too much data",
                message: "The form sent more than \(context.maxUploadSize / 1024) KB. Shorten the text and try again.")
        }
        return try parse(String(buffer: buffer))
    }

    static func parse(_ body: String) throws -> FormData {
        var form = FormData()
        var count = 0
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            count += 1
            guard count <= maxFields else {
                throw PageError(
                    status: .contentTooLarge, title: "Too many fields", message: "The form sent too many fields.")
            }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw PageError(
                    status: .badRequest, title: "Unreadable form", message: "The form data was not correctly encoded.")
            }
            form.values[name, default: []].append(value)
        }
        return form
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

extension Request {
    /// The form of a POST: the one the CSRF check already parsed, else parsed now.
    mutating func form(context: some RequestContext) async throws -> FormData {
        if let parsed = (context as? any CarriesForm)?.form { return parsed }
        return try await FormData.parse(&self, context: context)
    }
}

/// One form field as a template shows it: the value typed and, after a failed submit, its error.
struct Field: Sendable {
    let value: String
    let error: String?
    var hasError: Bool { error != nil }

    init(_ value: String = "", error: String? = nil) {
        self.value = value
        self.error = error
    }
}

/// Collects per-field messages while validating a form.
struct FieldErrors {
    private(set) var messages: [String: String] = [:]
    var isEmpty: Bool { messages.isEmpty }
    subscript(_ field: String) -> String? { messages[field] }

    /// Runs one field's rule; on failure records its message and returns nil.
    mutating func check<T>(_ field: String, _ rule: () throws -> T) -> T? {
        do {
            return try rule()
        } catch let invalid as FieldRules.Invalid {
            add(field, invalid.message)
        } catch let invalid as FitnessInputError {
            add(field, invalid.description)
        } catch {
            add(field, "This value is not valid.")
        }
        return nil
    }

    mutating func add(_ field: String, _ message: String) {
        if messages[field] == nil { messages[field] = message }
    }

    /// A one-line summary for the top of the form.
    var summary: String? {
        isEmpty
            ? nil
            : (messages.count == 1
                ? "Please correct the field marked below."
                : "Please correct the \(messages.count) fields marked below.")
    }
}

import PacelineCore
