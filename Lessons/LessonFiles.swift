// Lessons: the lesson files compiled into the binary, by name. SwiftPM's embedInCode makes one
// byte array per file; this list names them so the REPL can enumerate them. A test checks that
// every file in Lessons/Files is listed here.

/// Every lesson file shipped with the executable: (file name, Markdown text), in course order.
public let lessonFiles: [(name: String, text: String)] = [
    ("welcome.md", String(decoding: PackageResources.welcome_md, as: UTF8.self)),
]
