import Foundation
import Hummingbird

/// A one-time message shown on the next page after a redirect, carried in a short-lived cookie.
struct Flash: Sendable, Equatable {
    enum Kind: String, Sendable { case success, error, info }
    let kind: Kind
    let message: String

    static let cookieName = "paceline_flash"

    static func success(_ message: String) -> Flash { Flash(kind: .success, message: message) }
    static func error(_ message: String) -> Flash { Flash(kind: .error, message: message) }
    static func info(_ message: String) -> Flash { Flash(kind: .info, message: message) }

    /// base64url of "kind:message", so any text survives the cookie syntax.
    var cookieValue: String {
        Data("\(kind.rawValue):\(message.prefix(500))".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    init?(cookieValue: String) {
        var base64 = cookieValue.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard cookieValue.count <= 1_000, let data = Data(base64Encoded: base64),
            let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":"),
            let kind = Kind(rawValue: String(text[..<colon]))
        else { return nil }
        self.kind = kind
        self.message = String(text[text.index(after: colon)...])
    }
}

extension Response {
    /// A 303 See Other to `location`, the answer to every successful form post.
    static func redirect(to location: String, flash: Flash? = nil, secure: Bool = false) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if let flash {
            response.setCookie(
                Cookie(
                    name: Flash.cookieName, value: flash.cookieValue, maxAge: 60, path: "/",
                    secure: secure, httpOnly: true, sameSite: .lax))
        }
        return response
    }
}
