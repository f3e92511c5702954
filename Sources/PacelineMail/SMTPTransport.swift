import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where the SMTP relay is and how to talk to it, from `PACELINE_SMTP_URL`:
/// `smtp://[user[:password]@]host[:port]` (port 587, STARTTLS required) or
/// `smtps://…` (port 465, TLS from the first byte). A relay on the loopback interface (a local
/// postfix, the test suite's server) may be spoken to in the clear; STARTTLS is still used when it
/// offers it. A password is never sent before TLS except to such a local relay.
public struct SMTPSettings: Sendable, CustomStringConvertible {
    public enum Security: Sendable { case startTLS, implicitTLS }
    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// A PEM file of certificates to trust besides the system's (a private relay's own CA).
    public var trustedCertificatesFile: String?
    /// Seconds for the whole conversation of one message.
    public var timeoutSeconds: Int64 = 60

    public init(url text: String) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            let host = url.host, !host.isEmpty
        else { throw MailSettingsError("PACELINE_SMTP_URL is not a URL like smtp://user:password@host:587") }
        switch scheme {
        case "smtp": security = .startTLS
        case "smtps": security = .implicitTLS
        default: throw MailSettingsError("PACELINE_SMTP_URL must start with smtp:// or smtps://")
        }
        self.host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let port = url.port ?? (security == .implicitTLS ? 465 : 587)
        guard (1...65_535).contains(port) else { throw MailSettingsError("PACELINE_SMTP_URL: bad port \(port)") }
        self.port = port
        username = url.user?.removingPercentEncoding
        password = url.password?.removingPercentEncoding
    }

    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public var description: String {
        "\(security == .implicitTLS ? "smtps" : "smtp")://\(username.map { "\($0)@" } ?? "")\(host):\(port)"
    }
}

/// SMTP (RFC 5321) to one relay, a connection per message. Swift has no maintained SMTP client
/// among the packages we can use, so the dialogue is written here (about a hundred lines); the
/// connection is SwiftNIO's and TLS (STARTTLS and implicit) is swift-nio-ssl's, with certificate
/// and host name verification left on.
public struct SMTPTransport: MailTransport {
    public let settings: SMTPSettings

    public init(settings: SMTPSettings) {
        self.settings = settings
    }

    public var summary: String { "SMTP relay \(settings)" }

    public func deliver(_ message: [UInt8], envelope: MailEnvelope) async throws {
        let settings = settings
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.converse(settings, message: message, envelope: envelope) }
            group.addTask {
                try await Task.sleep(for: .seconds(settings.timeoutSeconds))
                throw MailDeliveryError.temporary("the relay took over \(settings.timeoutSeconds) s")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    static func tlsContext(_ settings: SMTPSettings) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = settings.trustedCertificatesFile {
            configuration.additionalTrustRoots = [.file(file)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    static func converse(_ settings: SMTPSettings, message: [UInt8], envelope: MailEnvelope) async throws {
        let context: NIOSSLContext
        do {
            context = try tlsContext(settings)
        } catch {
            throw MailDeliveryError.temporary("TLS settings: \(error)")
        }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(15))
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if settings.security == .implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: context, serverHostname: settings.tlsHostname))
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MailDeliveryError.temporary("cannot connect to \(settings.host):\(settings.port): \(error)")
        }
        do {
            try await channel.executeThenClose { inbound, outbound in
                var session = SMTPSession(
                    replies: SMTPReplyReader(inbound.makeAsyncIterator()), outbound: outbound,
                    secure: settings.security == .implicitTLS)
                try await session.expect(220, after: nil)
                var extensions = try await session.hello()
                if !session.secure {
                    if extensions.contains("STARTTLS") {
                        try await session.expect(220, after: "STARTTLS")
                        try await channel.channel.eventLoop.submit {
                            try channel.channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: context, serverHostname: settings.tlsHostname),
                                position: .first)
                        }.get()
                        session.secure = true
                        extensions = try await session.hello()
                    } else if !settings.isLoopback {
                        throw MailDeliveryError.temporary("\(settings.host) does not offer STARTTLS")
                    }
                }
                if let user = settings.username {
                    guard session.secure || settings.isLoopback else {
                        throw MailDeliveryError.temporary("no password is sent to \(settings.host) without TLS")
                    }
                    try await session.authenticate(user: user, password: settings.password ?? "", extensions)
                }
                try await session.expect(250, after: "MAIL FROM:<\(SMTPSession.clean(envelope.sender))>")
                try await session.expect([250, 251], after: "RCPT TO:<\(SMTPSession.clean(envelope.recipient))>")
                try await session.expect(354, after: "DATA")
                try await session.write(SMTPSession.dotStuffed(message))
                try await session.expect(250, after: nil)
                try? await session.send("QUIT")
            }
        } catch let error as MailDeliveryError {
            throw error
        } catch {
            throw MailDeliveryError.temporary("SMTP conversation with \(settings.host) failed: \(error)")
        }
    }
}

