import Hummingbird

/// The address a request came from, for throttles and logs.
enum ClientAddress {
    /// Behind `trustedProxies` proxies, each appending the address it saw to `X-Forwarded-For`,
    /// the client is the entry the outermost proxy appended: the `trustedProxies`-th from the
    /// right. Entries to its left were written by the client and prove nothing
    /// ("X-Forwarded-For: 198.51.100.7, 127.0.0.1" from a client is not 198.51.100.7). With too
    /// few entries (a request that bypassed a proxy) or an entry that is not an address, the
    /// socket's peer is used.
    static func of(_ request: Request, context: AppRequestContext, trustedProxies: Int) -> String {
        forwarded(request.headers[values: .init("X-Forwarded-For")!], trustedProxies: trustedProxies)
            ?? context.remoteAddress
    }

    static func forwarded(_ headerLines: [String], trustedProxies: Int) -> String? {
        guard trustedProxies > 0 else { return nil }
        let hops = headerLines.joined(separator: ",").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard hops.count >= trustedProxies else { return nil }
        let client = hops[hops.count - trustedProxies]
        guard !client.isEmpty, client.utf8.count <= 64,
            client.unicodeScalars.allSatisfy({
                $0.properties.isASCIIHexDigit || $0 == "." || $0 == ":" || $0 == "[" || $0 == "]"
            })
        else { return nil }
        return client
    }
}
