// Storage room: joining and splitting paths without Foundation, which the storage room
// does not import.

/// Path helpers without Foundation: the storage room joins and splits paths by hand.
public enum StoragePath {
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Everything before the last `/` ("." for a bare name, "/" for a root entry).
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = path[..<slash]
        return head.isEmpty ? "/" : String(head)
    }

    /// Everything after the last `/`.
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