extension SMTPSettings {
    /// The name the certificate must carry (none for an address literal, which SNI cannot carry).
    var tlsHostname: String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }
}

/// One multi-line SMTP reply: its code and text lines.
struct SMTPReply: Sendable {
    let code: Int
    let lines: [String]
}

/// Reads replies off the connection: lines `250-…` continue, `250 …` ends one. A reply over 64 kB or
/// a line that is not a reply ends the conversation (a hostile relay cannot make us buffer forever).
struct SMTPReplyReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var buffer: [UInt8] = []

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    mutating func next() async throws -> SMTPReply {
        var lines: [String] = []
        while true {
            while let end = buffer.firstIndex(of: 10) {
                var line = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                if line.last == 13 { line.removeLast() }
                let text = String(decoding: line, as: UTF8.self)
                guard line.count >= 3, let code = Int(String(decoding: line.prefix(3), as: UTF8.self)),
                    (200...599).contains(code)
                else { throw MailDeliveryError.temporary("the relay said something that is not SMTP") }
                lines.append(String(text.dropFirst(4)))
                if line.count == 3 || line[3] != UInt8(ascii: "-") { return SMTPReply(code: code, lines: lines) }
            }
            guard buffer.count < 65_536, lines.count < 200 else {
                throw MailDeliveryError.temporary("the relay's reply is too long")
            }
            guard let chunk = try await iterator.next() else {
                throw MailDeliveryError.temporary("the relay closed the connection")
            }
            buffer += chunk.readableBytesView
        }
    }
}

struct SMTPSession {
    var replies: SMTPReplyReader
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var secure: Bool

    func write(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    func send(_ command: String) async throws {
        try await write(Array((command + "\r\n").utf8))
    }

    /// Sends `command` (or nothing) and reads the reply; a 4xx is temporary, a 5xx permanent.
    @discardableResult
    mutating func expect(_ codes: Set<Int>, after command: String?) async throws -> SMTPReply {
        if let command { try await send(command) }
        let reply = try await replies.next()
        guard codes.contains(reply.code) else {
            let shown = command.map { $0.hasPrefix("AUTH") ? "AUTH" : $0 } ?? "(greeting or end of data)"
            let text = "\(shown) → \(reply.code) \(reply.lines.joined(separator: " ").prefix(300))"
            // A refused log-in is the operator's to fix: keep the mail and try again.
            if reply.code >= 500, !(shown.hasPrefix("AUTH") || reply.code == 530) {
                throw MailDeliveryError.permanent(text)
            }
            throw MailDeliveryError.temporary(text)
        }
        return reply
    }

    mutating func expect(_ code: Int, after command: String?) async throws {
        try await expect([code], after: command)
    }

    /// EHLO; the extensions the relay offers, upper-cased first words (`STARTTLS`, `AUTH PLAIN LOGIN`).
    mutating func hello() async throws -> Set<String> {
        let reply = try await expect([250], after: "EHLO paceline.localdomain")
        return Set(reply.lines.dropFirst().map { $0.uppercased() }.flatMap { line in
            [line] + [String(line.split(separator: " ").first ?? "")]
        })
    }

    mutating func authenticate(user: String, password: String, _ extensions: Set<String>) async throws {
        let auth = extensions.first { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") } ?? "AUTH PLAIN"
        func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if auth.contains("PLAIN") || !auth.contains("LOGIN") {
            try await expect(235, after: "AUTH PLAIN " + b64("\0\(user)\0\(password)"))
        } else {
            try await expect(334, after: "AUTH LOGIN")
            try await expect(334, after: b64(user))
            try await expect(235, after: b64(password))
        }
    }

    /// Addresses are checked before they are queued; this only keeps a line break out of a command.
    static func clean(_ address: String) -> String {
        String(address.filter { !$0.isNewline && $0 != "<" && $0 != ">" })
    }

    /// RFC 5321 §4.5.2: a line starting with "." gets another; the data ends with CRLF.CRLF.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + 64)
        var lineStart = true
        for byte in message {
            if lineStart && byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            lineStart = byte == 10
        }
        if !(out.suffix(2) == [13, 10]) { out += [13, 10] }
        out += Array(".\r\n".utf8)
        return out
    }
}
