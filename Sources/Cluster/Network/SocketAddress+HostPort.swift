// Network room: a peer's address as people write it (`127.0.0.1:53548`), for trace lines.
// NIO's own description (`[IPv4]127.0.0.1/127.0.0.1:53548`) is an internal form.

import NIOCore

extension SocketAddress {
    /// `127.0.0.1:53548`, `[::1]:9092`, or the socket path of a Unix domain socket.
    var hostAndPort: String {
        switch self {
        case .v4: return "\(ipAddress ?? "?"):\(port ?? 0)"
        case .v6: return "[\(ipAddress ?? "?")]:\(port ?? 0)"
        case .unixDomainSocket: return pathname ?? "unix socket"
        }
    }
}
